package dev.vigil.admission;

/** An existing object that a rule would refuse (Deny), warn about (Warn) or record (Audit) if it were applied now. */
public record Violation(String kind, String namespace, String name, String uid, Rule rule, Mode mode, String baseline,
        String message) {
}
