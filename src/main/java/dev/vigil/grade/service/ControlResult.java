package dev.vigil.grade.service;

/** One control of a service: its state, what was seen, and a one-line fix. */
public record ControlResult(String control, ControlState state, String detail, String remediation) {

    public boolean failing() {
        return state == ControlState.FAIL || state == ControlState.ERROR;
    }

    ControlResult accepted(String by) {
        return new ControlResult(control, ControlState.ACCEPTED, detail + " (accepted: " + by + ")", remediation);
    }
}
