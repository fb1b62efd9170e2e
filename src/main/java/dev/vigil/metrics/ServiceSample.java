package dev.vigil.metrics;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;

/**
 * One graded service as the metrics show it.
 *
 * @param source the object the service comes from, as one {@code kind/name} label ({@code ingress/shop},
 *        {@code httproute/web}, {@code securitybaseline/<name>} for a URL the baseline lists)
 * @param grade F=0 … A+=12, absent when the service could not be graded
 * @param tlsLevel 0 non-compliant, 1 old, 2 intermediate, 3 modern
 */
public record ServiceSample(String namespace, String baseline, String host, String source, OptionalInt grade,
        OptionalInt score, boolean belowMinimum, int tlsLevel, Optional<Instant> certificateNotAfter,
        List<String> failingControls) {

    /**
     * Two measurements of the same series (one host a route serves through two Gateways) as one: the worse of each
     * figure — an ungraded entrance makes the series ungraded — and every failing control of either.
     */
    public static ServiceSample worstOf(ServiceSample a, ServiceSample b) {
        OptionalInt grade = a.grade.isEmpty() || b.grade.isEmpty() ? OptionalInt.empty()
                : OptionalInt.of(Math.min(a.grade.getAsInt(), b.grade.getAsInt()));
        OptionalInt score = a.score.isEmpty() || b.score.isEmpty() ? OptionalInt.empty()
                : OptionalInt.of(Math.min(a.score.getAsInt(), b.score.getAsInt()));
        Optional<Instant> notAfter = Stream.of(a.certificateNotAfter, b.certificateNotAfter).flatMap(Optional::stream)
                .min(Comparator.naturalOrder());
        List<String> failing = new ArrayList<>(new LinkedHashSet<>(Stream.concat(a.failingControls.stream(),
                b.failingControls.stream()).toList()));
        return new ServiceSample(a.namespace, a.baseline, a.host, a.source, grade, score, a.belowMinimum || b.belowMinimum,
                Math.min(a.tlsLevel, b.tlsLevel), notAfter, failing);
    }
}
