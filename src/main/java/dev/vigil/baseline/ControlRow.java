package dev.vigil.baseline;

/** A control that is not passing: its state (fail, accepted, error) and a one-line fix. */
public record ControlRow(String control, String state, String detail, String remediation) {
}
