package dev.vigil.sops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The dotenv and INI stores and the flattened metadata they carry (sops-format.md: dotenv and INI stores, the
 * "__map_"/"__list_" flattening), plus the small helpers: format names, Go's text forms, the regex budget.
 */
class SopsStoresTest {

    static final String FLAT_METADATA = """
            sops_version=3.9.0
            sops_mac=ENC[AES256_GCM,data:x,iv:y,tag:z,type:str]
            sops_age__list_0__map_recipient=age1first
            sops_age__list_0__map_enc=-----BEGIN AGE ENCRYPTED FILE-----\\nYWdl\\n-----END AGE ENCRYPTED FILE-----\\n
            sops_age__list_1__map_recipient=age1second
            sops_lastmodified=2024-05-01T10:00:00Z
            """;

    static ParsedDocument dotenv(String text) throws SopsException {
        return new DotenvStore(Limits.DEFAULT).parse(text);
    }

    static ParsedDocument ini(String text) throws SopsException {
        return new IniStore(Limits.DEFAULT).parse(text);
    }

    static List<Branch.Item> items(Branch b) {
        return b.items;
    }

    @Test
    void dotenvKeepsValuesVerbatimAndUnflattensTheMetadata() throws SopsException {
        ParsedDocument doc = dotenv("# a comment\nKEY=value with spaces \nEMPTY=\nMULTI=a\\nb\nEQ=x=y\n\n" + FLAT_METADATA);
        assertThat(doc.branches()).hasSize(1);
        assertThat(items(doc.branches().get(0))).containsExactly(new Branch.Item(new Comment(" a comment"), null),
                new Branch.Item("KEY", "value with spaces "), new Branch.Item("EMPTY", ""), new Branch.Item("MULTI", "a\nb"),
                new Branch.Item("EQ", "x=y"));
        Branch meta = doc.metadata();
        assertThat(meta.get("version")).isEqualTo("3.9.0");
        assertThat(meta.get("lastmodified")).isEqualTo("2024-05-01T10:00:00Z");
        @SuppressWarnings("unchecked")
        List<Object> age = (List<Object>) meta.get("age");
        assertThat(age).hasSize(2);
        assertThat(((Branch) age.get(0)).get("recipient")).isEqualTo("age1first");
        assertThat(((Branch) age.get(0)).get("enc")).isEqualTo("-----BEGIN AGE ENCRYPTED FILE-----\nYWdl\n-----END AGE ENCRYPTED FILE-----\n");
        assertThat(((Branch) age.get(1)).get("recipient")).isEqualTo("age1second");
        assertThat(items(meta)).extracting(Branch.Item::key).containsExactly("version", "mac", "age", "lastmodified");
    }

    @Test
    void dotenvErrorsNameTheLine() throws SopsException {
        assertThatThrownBy(() -> dotenv("A=1\nno equals sign\n" + FLAT_METADATA)).isInstanceOf(SopsException.class)
                .hasMessage("invalid dotenv input line at line 2, column 1: no '='")
                .extracting(e -> ((SopsException) e).errorClass()).isEqualTo(SopsException.ErrorClass.INVALID_DOCUMENT);
        assertThat(dotenv("A=1\n").metadata()).isNull();
        assertThat(dotenv("").metadata()).isNull();
    }

    @Test
    void flattenedMetadataMustBeWellFormed() {
        assertThatThrownBy(() -> dotenv("sops_age__list_x__map_a=1\n")).hasMessage("bad list index in metadata key age__list_x__map_a");
        assertThatThrownBy(() -> dotenv("sops_age__list_1__map_a=1\n")).hasMessage("Incomplete list in metadata");
        assertThatThrownBy(() -> dotenv("sops_a=1\nsops_a__map_b=2\n")).hasMessage("metadata key mixes a value and a container");
        assertThatThrownBy(() -> dotenv("sops_a__map_b=2\nsops_a__list_0=1\n"))
                .hasMessage("metadata key mixes a value and a container");
    }

    @Test
    void flattenedListsOfValuesAndNestedMaps() throws SopsException {
        Branch meta = dotenv("sops_a__list_1=second\nsops_a__list_0=first\nsops_m__map_x__map_y=deep\nsops_m__map_z=shallow\n")
                .metadata();
        assertThat(meta.get("a")).isEqualTo(List.of("first", "second"));
        Branch m = (Branch) meta.get("m");
        assertThat(((Branch) m.get("x")).get("y")).isEqualTo("deep");
        assertThat(m.get("z")).isEqualTo("shallow");
    }

    static final String INI_METADATA = """
            [sops]
            version = 3.9.0
            age__list_0__map_recipient = age1first
            age__list_0__map_enc = line1\\nline2
            """;

    @Test
    void iniSectionsQuotesCommentsAndMultiLineValues() throws SopsException {
        ParsedDocument doc = ini("""
                top = 1
                ; about the section
                [section]
                key = "quoted ; value"
                k2: v2 ; trailing comment
                k3 = 'single # quoted'
                k4 = `back`
                url = http://example.com:8080/x
                hash = a#b
                multi = \"\"\"line1
                line2\"\"\"
                [other]
                x=1
                [section]
                k5=v5
                """ + INI_METADATA);
        Branch root = doc.branches().get(0);
        assertThat(items(root)).extracting(Branch.Item::key).containsExactly("DEFAULT", "section", "other");
        assertThat(((Branch) root.get("DEFAULT")).get("top")).isEqualTo("1");
        Branch section = (Branch) root.get("section");
        assertThat(section.get("key")).isEqualTo("quoted ; value");
        assertThat(section.get("k2")).isEqualTo("v2");
        assertThat(section.get("k3")).isEqualTo("single # quoted");
        assertThat(section.get("k4")).isEqualTo("back");
        assertThat(section.get("url")).isEqualTo("http://example.com:8080/x");
        assertThat(section.get("hash")).isEqualTo("a");
        assertThat(section.get("multi")).isEqualTo("line1\nline2");
        // A repeated section header continues the same section.
        assertThat(section.get("k5")).isEqualTo("v5");
        assertThat(items(section)).contains(new Branch.Item(new Comment("about the section"), null));
        assertThat(((Branch) root.get("other")).get("x")).isEqualTo("1");
        assertThat(doc.metadata().get("version")).isEqualTo("3.9.0");
        @SuppressWarnings("unchecked")
        List<Object> age = (List<Object>) doc.metadata().get("age");
        assertThat(((Branch) age.get(0)).get("enc")).isEqualTo("line1\nline2");
    }

    @Test
    void iniCommentsAndCrLfLines() throws SopsException {
        ParsedDocument doc = ini("# first\r\n[s]\r\n# before key\r\nk = v\r\n" + INI_METADATA.replace("\n", "\r\n"));
        Branch s = (Branch) doc.branches().get(0).get("s");
        assertThat(s.get("k")).isEqualTo("v");
        assertThat(items(s)).contains(new Branch.Item(new Comment("first"), null), new Branch.Item(new Comment("before key"), null));
        assertThat(items((Branch) doc.branches().get(0).get("DEFAULT"))).isEmpty();
    }

    @Test
    void iniErrorsNameTheLine() throws SopsException {
        assertThatThrownBy(() -> ini("[s]\n[unclosed\n" + INI_METADATA)).isInstanceOf(SopsException.class)
                .hasMessage("unclosed section header at line 2, column 1");
        assertThatThrownBy(() -> ini("[s]\nk = 1\nnovalue\n" + INI_METADATA))
                .hasMessage("key-value delimiter not found at line 3, column 1");
        assertThatThrownBy(() -> ini("[s]\nk = \"\"\"never\nclosed\n")).hasMessageStartingWith("unterminated \"\"\" value at line");
        // Without metadata the store reads cleartext (seal); the decryptor is what refuses it.
        assertThat(ini("[s]\nk = 1\n").metadata()).isNull();
    }

    @Test
    void formatsByNameAndByFileName() {
        assertThat(SopsFormat.fromFileName("secret.enc.YAML")).isEqualTo(SopsFormat.YAML);
        assertThat(SopsFormat.fromFileName("a.yml")).isEqualTo(SopsFormat.YAML);
        assertThat(SopsFormat.fromFileName("a.json")).isEqualTo(SopsFormat.JSON);
        assertThat(SopsFormat.fromFileName("a.bin.json")).isEqualTo(SopsFormat.BINARY);
        assertThat(SopsFormat.fromFileName("prod.env")).isEqualTo(SopsFormat.DOTENV);
        assertThat(SopsFormat.fromFileName("a.ini")).isEqualTo(SopsFormat.INI);
        assertThat(SopsFormat.fromFileName("key.pem")).isEqualTo(SopsFormat.BINARY);
        assertThat(SopsFormat.parse(" Dotenv ")).isEqualTo(SopsFormat.DOTENV);
        assertThat(SopsFormat.parse("env")).isEqualTo(SopsFormat.DOTENV);
        assertThat(SopsFormat.parse("yml")).isEqualTo(SopsFormat.YAML);
        assertThat(SopsFormat.parse("BINARY")).isEqualTo(SopsFormat.BINARY);
        assertThat(SopsFormat.INI.id()).isEqualTo("ini");
        assertThatThrownBy(() -> SopsFormat.parse("toml")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown format 'toml' (yaml, json, dotenv, ini, binary)");
    }

    @Test
    void goTextForms() {
        assertThat(GoFormat.formatFloat(1.5)).isEqualTo("1.5");
        assertThat(GoFormat.formatFloat(1e21)).isEqualTo("1000000000000000000000");
        assertThat(GoFormat.formatFloat(0.000001)).isEqualTo("0.000001");
        assertThat(GoFormat.formatFloat(100)).isEqualTo("100");
        assertThat(GoFormat.formatFloat(-0.0)).isEqualTo("-0");
        assertThat(GoFormat.formatFloat(0.0)).isEqualTo("0");
        assertThat(GoFormat.formatFloat(Double.NaN)).isEqualTo("NaN");
        assertThat(GoFormat.formatFloat(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
        assertThat(GoFormat.formatFloat(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
        assertThat(new String(GoFormat.toBytes(true), StandardCharsets.UTF_8)).isEqualTo("True");
        assertThat(new String(GoFormat.toBytes(false), StandardCharsets.UTF_8)).isEqualTo("False");
        assertThat(new String(GoFormat.toBytes(2.50), StandardCharsets.UTF_8)).isEqualTo("2.5");
        assertThat(new String(GoFormat.toBytes(42L), StandardCharsets.UTF_8)).isEqualTo("42");
        assertThat(GoFormat.toBytes(new byte[] {1, 2})).containsExactly(1, 2);
        java.time.OffsetDateTime t = java.time.OffsetDateTime.parse("2024-05-01T10:00:00.120+02:00");
        assertThat(GoFormat.rfc3339Nano(t)).isEqualTo("2024-05-01T10:00:00.12+02:00");
        assertThat(GoFormat.rfc3339(t)).isEqualTo("2024-05-01T10:00:00+02:00");
        assertThat(GoFormat.rfc3339Nano(java.time.OffsetDateTime.parse("2024-05-01T10:00:00Z"))).isEqualTo("2024-05-01T10:00:00Z");
    }

    @Test
    void boundedTextStopsAPathologicalMatch() {
        BoundedText text = new BoundedText("abc", new BoundedText.Budget(3));
        assertThat(text.length()).isEqualTo(3);
        assertThat(text.charAt(0)).isEqualTo('a');
        CharSequence sub = text.subSequence(1, 3);
        assertThat(sub.toString()).isEqualTo("bc");
        assertThat(sub.charAt(0)).isEqualTo('b');
        // The budget is shared with sub-sequences: two reads were spent, one is left.
        assertThat(text.charAt(2)).isEqualTo('c');
        assertThatThrownBy(() -> sub.charAt(1)).isInstanceOf(BoundedText.Exhausted.class);
        // A match that needs more reads than the budget allows is stopped, whatever the expression.
        assertThatThrownBy(() -> java.util.regex.Pattern.compile("a*b").matcher(new BoundedText("a".repeat(2000), new BoundedText.Budget(1000))).matches())
                .isInstanceOf(BoundedText.Exhausted.class);
        assertThat(java.util.regex.Pattern.compile("a*b").matcher(new BoundedText("a".repeat(500) + "b", new BoundedText.Budget(1000))).matches()).isTrue();
    }

    @Test
    void limitsCountNodesAndDepth() throws SopsException {
        Limits small = new Limits(10, 2, 3, 1);
        small.checkSize(10);
        assertThatThrownBy(() -> small.checkSize(11)).hasMessage("document is 11 bytes, more than the limit of 10");
        Limits.Budget budget = small.budget();
        budget.node(2);
        assertThatThrownBy(() -> small.budget().node(3)).hasMessage("document is nested deeper than 2 levels");
        budget.node(1);
        budget.node(1);
        assertThatThrownBy(() -> budget.node(1)).hasMessage("document has more than 3 values");
        assertThat(new SopsException(SopsException.ErrorClass.MAC_MISMATCH, "m")).hasToString("MAC_MISMATCH: m");
    }
}
