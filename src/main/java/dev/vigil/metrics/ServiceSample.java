package dev.vigil.metrics;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One graded service as the metrics show it.
 *
 * @param grade F=0 … A+=12, absent when the service could not be graded
 * @param tlsLevel 0 non-compliant, 1 old, 2 intermediate, 3 modern
 */
public record ServiceSample(String namespace, String baseline, String host, OptionalInt grade, OptionalInt score,
        boolean belowMinimum, int tlsLevel, Optional<Instant> certificateNotAfter, List<String> failingControls) {
}
