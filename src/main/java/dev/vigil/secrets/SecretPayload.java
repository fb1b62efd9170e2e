package dev.vigil.secrets;

import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

/**
 * The Secret content a document decrypts to, with the target the MAC-protected document names
 * (a Secret manifest's metadata.namespace/name), if any.
 */
public record SecretPayload(SortedMap<String, byte[]> data, Optional<String> type,
        Optional<String> boundNamespace, Optional<String> boundName) {

    public boolean bound() {
        return boundNamespace.isPresent() || boundName.isPresent();
    }

    @Override
    public String toString() {
        return "SecretPayload" + Map.of("keys", data.keySet(), "type", type.orElse("-"));
    }
}
