package dev.vigil.admission;

import java.util.List;

/** Everything the shipped policies decide about one request. */
public record Verdict(AdmissionRequest request, List<Decision> decisions) {

    public boolean denied() {
        return decisions.stream().anyMatch(Decision::denies);
    }

    public List<Decision> denials() {
        return decisions.stream().filter(Decision::denies).toList();
    }

    public List<Decision> warnings() {
        return decisions.stream().filter(Decision::warns).toList();
    }

    /** Failures recorded only in the audit log (baselines in Audit mode). */
    public List<Decision> auditOnly() {
        return decisions.stream().filter(d -> !d.denies() && !d.warns()).toList();
    }

    /**
     * One line per outcome: {@code allow}, {@code audit: …}, {@code warn: …} or {@code deny: …} (the strongest
     * outcome first; several failures joined with "; ").
     */
    public String summary() {
        if (denied()) {
            return "deny: " + String.join("; ", denials().stream().map(Decision::message).toList());
        }
        if (!warnings().isEmpty()) {
            return "warn: " + String.join("; ", warnings().stream().map(Decision::message).toList());
        }
        if (!auditOnly().isEmpty()) {
            return "audit: " + String.join("; ", auditOnly().stream().map(Decision::message).toList());
        }
        return "allow";
    }
}
