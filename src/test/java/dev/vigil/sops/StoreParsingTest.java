package dev.vigil.sops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The YAML and JSON stores on their own (sops-format.md §11.1–11.2): go-yaml's typing and key rules, the merge key
 * kept literal, explicit tags, comments only when asked for, and errors that say where, never what.
 */
class StoreParsingTest {

    static final String META = "sops:\n    lastmodified: \"2024-01-01T00:00:00Z\"\n    mac: x\n";

    static ParsedDocument yaml(String text) throws SopsException {
        return new YamlStore(Limits.DEFAULT, false).parse(text);
    }

    static ParsedDocument json(String text) throws SopsException {
        return new JsonStore(Limits.DEFAULT).parse(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void yamlValuesAreTypedAndOrdered() throws SopsException {
        Branch b = yaml("""
                s: text
                q: "017"
                n: 017
                f: 1.5
                t: 2024-05-01
                bool: true
                none: null
                bin: !!binary aGVsbG8=
                multiline: !!binary |
                    aGVs
                    bG8=
                i: !!int "12"
                fl: !!float "2"
                str: !!str 12
                block: |
                    line
                list: [a, 1]
                <<: {merged: yes}
                """ + META).branches().get(0);
        assertThat(b.items).extracting(Branch.Item::key).containsExactly("s", "q", "n", "f", "t", "bool", "none", "bin", "multiline", "i", "fl",
                "str", "block", "list", "<<");
        assertThat(b.get("s")).isEqualTo("text");
        assertThat(b.get("q")).isEqualTo("017");
        assertThat(b.get("n")).isEqualTo(15L);
        assertThat(b.get("f")).isEqualTo(1.5);
        assertThat(b.get("t")).isInstanceOf(SopsTime.class);
        assertThat(b.get("bool")).isEqualTo(true);
        assertThat(b.get("none")).isNull();
        assertThat(b.get("bin")).isEqualTo("hello");
        assertThat(b.get("multiline")).isEqualTo("hello");
        assertThat(b.get("i")).isEqualTo(12L);
        assertThat(b.get("fl")).isEqualTo(2.0);
        assertThat(b.get("str")).isEqualTo("12");
        assertThat(b.get("block")).isEqualTo("line\n");
        assertThat(b.get("list")).isEqualTo(List.of("a", 1L));
        // The merge key is a plain key; its value is not merged (go-yaml v3 in sops' tree mode).
        assertThat(((Branch) b.get("<<")).get("merged")).isEqualTo("yes");
    }

    @Test
    void severalDocumentsShareTheFirstMetadata() throws SopsException {
        ParsedDocument doc = yaml("a: 1\n" + META + "---\nb: 2\n" + META.replace("mac: x", "mac: y"));
        assertThat(doc.branches()).hasSize(2);
        assertThat(doc.branches().get(1).get("b")).isEqualTo(2L);
        assertThat(doc.branches().get(1).containsKey("sops")).isFalse();
        assertThat(doc.metadata().get("mac")).isEqualTo("x");
    }

    @Test
    void aliasesAreCopies() throws SopsException {
        Branch b = yaml("base: &b {x: 1}\ncopy: *b\n" + META).branches().get(0);
        assertThat(((Branch) b.get("copy")).get("x")).isEqualTo(1L);
    }

    @Test
    @SuppressWarnings("unchecked")
    void commentsAreReadOnlyWhenAskedFor() throws SopsException {
        String text = "# head\na: 1 # line\nlist:\n    # item\n    - x\n# foot\n" + META;
        Branch without = yaml(text).branches().get(0);
        assertThat(without.items).allMatch(i -> i.key() instanceof String);
        Branch with = new YamlStore(Limits.DEFAULT, true).parse(text).branches().get(0);
        assertThat(with.items).extracting(Branch.Item::key).contains(new Comment(" head"), new Comment(" line"));
        assertThat((List<Object>) with.get("list")).containsExactly(new Comment(" item"), "x");
    }

    @Test
    void yamlErrorsSayWhere() throws SopsException {
        assertThatThrownBy(() -> yaml("a: 1\na: 2\n" + META)).isInstanceOf(SopsException.class)
                .hasMessage("mapping key \"a\" already defined at line 2, column 1");
        assertThatThrownBy(() -> yaml("a: 1\n1: 2\n" + META)).hasMessage("Tree contains a non-string key at line 2, column 1");
        assertThatThrownBy(() -> yaml("a: 1\n? [x]\n: 2\n" + META)).hasMessage("Tree contains a non-string key at line 2, column 3");
        assertThatThrownBy(() -> yaml("- a\n- b\n")).hasMessage("YAML documents that are sequences or values are not supported at line 1, column 1");
        assertThatThrownBy(() -> yaml("a: 1\nsops: 3\n")).hasMessage("the sops metadata is not a mapping at line 1, column 1");
        assertThat(yaml("a: 1\n").metadata()).as("cleartext: the decryptor refuses it").isNull();
        assertThatThrownBy(() -> yaml("bad: !!int twelve\n" + META)).hasMessage("!!int value is not an integer at line 1, column 6");
        assertThatThrownBy(() -> yaml("bad: !!float x\n" + META)).hasMessage("!!float value is not a number at line 1, column 6");
        assertThatThrownBy(() -> yaml("bad: !!binary '%%%'\n" + META)).hasMessage("!!binary value is not base64 at line 1, column 6");
        assertThatThrownBy(() -> yaml("bad: !!binary 'aGVs bG8='\n" + META)).hasMessage("!!binary value is not base64 at line 1, column 6");
        assertThatThrownBy(() -> yaml("a: [1\n")).hasMessageStartingWith("YAML syntax error: ").hasMessageContaining(" at line ");
        // A key longer than 64 characters is cut, and control characters never reach the message.
        assertThatThrownBy(() -> yaml("\"k\\x01" + "y".repeat(70) + "\": 1\n\"k\\x01" + "y".repeat(70) + "\": 2\n" + META))
                .hasMessage("mapping key \"k?" + "y".repeat(62) + "…\" already defined at line 2, column 1");
    }

    @Test
    void yamlLimits() {
        Limits tight = new Limits(1 << 20, 3, 1000, 2);
        assertThatThrownBy(() -> new YamlStore(tight, false).parse("a: {b: {c: {d: 1}}}\n" + META))
                .hasMessageStartingWith("YAML error: Nesting Depth exceeded");
        assertThatThrownBy(() -> new YamlStore(new Limits(1 << 20, 64, 5, 100), false).parse("a: [1, 2, 3, 4, 5, 6]\n" + META))
                .hasMessage("document has more than 5 values");
        assertThatThrownBy(() -> new YamlStore(tight, false).parse("a: &a [x]\nb: [*a, *a, *a]\n" + META))
                .isInstanceOf(SopsException.class).hasMessageContaining("YAML");
    }

    @Test
    void jsonValuesAndOrder() throws SopsException {
        ParsedDocument doc = json("{\"s\": \"text\", \"i\": 7, \"big\": 12345678901234567890, \"f\": 1.5, \"e\": 1e2, \"t\": true, "
                + "\"no\": false, \"n\": null, \"l\": [1, \"a\", {\"k\": []}], \"o\": {}, \"sops\": {\"mac\": \"x\"}}");
        Branch b = doc.branches().get(0);
        assertThat(b.items).extracting(Branch.Item::key).containsExactly("s", "i", "big", "f", "e", "t", "no", "n", "l", "o");
        assertThat(b.get("s")).isEqualTo("text");
        assertThat(b.get("i")).isEqualTo(7L);
        assertThat(b.get("big")).isEqualTo(1.2345678901234567E19);
        assertThat(b.get("f")).isEqualTo(1.5);
        assertThat(b.get("e")).isEqualTo(100.0);
        assertThat(b.get("t")).isEqualTo(true);
        assertThat(b.get("no")).isEqualTo(false);
        assertThat(b.get("n")).isNull();
        List<?> l = (List<?>) b.get("l");
        assertThat(l.get(0)).isEqualTo(1L);
        assertThat(((Branch) l.get(2)).get("k")).isEqualTo(List.of());
        assertThat(((Branch) b.get("o")).items).isEmpty();
        assertThat(doc.metadata().get("mac")).isEqualTo("x");
    }

    @Test
    void jsonErrorsSayWhere() throws SopsException {
        assertThatThrownBy(() -> json("{\"a\": 1, \"a\": 2, \"sops\": {}}")).isInstanceOf(SopsException.class)
                .hasMessageStartingWith("JSON syntax error: Duplicate field 'a'").hasMessageContaining(" at line 1, column ");
        assertThatThrownBy(() -> json("[1]")).hasMessage("top level of a JSON document must be an object at line 1, column 2");
        assertThatThrownBy(() -> json("{\"sops\": {}} {}")).hasMessage("trailing content after the JSON object at line 1, column 15");
        assertThat(json("{\"a\": 1}").metadata()).as("cleartext: the decryptor refuses it").isNull();
        assertThatThrownBy(() -> json("{\"sops\": 1}")).hasMessage("the sops metadata is not an object");
        assertThatThrownBy(() -> json("{\"a\": tru}")).hasMessageStartingWith("JSON syntax error: ");
        assertThatThrownBy(() -> new JsonStore(new Limits(1 << 20, 2, 1000, 10)).parse("{\"a\": {\"b\": {\"c\": 1}}, \"sops\": {}}"
                .getBytes(StandardCharsets.UTF_8))).hasMessageStartingWith("JSON document breaks a limit: ")
                .isInstanceOf(SopsException.class);
        assertThatThrownBy(() -> new JsonStore(new Limits(1 << 20, 64, 3, 10)).parse("{\"a\": [1, 2, 3], \"sops\": {}}"
                .getBytes(StandardCharsets.UTF_8))).hasMessage("document has more than 3 values");
    }

    @Test
    void theDecryptorRefusesCleartextInEveryStore() {
        for (var c : java.util.Map.of(SopsFormat.YAML, "a: 1\n", SopsFormat.JSON, "{\"a\": 1}", SopsFormat.DOTENV, "A=1\n",
                SopsFormat.INI, "[s]\nk = 1\n").entrySet()) {
            assertThatThrownBy(() -> SopsDecryptor.decrypt(c.getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    c.getKey(), SopsKeyring.empty())).as(c.getKey().name()).hasMessage("sops metadata not found")
                    .extracting(e -> ((SopsException) e).errorClass()).isEqualTo(SopsException.ErrorClass.INVALID_DOCUMENT);
        }
    }
}
