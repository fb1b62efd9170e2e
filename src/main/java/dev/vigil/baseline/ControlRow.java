package dev.vigil.baseline;

/** A control that is not passing: its state (fail, accepted, error), the level the baseline gives it, and a fix. */
public record ControlRow(String control, String state, String level, String detail, String remediation) {
}
