package dev.vigil.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KeyLabelTest {

    @Test
    void classicKeysStayWholeAndPostQuantumRecipientsAreShortened() {
        String x25519 = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p";
        assertThat(VigilMetrics.keyLabel(x25519)).isEqualTo(x25519);
        assertThat(VigilMetrics.keyLabel("pgp FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4")).startsWith("pgp ");
        String pq = "age1pq1" + "q".repeat(1900) + "endofkey";
        String label = VigilMetrics.keyLabel(pq);
        assertThat(label).hasSize(37).startsWith("age1pq1").endsWith("qqqqendofkey").contains("…");
    }
}
