package dev.vigil.admission;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A baseline's enforcement mode ({@code spec.enforcement.mode}). A binding's validationActions are fixed,
 * so every rule is shipped once per mode, and each copy only fires for baselines in its mode.
 */
public enum Mode {
    /** Violations go to the API server's audit log (and Vigil's background audit) only. */
    Audit(List.of("Audit")),
    /** The user sees a {@code Warning:} line; the request goes through. */
    Warn(List.of("Warn", "Audit")),
    /** The request is refused. */
    Deny(List.of("Deny", "Audit"));

    private final List<String> validationActions;

    Mode(List<String> validationActions) {
        this.validationActions = validationActions;
    }

    /** The binding's {@code validationActions} (Deny and Warn cannot be combined; Audit is always recorded). */
    public List<String> validationActions() {
        return validationActions;
    }

    /** Lower-case form used in policy names ({@code vigil-tls-for-every-host-deny}). */
    public String suffix() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The mode named in a baseline, Audit when absent (the CRD's default). */
    public static Optional<Mode> parse(String text) {
        if (text == null) {
            return Optional.of(Audit);
        }
        for (Mode m : values()) {
            if (m.name().equals(text)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }
}
