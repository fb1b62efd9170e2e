package dev.vigil.metrics;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** What the metrics show of one SealedSecret: no values, only state, times and key identifiers. */
public record SealedSecretSample(String namespace, String name, boolean ready, Optional<Instant> lastSuccess,
        Optional<Instant> lastModified, List<String> openedBy) {
}
