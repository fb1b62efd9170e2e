package dev.vigil.kube;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** The RFC 3339 times Kubernetes objects carry as text (creationTimestamp, status times). */
public final class Timestamps {

    private Timestamps() {
    }

    /** Empty when absent or not a time: a hand-edited status must not break a reconcile. */
    public static Optional<Instant> instant(String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(text).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
