package dev.vigil.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConnectionDeadlineTest {

    /**
     * Every probe connection gets a deadline; a connection closed normally must release it at once. Kept until its
     * time, each held its connection's socket and TLS buffers: 30,000 of them in a 4,000-service cycle.
     */
    @Test
    void aClosedDeadlineReleasesItsConnectionAtOnce() {
        int before = ConnectionDeadline.pending();
        AtomicInteger closed = new AtomicInteger();
        long farAway = System.nanoTime() + Duration.ofHours(1).toNanos();
        for (int i = 0; i < 1000; i++) {
            ConnectionDeadline.closeAt(closed::incrementAndGet, farAway).close();
        }
        assertThat(closed).hasValue(1000);
        assertThat(ConnectionDeadline.pending()).isLessThanOrEqualTo(before);
    }

    @Test
    void anOpenConnectionIsClosedAtItsDeadline() throws Exception {
        AtomicInteger closed = new AtomicInteger();
        ConnectionDeadline.closeAt(closed::incrementAndGet, System.nanoTime() + Duration.ofMillis(50).toNanos());
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> closed.get() == 1);
    }
}
