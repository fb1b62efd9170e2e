package dev.vigil.baseline;

import java.util.List;

/**
 * The secret hygiene of the covered namespaces ({@code spec.requirements.secrets}); absent when nothing is required.
 *
 * @param maxDocumentAge the required maximum, as written; absent when document age is not judged
 * @param sealedSecrets SealedSecrets in the covered namespaces
 * @param documentsTooOld SealedSecrets whose document is older than {@code maxDocumentAge}
 * @param documentsAgeUnknown SealedSecrets never decrypted, whose document age is not known: not judged
 * @param secretsChecked plain Secrets checked for {@code sealedSecretsOnly}; absent when not judged
 * @param secretsNotFromGit those no SealedSecret manages and no exemption covers
 * @param secretsTruncated namespaces holding more Secrets than the operator lists (vigil.baselines.max-secrets-listed):
 *     the rest were not checked
 * @param failing the failing SealedSecrets and Secrets, up to the operator's row limit; absent when none fails
 * @param failingOmitted rows left out because of that limit
 */
public record SecretHygieneStatus(String maxDocumentAge, Integer sealedSecrets, Integer documentsTooOld,
        Integer documentsAgeUnknown, Integer secretsChecked, Integer secretsNotFromGit, List<String> secretsTruncated,
        List<SecretRow> failing, Integer failingOmitted) {

    /** The failing rows, empty when none fails. */
    public List<SecretRow> failingRows() {
        return failing == null ? List.of() : failing;
    }
}
