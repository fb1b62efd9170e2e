package dev.vigil.baseline;

import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

public class SecurityBaselineStatus {

    public Long observedGeneration;
    public List<Condition> conditions = new ArrayList<>();
    public Summary summary;
    /** One row per covered service, worst first, capped at the operator's row limit. */
    public List<ServiceRow> services = new ArrayList<>();
    /** Rows left out because of the cap. */
    public Integer servicesOmitted;
    /** Every accepted risk of the spec and whether it is active now. */
    public List<ExceptionStatus> exceptions = new ArrayList<>();
    /** Active exceptions for the admission policies, and the background audit. */
    public EnforcementStatus enforcement;
    /** Secret hygiene of the covered namespaces (spec.requirements.secrets); absent when not required. */
    public SecretHygieneStatus secrets;

    @Override
    public boolean equals(Object o) {
        return o instanceof SecurityBaselineStatus s
                && Objects.equals(observedGeneration, s.observedGeneration)
                && Objects.equals(conditions, s.conditions)
                && Objects.equals(summary, s.summary)
                && Objects.equals(services, s.services)
                && Objects.equals(servicesOmitted, s.servicesOmitted)
                && Objects.equals(exceptions, s.exceptions)
                && Objects.equals(enforcement, s.enforcement)
                && Objects.equals(secrets, s.secrets);
    }

    @Override
    public int hashCode() {
        return Objects.hash(observedGeneration, conditions, summary, services, servicesOmitted, exceptions, enforcement, secrets);
    }
}
