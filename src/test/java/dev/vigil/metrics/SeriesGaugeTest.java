package dev.vigil.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SeriesGaugeTest {

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final SeriesGauge grades = new SeriesGauge(MultiGauge.builder("vigil.service.grade").register(registry));

    Gauge gauge(String host) {
        return registry.find("vigil.service.grade").tag("host", host).gauge();
    }

    @Test
    void aNewValueUpdatesTheRegisteredGaugeInPlace() {
        grades.set(Map.of(Tags.of("host", "a.test"), SeriesGauge.value(12), Tags.of("host", "b.test"), SeriesGauge.value(3)));
        Gauge a = gauge("a.test");
        assertThat(a.value()).isEqualTo(12);

        grades.set(Map.of(Tags.of("host", "a.test"), SeriesGauge.value(7), Tags.of("host", "b.test"), SeriesGauge.value(3)));
        assertThat(gauge("a.test")).as("the same gauge, not a new registration").isSameAs(a);
        assertThat(a.value()).isEqualTo(7);
    }

    @Test
    void seriesComeAndGoWithTheirObjects() {
        grades.set(Map.of(Tags.of("host", "a.test"), SeriesGauge.value(12)));
        grades.set(Map.of(Tags.of("host", "b.test"), SeriesGauge.value(5)));
        assertThat(gauge("a.test")).isNull();
        assertThat(gauge("b.test").value()).isEqualTo(5);
        grades.set(Map.of());
        assertThat(registry.find("vigil.service.grade").gauges()).isEmpty();
    }
}
