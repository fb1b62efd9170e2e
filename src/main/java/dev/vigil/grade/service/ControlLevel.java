package dev.vigil.grade.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/**
 * How a baseline treats a failing control, as a test suite treats a test: {@code fail} makes the service
 * non-compliant whatever its grade, {@code warn} is reported but counts only through the grade, {@code ignore}
 * drops the control (no row, no cap, an Observatory penalty given back).
 */
public enum ControlLevel {
    @JsonProperty("fail") FAIL,
    @JsonProperty("warn") WARN,
    @JsonProperty("ignore") IGNORE;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
