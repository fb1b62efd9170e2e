package dev.vigil.probe.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The first-flight parser stops on its own caps, whatever the stream: it never reads forever. */
class ServerFlightLimitsTest {

    /** Zero-length handshake records, endlessly: the stream counts what the parser consumed. */
    static final class EmptyRecordsForever extends InputStream {
        static final byte[] RECORD = {0x16, 0x03, 0x03, 0x00, 0x00};
        long read;

        @Override
        public int read() {
            return RECORD[(int) (read++ % RECORD.length)] & 0xff;
        }
    }

    @Test
    void endlessEmptyRecordsEndTheFlightAtTheRecordCap() {
        EmptyRecordsForever stream = new EmptyRecordsForever();
        // The guard only turns a hang (the parser without a record cap) into a failure; it is not a speed test.
        assertThatThrownBy(() -> assertTimeoutPreemptively(Duration.ofSeconds(30), () -> ServerFlight.read(stream))).isInstanceOf(IOException.class).hasMessageContaining("endless");
        assertThat(stream.read).isLessThanOrEqualTo((long) (ServerFlight.MAX_RECORDS + 1) * EmptyRecordsForever.RECORD.length);
    }
}
