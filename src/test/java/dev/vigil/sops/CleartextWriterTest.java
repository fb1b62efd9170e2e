package dev.vigil.sops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Cleartext printed the way {@code sops decrypt} prints each store (YAML with 4-space indent and go-yaml's quoting,
 * JSON indented with tabs, dotenv with "\n" escapes, INI with " = "), and the fixtures' JSON layout.
 */
class CleartextWriterTest {

    static Map<String, Object> map(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    static DecryptedDocument doc(SopsFormat format, Object... documents) {
        return new DecryptedDocument(format, new ArrayList<>(List.of(documents)), null, "age1x", "2024-01-01T00:00:00Z");
    }

    static final SopsTime NOON = new SopsTime(OffsetDateTime.parse("2024-05-01T12:00:00.5Z"));

    @Test
    void yamlDocumentsWithGoYamlQuoting() {
        String out = CleartextWriter.render(doc(SopsFormat.YAML, map("a", "plain", "n", 5L, "s", "017", "t", NOON, "nested",
                map("list", List.of("x", 1.5)), "multi", "l1\nl2", "empty", ""), map("second", true)));
        assertThat(out).isEqualTo("""
                a: plain
                n: 5
                s: "017"
                t: "2024-05-01T12:00:00.5Z"
                nested:
                    list:
                      - x
                      - 1.5
                multi: |-
                    l1
                    l2
                empty: ""
                ---
                second: true
                """);
    }

    @Test
    void jsonIndentedWithTabs() {
        // Go's json.Indent(…, "", "\t") plus a newline: "key": value, empty containers as {} and [].
        assertThat(CleartextWriter.render(doc(SopsFormat.JSON, map("a", "b", "n", List.of(1L, NOON), "e", map(), "l", List.of()))))
                .isEqualTo("{\n\t\"a\": \"b\",\n\t\"n\": [\n\t\t1,\n\t\t\"2024-05-01T12:00:00.5Z\"\n\t],\n\t\"e\": {},\n\t\"l\": []\n}\n");
    }

    @Test
    void dotenvAndIni() {
        assertThat(CleartextWriter.render(doc(SopsFormat.DOTENV, map("KEY", "v", "MULTI", "a\nb", "N", 3L))))
                .isEqualTo("KEY=v\nMULTI=a\\nb\nN=3\n");
        assertThat(CleartextWriter.render(doc(SopsFormat.INI, map("DEFAULT", map(), "db", map("user", "app", "port", 5432L),
                "empty", map())))).isEqualTo("[db]\nuser = app\nport = 5432\n\n[empty]\n\n");
        assertThat(CleartextWriter.render(doc(SopsFormat.INI, map("DEFAULT", map("top", "1"))))).isEqualTo("top = 1\n\n");
        assertThatThrownBy(() -> CleartextWriter.render(doc(SopsFormat.BINARY))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a binary document has no text form");
    }

    @Test
    void fixtureLayout() {
        assertThat(CleartextWriter.json(doc(SopsFormat.INI, map("DEFAULT", map(), "s", map("k", "v")))))
                .isEqualTo("{\n\t\"documents\": [\n\t\t{\n\t\t\t\"s\": {\n\t\t\t\t\"k\": \"v\"\n\t\t\t}\n\t\t}\n\t]\n}\n");
        // A DEFAULT section with keys is kept.
        assertThat(CleartextWriter.json(doc(SopsFormat.INI, map("DEFAULT", map("k", "v"))))).contains("\"DEFAULT\"");
        assertThat(CleartextWriter.json(doc(SopsFormat.YAML, map("t", NOON)))).contains("\"t\": \"2024-05-01T12:00:00.5Z\"");
        DecryptedDocument binary = new DecryptedDocument(SopsFormat.BINARY, List.of(), new byte[] {1, 2, 3}, "age1x", "x");
        assertThat(CleartextWriter.json(binary)).isEqualTo("{\n\t\"binary_base64\": \"AQID\",\n\t\"binary_sha256\": "
                + "\"039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81\",\n\t\"binary_length\": 3\n}\n");
        // toString never shows values.
        assertThat(doc(SopsFormat.YAML, map("password", "hunter2")).toString()).doesNotContain("hunter2")
                .isEqualTo("DecryptedDocument[format=YAML, documents=1, openedBy=age1x, lastModified=2024-01-01T00:00:00Z]");
    }

    @Test
    void plainReplacesTimestampsEverywhere() {
        Object plain = CleartextWriter.plain(map("a", List.of(map("t", NOON)), "b", 1L));
        assertThat(plain).isEqualTo(Map.of("a", List.of(Map.of("t", "2024-05-01T12:00:00.5Z")), "b", 1L));
    }
}
