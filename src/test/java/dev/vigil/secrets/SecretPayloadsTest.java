package dev.vigil.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.sops.DecryptedDocument;
import dev.vigil.sops.SopsFormat;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

        SecretPayload payload = SecretPayloads.from(doc(SopsFormat.YAML, manifest), null);

        assertThat(text(payload, "tls.crt")).isEqualTo("CERT");
        assertThat(text(payload, "note")).isEqualTo("hello");
        assertThat(payload.type()).contains("kubernetes.io/tls");
        assertThat(payload.boundNamespace()).contains("web");
        assertThat(payload.boundName()).contains("tls");
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
        assertThat(payload.bound()).isFalse();
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

    private static DecryptedDocument doc(SopsFormat format, Map<String, Object> tree) {
        return new DecryptedDocument(format, List.of(tree), null, "age1test", "2024-01-01T00:00:00Z");
    }

    private static String text(SecretPayload payload, String key) {
        return new String(payload.data().get(key), StandardCharsets.UTF_8);
    }
}
