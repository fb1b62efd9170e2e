package dev.vigil.sops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What {@code vigil seal} writes, read back by the decryptor that is checked against genuine sops files, with no
 * external tool (the real-age check stays in SopsEncryptorTest): every value type, the encrypted_regex subtree rule,
 * the metadata block, and the refusals.
 */
class SopsEncryptorRoundTripTest {

    static final String RECIPIENT = "age1s8rzd46thnhta5dul2swfkdyggey2xkydqf6v8xuh2q6jp5vng9qu8zgf5";
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-04T05:06:07.890Z"), ZoneId.of("Europe/Paris"));

    static SopsKeyring devKey() throws Exception {
        return SopsKeyring.empty().withAgeIdentities(new String(FixtureCasesTest.resource("keys/age-dev.txt"), StandardCharsets.UTF_8),
                "dev");
    }

    static Map<String, Object> map(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    @Test
    void everyTypeSurvivesTheRoundTrip() throws Exception {
        List<Object> list = new ArrayList<>(List.of("a", 2L, true));
        list.add(null);
        Map<String, Object> data = map("s", "text", "multi", "line1\nline2", "i", 42L, "neg", -7L, "f", 1.5, "whole", 2.0, "yes", true,
                "no", false, "empty", "", "nothing", null, "list", list, "nested", map("k", "v"), "looksLikeInt", "017",
                "looksLikeBool", "true", "looksLikeTime", "2015-01-01", "plain", "plain words");
        String doc = SopsEncryptor.encryptYaml(map("data", data, "kind", "Secret"), List.of(RECIPIENT), List.of(), "^data$", CLOCK);
        assertThat(doc).doesNotContain("text").doesNotContain("line1").contains("kind: Secret");
        Map<?, ?> tree = (Map<?, ?>) SopsDecryptor.decrypt(doc.getBytes(StandardCharsets.UTF_8), SopsFormat.YAML, devKey())
                .documents().get(0);
        Map<?, ?> back = (Map<?, ?>) tree.get("data");
        assertThat(back.get("s")).isEqualTo("text");
        assertThat(back.get("multi")).isEqualTo("line1\nline2");
        assertThat(back.get("i")).isEqualTo(42L);
        assertThat(back.get("neg")).isEqualTo(-7L);
        assertThat(back.get("f")).isEqualTo(1.5);
        assertThat(back.get("whole")).isEqualTo(2.0);
        assertThat(back.get("yes")).isEqualTo(true);
        assertThat(back.get("no")).isEqualTo(false);
        assertThat(back.get("empty")).isEqualTo("");
        assertThat(back.containsKey("nothing")).isTrue();
        assertThat(back.get("nothing")).isNull();
        assertThat(back.get("list")).isEqualTo(list);
        assertThat(back.get("nested")).isEqualTo(Map.of("k", "v"));
        // Strings that go-yaml would read as another type stay strings.
        assertThat(back.get("looksLikeInt")).isEqualTo("017");
        assertThat(back.get("looksLikeBool")).isEqualTo("true");
        assertThat(back.get("looksLikeTime")).isEqualTo("2015-01-01");
        assertThat(back.get("plain")).isEqualTo("plain words");
        assertThat(tree.get("kind")).isEqualTo("Secret");
    }

    @Test
    void onlyKeysMatchingTheRegexAndEverythingBelowThemAreEncrypted() throws Exception {
        String doc = SopsEncryptor.encryptYaml(map("metadata", map("name", "db", "labels", map("data", "inner")), "data",
                map("password", "hunter2", "deep", map("x", "y"), "ports", List.of(1L, 2L)), "stringData", "top"),
                List.of(RECIPIENT), List.of(), "^(data|stringData)$", CLOCK);
        // A matching key anywhere encrypts its subtree; other keys stay readable.
        assertThat(doc).contains("name: db").contains("data: ENC[AES256_GCM,").contains("x: ENC[AES256_GCM,")
                .contains("- ENC[AES256_GCM,").contains("stringData: ENC[AES256_GCM,").doesNotContain("hunter2").doesNotContain("inner");
        assertThat(doc).contains("type:int]").contains("type:str]");
    }

    @Test
    void theMetadataBlockIsWhatSopsWrites() throws Exception {
        String doc = SopsEncryptor.encryptYaml(map("data", map("a", "b")), List.of("  " + RECIPIENT + " "), List.of(), "^data$", CLOCK);
        assertThat(doc).contains("sops:").contains("recipient: " + RECIPIENT + "\n").contains("-----BEGIN AGE ENCRYPTED FILE-----")
                .contains("lastmodified: \"2026-03-04T05:06:07Z\"").contains("encrypted_regex: ^data$")
                .contains("version: " + SopsEncryptor.FORMAT_VERSION).contains("mac: ENC[AES256_GCM,").doesNotContain("pgp:");
        Branch meta = new YamlStore(Limits.DEFAULT, false).parse(doc).metadata();
        Metadata m = Metadata.from(meta);
        assertThat(m.lastModified()).isEqualTo("2026-03-04T05:06:07Z");
        assertThat(m.groups()).hasSize(1);
        assertThat(m.groups().get(0).age()).extracting(Metadata.AgeStanza::recipient).containsExactly(RECIPIENT);
        assertThat(m.rules().encryptedRegex().pattern()).isEqualTo("^data$");
        assertThat(m.mac()).isPresent();
    }

    @Test
    void twoRecipientsEachGetTheDataKey() throws Exception {
        // A second recipient whose identity Vigil does not hold: the first stanza it cannot open is skipped.
        String stranger = Bech32.encode("age", java.util.HexFormat.of().parseHex(
                "81c626d74bbceebed1bcfaa0e4d9a44232451ac46813a61cdcba81a9068c9a0b"));
        String doc = SopsEncryptor.encryptYaml(map("data", "x"), List.of(stranger, RECIPIENT), List.of(), "^data$", CLOCK);
        assertThat(doc.split("recipient: ", -1)).hasSize(3);
        assertThat(SopsDecryptor.decrypt(doc.getBytes(StandardCharsets.UTF_8), SopsFormat.YAML, devKey()).openedBy()).isEqualTo(RECIPIENT);
    }

    @Test
    void refusals() {
        assertThatThrownBy(() -> SopsEncryptor.encryptYaml(map("data", "x"), List.of(), List.of(), "^data$", CLOCK))
                .isInstanceOf(SopsException.class).hasMessage("at least one age recipient or PGP public key is needed");
        assertThatThrownBy(() -> SopsEncryptor.encryptYaml(map("data", "x"), List.of("age1notarecipient"), List.of(), "^data$", CLOCK))
                .isInstanceOf(SopsException.class).hasMessageStartingWith("not an age X25519 recipient: ");
        Map<Object, Object> badKey = new LinkedHashMap<>();
        badKey.put(1L, "x");
        assertThatThrownBy(() -> SopsEncryptor.encryptYaml(map("data", badKey), List.of(RECIPIENT), List.of(), "^data$", CLOCK))
                .isInstanceOf(SopsException.class).hasMessage("Tree contains a non-string key");
    }

    @Test
    void aTamperedPlainValueBreaksTheMac() throws Exception {
        String doc = SopsEncryptor.encryptYaml(map("data", map("a", "b"), "kind", "Secret", "n", 5L), List.of(RECIPIENT), List.of(),
                "^data$", CLOCK);
        for (String tampered : List.of(doc.replace("kind: Secret", "kind: Secreu"), doc.replace("n: 5", "n: 6"))) {
            assertThat(tampered).isNotEqualTo(doc);
            assertThatThrownBy(() -> SopsDecryptor.decrypt(tampered.getBytes(StandardCharsets.UTF_8), SopsFormat.YAML, devKey()))
                    .isInstanceOf(SopsException.class)
                    .satisfies(e -> assertThat(((SopsException) e).errorClass()).isEqualTo(SopsException.ErrorClass.MAC_MISMATCH));
        }
    }
}
