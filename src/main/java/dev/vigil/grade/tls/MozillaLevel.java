package dev.vigil.grade.tls;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;
import java.util.Optional;

/**
 * A Mozilla Server Side TLS configuration level a baseline can require, weakest first. The spelling is
 * the guidelines' own; the CRD's allowed values are generated from this enum.
 */
public enum MozillaLevel {
    @JsonProperty("old") OLD,
    @JsonProperty("intermediate") INTERMEDIATE,
    @JsonProperty("modern") MODERN;

    /** What an endpoint that meets no level is reported as. */
    public static final String NON_COMPLIANT = "non-compliant";

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<MozillaLevel> parse(String label) {
        for (MozillaLevel level : values()) {
            if (level.label().equals(label)) {
                return Optional.of(level);
            }
        }
        return Optional.empty();
    }

    /** 0 non-compliant, 1 old, 2 intermediate, 3 modern: the number the metrics export. */
    public static int rank(String achieved) {
        return parse(achieved).map(l -> l.ordinal() + 1).orElse(0);
    }

    /** Whether an endpoint evaluated at {@code achieved} meets this level. */
    public boolean metBy(String achieved) {
        return rank(achieved) >= ordinal() + 1;
    }
}
