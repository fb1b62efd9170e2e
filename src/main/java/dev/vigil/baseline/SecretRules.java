package dev.vigil.baseline;

import io.fabric8.kubernetes.api.model.LabelSelector;
import java.time.Duration;
import java.util.Optional;

/**
 * A baseline's {@code spec.requirements.secrets} as the operator judges it, with the Secrets
 * {@code spec.enforcement.exemptSecrets} lets users write (the same exemption as the admission rule).
 *
 * @param maxDocumentAge absent: {@code secret-rotation} is not judged
 * @param sealedSecretsOnly false: {@code secret-source} is not judged, and no plain Secret is read
 */
public record SecretRules(Optional<Duration> maxDocumentAge, boolean sealedSecretsOnly, Optional<LabelSelector> exemptSecrets) {

    public static final SecretRules NONE = new SecretRules(Optional.empty(), false, Optional.empty());

    /** Whether anything about Secrets is judged: only then are SealedSecrets and Secrets read for this baseline. */
    public boolean judged() {
        return maxDocumentAge.isPresent() || sealedSecretsOnly;
    }
}
