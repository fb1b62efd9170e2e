package dev.vigil.baseline;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/**
 * Secret hygiene every covered namespace must meet ({@code spec.requirements.secrets}); each field left out is not
 * judged at all (its control is absent from every row). Judged by {@link SecretHygieneGatherer}.
 */
public class SecretRequirements {

    @Size(max = 32)
    @Pattern("^([0-9]+(d|h|m|s))+$")
    @JsonPropertyDescription("Oldest a SealedSecret's Sops document (its sops.lastmodified) may be, e.g. 90d or 2160h;"
            + " an older one fails the secret-rotation control on the SealedSecret and on every service of its namespace.")
    public String maxDocumentAge;

    @JsonPropertyDescription("true: a Secret in a covered namespace that no SealedSecret manages fails the secret-source"
            + " control (service-account tokens, Helm release records, cert-manager's Secrets and"
            + " spec.enforcement.exemptSecrets excepted, as in the admission rule secrets-from-git).")
    public Boolean sealedSecretsOnly;
}
