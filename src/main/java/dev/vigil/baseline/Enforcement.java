package dev.vigil.baseline;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.vigil.admission.Mode;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.LabelSelector;

/** What the admission policies (chart value admission.enabled) enforce in this baseline's namespace. */
public class Enforcement {

    /** Where Secrets in the namespace may come from. */
    public enum SecretSources {
        /** No rule for Secrets. */
        Any,
        /** Only Vigil writes Secret content, from SealedSecrets committed to git. */
        SealedSecretsOnly
    }

    @Default("Audit")
    @JsonPropertyDescription("What the admission policies do with a violation: Audit (API server audit log and this status),"
            + " Warn (the request goes through with a warning) or Deny (the request is refused).")
    public Mode mode = Mode.Audit;

    @Default("Any")
    @JsonPropertyDescription("SealedSecretsOnly: only Vigil may create Secrets or change their content in this namespace;"
            + " service-account tokens, Helm release records, cert-manager's Secrets and exemptSecrets stay allowed.")
    public SecretSources secrets = SecretSources.Any;

    @ValidationRule(value = "(has(self.matchLabels) && size(self.matchLabels) > 0)"
            + " || (has(self.matchExpressions) && size(self.matchExpressions) > 0)",
            message = "exemptSecrets must select by at least one label; an empty selector would exempt every Secret")
    @JsonPropertyDescription("Secrets users may still write when secrets is SealedSecretsOnly (label selector).")
    public LabelSelector exemptSecrets;
}
