package dev.vigil.metrics;

import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * A family of gauge series whose gauges stay registered while their series exist: a new value is written into the
 * series' holder, and the registry is touched only when series appear or go. Re-registering every row on each update
 * ({@code MultiGauge.register(rows, true)}) made a baseline's reconcile rebuild one gauge per service and metric —
 * 50,000 gauges, several times a second at 10,000 services — which was most of the operator's allocation at scale.
 */
final class SeriesGauge {

    /** One series' current value, read at scrape time. */
    private static final class Series {
        private volatile DoubleSupplier value;

        double read() {
            return value.getAsDouble();
        }
    }

    private final MultiGauge gauge;
    private Map<Tags, Series> series = Map.of();

    SeriesGauge(MultiGauge gauge) {
        this.gauge = gauge;
    }

    /** Makes the family exactly {@code values}: series not named go, new ones are registered, the rest update in place. */
    synchronized void set(Map<Tags, DoubleSupplier> values) {
        Map<Tags, Series> next = new HashMap<>(Math.max(16, values.size() * 2));
        values.forEach((tags, value) -> {
            Series s = series.get(tags);
            if (s == null) {
                s = new Series();
            }
            s.value = value;
            next.put(tags, s);
        });
        boolean sameSeries = next.keySet().equals(series.keySet());
        series = next;
        if (!sameSeries) {
            List<MultiGauge.Row<?>> rows = next.entrySet().stream()
                    .<MultiGauge.Row<?>>map(e -> MultiGauge.Row.of(e.getKey(), e.getValue(), Series::read)).toList();
            gauge.register(rows, false);
        }
    }

    /** A constant value, as a supplier. */
    static DoubleSupplier value(double v) {
        return () -> v;
    }
}
