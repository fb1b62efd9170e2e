package dev.vigil.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.sops.DecryptedDocument;
import dev.vigil.sops.SopsFormat;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SecretPayloadsTest {

    @Test
    void secretManifestGivesDataStringDataTypeAndBinding() throws Exception {
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("apiVersion", "v1");
        manifest.put("kind", "Secret");
        manifest.put("metadata", Map.of("name", "tls", "namespace", "web"));
        manifest.put("type", "kubernetes.io/tls");
        manifest.put("data", Map.of("tls.crt", "Q0VSVA=="));
        manifest.put("stringData", Map.of("note", "hello"));

        SecretPayload payload = SecretPayloads.from(encrypted(manifest, false, List.of("metadata", "namespace"),
                List.of("metadata", "name"), List.of("data", "tls.crt"), List.of("stringData", "note")), null);

        assertThat(text(payload, "tls.crt")).isEqualTo("CERT");
        assertThat(text(payload, "note")).isEqualTo("hello");
        assertThat(payload.type()).contains("kubernetes.io/tls");
        assertThat(payload.binding().namespace()).contains("web");
        assertThat(payload.binding().name()).contains("tls");
        assertThat(payload.binding().clearTextPaths()).isEmpty();
    }

    @Test
    void clearTextBindingIsIgnoredAndReported() throws Exception {
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("apiVersion", "v1");
        manifest.put("kind", "Secret");
        manifest.put("metadata", Map.of("name", "tls", "namespace", "web"));
        manifest.put("stringData", Map.of("note", "hello"));

        // Only the name is encrypted: the clear namespace counts for nothing.
        SecretPayload payload = SecretPayloads.from(encrypted(manifest, false, List.of("metadata", "name"),
                List.of("stringData", "note")), null);

        assertThat(payload.binding().namespace()).isEmpty();
        assertThat(payload.binding().name()).contains("tls");
        assertThat(payload.binding().clearTextPaths()).containsExactly("metadata.namespace");
        // An encrypted value at another path (e.g. moved to a top-level "metadata:namespace" key, which has the same
        // AAD) is no binding either: the path must be exactly metadata → namespace.
        SecretPayload moved = SecretPayloads.from(encrypted(manifest, false, List.of("metadata:namespace")), null);
        assertThat(moved.binding().namespace()).isEmpty();
    }

    @Test
    void macOnlyEncryptedDocumentsMustEncryptEverySecretValue() throws Exception {
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("apiVersion", "v1");
        manifest.put("kind", "Secret");
        manifest.put("type", "Opaque");
        manifest.put("metadata", Map.of("name", "db"));
        manifest.put("stringData", Map.of("password", "pw", "injected", "attacker-chosen"));

        var unprotected = encrypted(manifest, true, List.of("stringData", "password"));
        assertThatThrownBy(() -> SecretPayloads.from(unprotected, null)).isInstanceOf(PayloadException.class)
                .satisfies(e -> assertThat(((PayloadException) e).outcome()).isEqualTo(Outcome.UnprotectedCleartext))
                .hasMessageContaining("stringData.injected").hasMessageContaining("mac_only_encrypted")
                .hasMessageNotContaining("attacker-chosen");
        // Clear metadata and type are fine (they are not Secret data); with every data value encrypted it is accepted.
        var protectedDoc = encrypted(manifest, true, List.of("stringData", "password"), List.of("stringData", "injected"));
        assertThat(SecretPayloads.from(protectedDoc, null).data()).containsKeys("password", "injected");
        // Outside a Secret manifest every value is Secret data.
        var plain = encrypted(Map.of("a", "1", "b", "2"), true, List.of("a"));
        assertThatThrownBy(() -> SecretPayloads.from(plain, null)).hasMessageContaining(" b ");
    }

    @Test
    void aKeyGivenTwiceIsRefused() {
        // Empty values are outside the MAC: an added empty stringData entry must not be able to blank a data value.
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("apiVersion", "v1");
        manifest.put("kind", "Secret");
        manifest.put("data", Map.of("password", "cHc="));
        manifest.put("stringData", Map.of("password", ""));
        assertThatThrownBy(() -> SecretPayloads.from(doc(SopsFormat.YAML, manifest), null)).isInstanceOf(PayloadException.class)
                .hasMessageContaining("\"password\" is given twice");

        Map<String, Object> ini = new LinkedHashMap<>();
        ini.put("DEFAULT", Map.of("db.user", ""));
        ini.put("db", Map.of("user", "admin"));
        assertThatThrownBy(() -> SecretPayloads.from(doc(SopsFormat.INI, ini), null)).hasMessageContaining("given twice");
    }

    @Test
    void plainMapGivesOneKeyPerEntryWithScalarsAsTextAndNestedAsJson() throws Exception {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("password", "s3cr3t");
        map.put("port", 5432L);
        map.put("ratio", 0.75);
        map.put("enabled", true);
        map.put("empty", null);
        map.put("nested", Map.of("a", List.of(1L, 2L)));

        SecretPayload payload = SecretPayloads.from(doc(SopsFormat.JSON, map), null);

        assertThat(text(payload, "password")).isEqualTo("s3cr3t");
        assertThat(text(payload, "port")).isEqualTo("5432");
        assertThat(text(payload, "ratio")).isEqualTo("0.75");
        assertThat(text(payload, "enabled")).isEqualTo("true");
        assertThat(text(payload, "empty")).isEmpty();
        assertThat(text(payload, "nested")).isEqualTo("{\"a\":[1,2]}");
        assertThat(payload.binding()).isEqualTo(ScopeRules.Binding.NONE);
    }

    @Test
    void iniKeysAreSectionDotKeyWithDefaultBare() throws Exception {
        Map<String, Object> ini = new LinkedHashMap<>();
        ini.put("DEFAULT", Map.of("global", "g"));
        ini.put("database", Map.of("user", "admin"));
        SecretPayload payload = SecretPayloads.from(doc(SopsFormat.INI, ini), null);
        assertThat(payload.data().keySet()).containsExactly("database.user", "global");
    }

    @Test
    void binaryNeedsAKeyName() throws Exception {
        byte[] bytes = {0, 1, (byte) 0xff};
        var binary = new DecryptedDocument(SopsFormat.BINARY, List.of(), bytes, "age1x", "2024-01-01T00:00:00Z");
        assertThat(SecretPayloads.from(binary, "blob").data().get("blob")).containsExactly(bytes);
        assertThatThrownBy(() -> SecretPayloads.from(binary, null)).isInstanceOf(PayloadException.class)
                .hasMessageContaining("binaryKey");
    }

    @Test
    void invalidKeysAndBase64AreRejectedWithoutEchoingValues() {
        Map<String, Object> badKey = Map.of("has space", "value-not-shown");
        assertThatThrownBy(() -> SecretPayloads.from(doc(SopsFormat.YAML, badKey), null))
                .isInstanceOf(PayloadException.class)
                .hasMessageContaining("has space")
                .hasMessageNotContaining("value-not-shown");

        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("apiVersion", "v1");
        manifest.put("kind", "Secret");
        manifest.put("data", Map.of("k", "not*base64!secretish"));
        assertThatThrownBy(() -> SecretPayloads.from(doc(SopsFormat.YAML, manifest), null))
                .isInstanceOf(PayloadException.class)
                .hasMessageContaining("data.k")
                .hasMessageNotContaining("secretish");
    }

    @Test
    void multiDocumentYamlIsRefused() {
        var twoDocs = new DecryptedDocument(SopsFormat.YAML, List.of(Map.of("a", "1"), Map.of("b", "2")), null, "k", null);
        assertThatThrownBy(() -> SecretPayloads.from(twoDocs, null)).isInstanceOf(PayloadException.class)
                .hasMessageContaining("2 YAML documents");
    }

    /** A YAML document reporting these paths as encrypted and every other leaf as clear text. */
    @SafeVarargs
    private static DecryptedDocument encrypted(Map<String, Object> tree, boolean macOnly, List<String>... encryptedPaths) {
        Set<List<String>> encrypted = Set.of(encryptedPaths);
        Set<List<String>> clear = new HashSet<>();
        leaves(tree, List.of(), clear);
        clear.removeAll(encrypted);
        return new DecryptedDocument(SopsFormat.YAML, List.of(tree), null, "age1test", "2024-01-01T00:00:00Z", List.of("test"),
                List.of(new DecryptedDocument.Protection(encrypted, clear)), macOnly);
    }

    private static void leaves(Object node, List<String> path, Set<List<String>> out) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                List<String> child = new ArrayList<>(path);
                child.add(String.valueOf(k));
                leaves(v, child, out);
            });
        } else if (node != null) {
            out.add(path);
        }
    }

    private static DecryptedDocument doc(SopsFormat format, Map<String, Object> tree) {
        return new DecryptedDocument(format, List.of(tree), null, "age1test", "2024-01-01T00:00:00Z");
    }

    private static String text(SecretPayload payload, String key) {
        return new String(payload.data().get(key), StandardCharsets.UTF_8);
    }
}
