package dev.vigil.secrets;

import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** What the operator last did with the document; never carries a secret value. */
public class SealedSecretStatus {

    public Long observedGeneration;
    public List<Condition> conditions = new ArrayList<>();
    /** Name of the Secret written from the document. */
    public String secretName;
    /** Keys of the Secret's data, never the values. */
    public List<String> dataKeys;
    /** Age recipient or PGP fingerprint whose private key opened the document. */
    public String openedBy;
    /** The document's sops.lastmodified. */
    public String lastModified;
    /** When the document was last decrypted successfully (RFC 3339). */
    public String lastSuccessTime;

    @Override
    public boolean equals(Object o) {
        return o instanceof SealedSecretStatus s
                && Objects.equals(observedGeneration, s.observedGeneration)
                && Objects.equals(conditions, s.conditions)
                && Objects.equals(secretName, s.secretName)
                && Objects.equals(dataKeys, s.dataKeys)
                && Objects.equals(openedBy, s.openedBy)
                && Objects.equals(lastModified, s.lastModified)
                && Objects.equals(lastSuccessTime, s.lastSuccessTime);
    }

    @Override
    public int hashCode() {
        return Objects.hash(observedGeneration, conditions, secretName, dataKeys, openedBy, lastModified, lastSuccessTime);
    }
}
