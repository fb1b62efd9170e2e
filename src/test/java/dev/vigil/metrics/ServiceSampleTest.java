package dev.vigil.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** One series for a host a route serves through two Gateways: its worst entrance. */
class ServiceSampleTest {

    static ServiceSample sample(OptionalInt grade, int tls, String notAfter, boolean below, String... failing) {
        return new ServiceSample("shop", "web", "shop.test", "httproute/web", grade, grade, below, tls,
                Optional.of(Instant.parse(notAfter)), List.of(failing));
    }

    @Test
    void theWorseOfEachFigureAndEveryFailingControl() {
        ServiceSample edge = sample(OptionalInt.of(12), 3, "2027-01-01T00:00:00Z", false, "cookies");
        ServiceSample internal = sample(OptionalInt.of(7), 2, "2026-12-01T00:00:00Z", true, "tls-level", "cookies");
        ServiceSample merged = ServiceSample.worstOf(edge, internal);
        assertThat(merged.grade()).hasValue(7);
        assertThat(merged.tlsLevel()).isEqualTo(2);
        assertThat(merged.belowMinimum()).isTrue();
        assertThat(merged.certificateNotAfter()).contains(Instant.parse("2026-12-01T00:00:00Z"));
        assertThat(merged.failingControls()).containsExactly("cookies", "tls-level");
        assertThat(ServiceSample.worstOf(edge, sample(OptionalInt.empty(), 0, "2027-01-01T00:00:00Z", true)).grade())
                .as("an ungraded entrance makes the series ungraded").isEmpty();
    }
}
