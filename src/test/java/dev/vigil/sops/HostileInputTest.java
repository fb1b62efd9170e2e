package dev.vigil.sops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.sops.SopsException.ErrorClass;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Hostile and broken documents end in a typed error, never an OutOfMemoryError, a hang or a stray exception. */
class HostileInputTest {

    static SopsKeyring keys() throws Exception {
        return FixtureCasesTest.keyring(java.util.List.of("keys/age-dev.txt"));
    }

    static String g01() throws Exception {
        return new String(FixtureCasesTest.resource("cases/g01-yaml-age-basic/secret.enc.yaml"), StandardCharsets.UTF_8);
    }

    static ErrorClass errorOf(String document, SopsFormat format) throws Exception {
        SopsKeyring keys = keys();
        try {
            SopsDecryptor.decrypt(document.getBytes(StandardCharsets.UTF_8), format, keys);
        } catch (SopsException e) {
            return e.errorClass();
        }
        throw new AssertionError("decrypted a document that should have failed");
    }

    @Test
    void aliasBombIsRefused() throws Exception {
        StringBuilder bomb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (char c = 'b'; c <= 'k'; c++) {
            char prev = (char) (c - 1);
            bomb.append(c).append(": &").append(c).append(" [*").append(prev);
            for (int i = 0; i < 9; i++) {
                bomb.append(", *").append(prev);
            }
            bomb.append("]\n");
        }
        bomb.append("sops:\n    lastmodified: \"2024-01-01T00:00:00Z\"\n");
        assertThat(errorOf(bomb.toString(), SopsFormat.YAML)).isEqualTo(ErrorClass.INVALID_DOCUMENT);
    }

    @Test
    void deepNestingIsRefused() throws Exception {
        String deepYaml = "a: ".repeat(1) + "[".repeat(5000) + "]".repeat(5000) + "\n";
        assertThat(errorOf(deepYaml, SopsFormat.YAML)).isEqualTo(ErrorClass.INVALID_DOCUMENT);
        String deepJson = "{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
        assertThat(errorOf(deepJson, SopsFormat.JSON)).isEqualTo(ErrorClass.INVALID_DOCUMENT);
    }

    @Test
    void oversizedDocumentIsRefusedBeforeParsing() throws Exception {
        byte[] big = new byte[9 * 1024 * 1024];
        java.util.Arrays.fill(big, (byte) 'a');
        assertThatThrownBy(() -> SopsDecryptor.decrypt(big, SopsFormat.YAML, keys()))
                .isInstanceOf(SopsException.class).hasMessageContaining("limit");
    }

    @Test
    void truncatedDocumentsAreInvalidOrUndecryptable() throws Exception {
        String doc = g01();
        for (int cut : new int[] {10, doc.length() / 3, doc.length() / 2, doc.length() - 40}) {
            assertThat(errorOf(doc.substring(0, cut), SopsFormat.YAML)).isIn(ErrorClass.values());
        }
    }

    @Test
    void wrongTypesInMetadataAreTypedErrors() throws Exception {
        String doc = g01();
        assertThat(errorOf(doc.replaceFirst("sops:\n    age:", "sops:\n    shamir_threshold: lots\n    age:"), SopsFormat.YAML))
                .isEqualTo(ErrorClass.INVALID_DOCUMENT);
        assertThat(errorOf(doc.replace("sops:\n    age:\n", "sops:\n    age: 7\n    x:\n"), SopsFormat.YAML))
                .isEqualTo(ErrorClass.INVALID_DOCUMENT);
        assertThat(errorOf("a: 1\nsops: [1, 2]\n", SopsFormat.YAML)).isEqualTo(ErrorClass.INVALID_DOCUMENT);
        assertThat(errorOf("a: 1\n", SopsFormat.YAML)).isEqualTo(ErrorClass.INVALID_DOCUMENT);
        assertThat(errorOf("[1, 2]", SopsFormat.JSON)).isEqualTo(ErrorClass.INVALID_DOCUMENT);
        assertThat(errorOf("NO_EQUALS_SIGN\n", SopsFormat.DOTENV)).isEqualTo(ErrorClass.INVALID_DOCUMENT);
    }

    @Test
    void unknownVersionStillDecryptsButUnknownTypeFails() throws Exception {
        String doc = g01();
        SopsDecryptor.decrypt(doc.replace("version: 3.13.2", "version: 99.0.0").getBytes(StandardCharsets.UTF_8),
                SopsFormat.YAML, keys());
        assertThat(errorOf(doc.replaceFirst("type:int]", "type:decimal]"), SopsFormat.YAML))
                .isIn(ErrorClass.VALUE_DECRYPT_FAILED);
    }

    @Test
    void aBitFlipAnywhereInAnEncryptedValueOrTheMacFails() throws Exception {
        String doc = g01();
        int start = doc.indexOf("password: ENC[AES256_GCM,data:") + "password: ENC[AES256_GCM,data:".length();
        int end = doc.indexOf(",type:str]", start);
        for (int i = start; i < end; i += 3) {
            char c = doc.charAt(i);
            if (!Character.isLetterOrDigit(c)) {
                continue;
            }
            char flipped = c == 'A' ? 'B' : 'A';
            String tampered = doc.substring(0, i) + flipped + doc.substring(i + 1);
            assertThat(errorOf(tampered, SopsFormat.YAML)).as("flip at %d", i)
                    .isIn(ErrorClass.VALUE_DECRYPT_FAILED, ErrorClass.MAC_MISMATCH);
        }
        String macFlip = doc.replace("lastmodified: \"2026-11-23T00:04:52Z\"", "lastmodified: \"2026-11-23T00:04:53Z\"");
        assertThat(errorOf(macFlip, SopsFormat.YAML)).isEqualTo(ErrorClass.MAC_MISMATCH);
        String noMac = doc.replaceAll("(?m)^    mac: .*\n", "");
        assertThat(errorOf(noMac, SopsFormat.YAML)).isEqualTo(ErrorClass.MAC_MISMATCH);
    }

    @Test
    void aCraftedMegabyteValueIsRejected() throws Exception {
        // Fields that never close: a backtracking "(.+),iv:(.+),tag:(.+),type:(.+)\]" tries every way of splitting
        // them (a 6 KB value took ~90 s). The hand parser reads it once. Time it with bench/sops.sh, not here.
        String crafted = "ENC[AES256_GCM,data:" + "A,iv:A,tag:A,type:A".repeat(1024 * 1024 / 19);
        assertThat(crafted.length()).isGreaterThan(1024 * 1024 - 64);
        String doc = g01().replaceFirst("password: ENC\\[[^\\]]+\\]", "password: " + crafted);
        assertThat(errorOf(doc, SopsFormat.YAML)).isEqualTo(ErrorClass.VALUE_DECRYPT_FAILED);

        String tooLong = "ENC[AES256_GCM,data:" + "A".repeat(ValueCipher.MAX_VALUE_CHARS) + ",iv:A,tag:A,type:str]";
        assertThatThrownBy(() -> ValueCipher.parse(tooLong)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("longer than");
    }

    @Test
    void encryptedValuesSplitAsSopsSplitsThem() {
        assertThat(ValueCipher.parse("ENC[AES256_GCM,data:ZA==,iv:aXY=,tag:dGFn,type:str]"))
                .isEqualTo(new ValueCipher.Fields("ZA==", "aXY=", "dGFn", "str"));
        // RE2 semantics: trailing text after the closing bracket is ignored, the type runs to the last ']' of its line.
        assertThat(ValueCipher.parse("ENC[AES256_GCM,data:ZA==,iv:aXY=,tag:dGFn,type:str] trailing").type()).isEqualTo("str");
        assertThat(ValueCipher.parse("ENC[AES256_GCM,data:ZA==,iv:aXY=,tag:dGFn,type:str]x]").type()).isEqualTo("str]x");
        assertThat(ValueCipher.parse("ENC[AES256_GCM,data:ZA==,iv:aXY=,tag:dGFn,type:str]\n]").type()).isEqualTo("str");
        for (String bad : new String[] {"ENC[AES256_GCM,data:,iv:aXY=,tag:dGFn,type:str]", "ENC[AES256_GCM,data:ZA==,tag:dGFn,type:str]",
                "ENC[AES256_GCM,data:ZA==,iv:aXY=,tag:dGFn,type:]", "ENC[AES256_GCM,data:ZA==,iv:aXY=,tag:dGFn,type:str",
                "ENC[AES256_GCM,data:ZA==,iv:aXY=,tag:dGFn,type:\n]", "xENC[AES256_GCM,data:ZA==,iv:aXY=,tag:dGFn,type:str]"}) {
            assertThatThrownBy(() -> ValueCipher.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aMissingKeyMessageListsAFewRecipientsNotAll() throws Exception {
        // A document may list hundreds of recipients; the message ends up in a status condition.
        StringBuilder stanzas = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            stanzas.append("        - recipient: age1recipient").append(i).append("\n          enc: x\n");
        }
        String doc = "a: ENC[AES256_GCM,data:ZA==,iv:aXY=,tag:dGFn,type:str]\nsops:\n    lastmodified: \"2024-01-01T00:00:00Z\"\n"
                + "    mac: x\n    age:\n" + stanzas;
        SopsKeyring keys = keys();
        assertThatThrownBy(() -> SopsDecryptor.decrypt(doc.getBytes(StandardCharsets.UTF_8), SopsFormat.YAML, keys))
                .isInstanceOf(SopsException.class)
                .satisfies(e -> assertThat(e.getMessage()).contains("age1recipient0").contains("and 292 more")
                        .doesNotContain("age1recipient299").hasSizeLessThan(600));
    }

    @Test
    void plaintextInAnEncryptedSlotIsRefused() throws Exception {
        String doc = g01().replaceFirst("user: ENC\\[[^\\]]+\\]", "user: admin");
        assertThat(errorOf(doc, SopsFormat.YAML)).isEqualTo(ErrorClass.VALUE_DECRYPT_FAILED);
    }

    @Test
    void errorMessagesNeverCarryValues() throws Exception {
        String doc = g01().replace("tls_unencrypted:\n    note: this stays in clear text",
                "tls_unencrypted:\n    note: this stays in clear text!");
        SopsKeyring keys = keys();
        assertThatThrownBy(() -> SopsDecryptor.decrypt(doc.getBytes(StandardCharsets.UTF_8), SopsFormat.YAML, keys))
                .isInstanceOf(SopsException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cr3t").doesNotContain("admin")
                        .doesNotContain("clear text"));
    }

    @Test
    void catastrophicRegexInTheMetadataIsStopped() throws Exception {
        String doc = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab: x\n"
                + "sops:\n    lastmodified: \"2024-01-01T00:00:00Z\"\n    encrypted_regex: '^(.*a){12}b$'\n"
                + "    age:\n        - recipient: age1s8rzd46thnhta5dul2swfkdyggey2xkydqf6v8xuh2q6jp5vng9qu8zgf5\n          enc: x\n";
        // ^(.*a){12}b$ against 30 a's backtracks for seconds in java.util.regex; the rule check gives up early.
        Metadata.EncryptionRules rules = Metadata.EncryptionRules.from(new YamlStore(Limits.DEFAULT, false)
                .parse(doc).metadata());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> rules.encrypted(
                java.util.List.of("a".repeat(30)), java.util.List.of(), false, BoundedText.Budget.perDocument()))
                .isInstanceOf(Metadata.EncryptionRules.RegexTooSlow.class);
    }

    @Test
    void theRegexBudgetIsSpentPerDocumentNotPerMatch() throws Exception {
        // One match of (.*a){8}c against "aaaaaaaaaaab…" backtracks through ~80,000 reads, under the old per-match
        // bound of 200,000, but 20,000 keys add up to 1.6 billion, far more than a document may spend. One budget
        // for the whole document stops it part way.
        String doc = "x: y\nsops:\n    lastmodified: \"2024-01-01T00:00:00Z\"\n    encrypted_regex: '(.*a){8}c'\n"
                + "    age:\n        - recipient: age1s8rzd46thnhta5dul2swfkdyggey2xkydqf6v8xuh2q6jp5vng9qu8zgf5\n          enc: x\n";
        Metadata.EncryptionRules rules = Metadata.EncryptionRules.from(new YamlStore(Limits.DEFAULT, false).parse(doc).metadata());
        BoundedText.Budget budget = BoundedText.Budget.perDocument();
        long[] matchesBeforeExhausted = {0};
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> {
            for (int i = 0; i < 20_000; i++) {
                assertThat(rules.encrypted(java.util.List.of("a".repeat(11) + "b" + (10_000 + i)), java.util.List.of(), false, budget)).isFalse();
                matchesBeforeExhausted[0]++;
            }
        }).isInstanceOf(Metadata.EncryptionRules.RegexTooSlow.class);
        assertThat(matchesBeforeExhausted[0]).isGreaterThan(0).isLessThan(20_000);
    }
}
