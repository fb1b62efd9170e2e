package dev.vigil.grade.service;

import java.util.Optional;

/**
 * One control of a service: its state, what was seen, a one-line fix, the grade it caps the service at while
 * failing, the Observatory penalty it carries, and the level the baseline gives it.
 */
public record ControlResult(String control, ControlState state, String detail, String remediation, Optional<Cap> cap,
        int penalty, ControlLevel level) {

    /**
     * Texts are interned: the same few hundred details and fixes repeat across every service an operator grades and
     * are held for each between probes (at 10,000 services, 210,000 results and most of the heap's strings).
     */
    public ControlResult {
        detail = detail == null ? null : detail.intern();
        remediation = remediation == null ? null : remediation.intern();
    }

    public boolean failing() {
        return state == ControlState.FAIL || state == ControlState.ERROR;
    }

    static ControlResult pass(String control, String detail) {
        return new ControlResult(control, ControlState.PASS, detail, "", Optional.empty(), 0, ControlLevel.WARN);
    }

    static ControlResult fail(String control, String detail, String remediation, Cap cap) {
        return new ControlResult(control, ControlState.FAIL, detail, remediation, Optional.of(cap), 0, ControlLevel.WARN);
    }

    /** A failing control that caps nothing: a finding reported in rows, {@code scan} and metrics, felt through no grade. */
    static ControlResult finding(String control, String detail, String remediation) {
        return new ControlResult(control, ControlState.FAIL, detail, remediation, Optional.empty(), 0, ControlLevel.WARN);
    }

    ControlResult at(ControlLevel newLevel) {
        return new ControlResult(control, state, detail, remediation, cap, penalty, newLevel);
    }

    ControlResult accepted(String owner) {
        return new ControlResult(control, ControlState.ACCEPTED, detail + " (accepted: " + owner + ")", remediation, cap,
                penalty, level);
    }
}
