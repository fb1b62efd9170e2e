package dev.vigil.kube;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionsTest {

    @Test
    void longMessagesAreTruncatedLikeEventMessages() {
        String message = "no available key opens the data key; document recipients: " + "age1xyz, ".repeat(2000);
        var conditions = Conditions.with(List.of(), "Ready", false, "NoMatchingKey", message, 1L, Instant.EPOCH);
        String kept = Conditions.find(conditions, "Ready").orElseThrow().getMessage();
        assertThat(kept).hasSize(Conditions.MAX_MESSAGE).startsWith("no available key").endsWith("…");
        assertThat(Conditions.with(List.of(), "Ready", true, "Decrypted", "short", 1L, Instant.EPOCH).get(0).getMessage())
                .isEqualTo("short");
    }
}
