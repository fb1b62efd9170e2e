package dev.vigil.grade.service;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The secret facts of one namespace a baseline covers, as plain counts and names (never a value), gathered by the
 * operator from the cluster: what the {@value SecretControls#SECRET_ROTATION} and {@value SecretControls#SECRET_SOURCE}
 * controls judge. A requirement the baseline does not set is absent, and its control is then not judged at all.
 *
 * @param rotation the Sops documents of the namespace's SealedSecrets against {@code maxDocumentAge}
 * @param source the namespace's plain Secrets against {@code sealedSecretsOnly}
 */
public record SecretHygiene(Optional<Rotation> rotation, Optional<Source> source) {

    /** No secret requirement: neither control is judged. */
    public static final SecretHygiene NONE = new SecretHygiene(Optional.empty(), Optional.empty());

    /**
     * @param maxAge the oldest a document may be
     * @param documents SealedSecrets whose document age is known (decrypted at least once)
     * @param stale names of the SealedSecrets whose document is older than {@code maxAge}, sorted
     */
    public record Rotation(Duration maxAge, int documents, List<String> stale) {
        public Rotation {
            stale = List.copyOf(stale);
        }
    }

    /**
     * @param checked plain Secrets looked at in the namespace
     * @param notFromGit names of the Secrets no SealedSecret manages and no exemption covers, sorted
     * @param truncated the namespace holds more Secrets than the operator lists: some were not checked
     */
    public record Source(int checked, List<String> notFromGit, boolean truncated) {
        public Source {
            notFromGit = List.copyOf(notFromGit);
        }
    }

    public boolean judged() {
        return rotation.isPresent() || source.isPresent();
    }
}
