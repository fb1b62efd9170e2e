package dev.vigil.secrets;

import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

/**
 * The Secret content a document decrypts to, with the target its encrypted values bind it to (a Secret
 * manifest's encrypted metadata.namespace/name), if any.
 */
public record SecretPayload(SortedMap<String, byte[]> data, Optional<String> type, ScopeRules.Binding binding) {

    @Override
    public String toString() {
        return "SecretPayload" + Map.of("keys", data.keySet(), "type", type.orElse("-"));
    }
}
