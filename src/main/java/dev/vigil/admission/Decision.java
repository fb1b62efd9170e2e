package dev.vigil.admission;

import java.util.List;

/**
 * One failed validation: a rule in a mode, judged against one SecurityBaseline, with the actions the
 * binding takes (Deny, Warn, Audit).
 *
 * @param error true when the policy could not be evaluated (failurePolicy Fail turns that into a failure)
 */
public record Decision(String policy, String binding, Rule rule, Mode mode, String baseline, List<String> actions,
        String message, boolean error) {

    public boolean denies() {
        return actions.contains("Deny");
    }

    public boolean warns() {
        return actions.contains("Warn");
    }

    /** Worded like the API server's refusal ({@code kubectl apply} prints it after "Error from server:"). */
    public String denial() {
        return "ValidatingAdmissionPolicy '" + policy + "' with binding '" + binding + "' denied request: " + message;
    }

    /** Worded like the API server's warning ({@code kubectl} prints it after "Warning:"). */
    public String warning() {
        return "Validation failed for ValidatingAdmissionPolicy '" + policy + "' with binding '" + binding + "': " + message;
    }
}
