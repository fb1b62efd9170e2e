package dev.vigil.grade.tls;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The versions of Mozilla's guidelines Vigil ships (src/main/resources/mozilla-guidelines/). The CRD's
 * allowed values and the CLI's {@code --guidelines} come from this enum; 6.0 has no "old" level.
 */
public enum GuidelinesVersion {
    @JsonProperty("5.7") V5_7("5.7"),
    @JsonProperty("5.8") V5_8("5.8"),
    @JsonProperty("6.0") V6_0("6.0");

    public static final GuidelinesVersion DEFAULT = V5_8;

    private final String label;

    GuidelinesVersion(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static List<String> labels() {
        return Arrays.stream(values()).map(GuidelinesVersion::label).toList();
    }

    public static Optional<GuidelinesVersion> parse(String label) {
        return Arrays.stream(values()).filter(v -> v.label.equals(label)).findFirst();
    }
}
