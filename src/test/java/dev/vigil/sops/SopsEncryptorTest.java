package dev.vigil.sops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SopsEncryptorTest {

    static final String RECIPIENT = "age1s8rzd46thnhta5dul2swfkdyggey2xkydqf6v8xuh2q6jp5vng9qu8zgf5";

    static Map<String, Object> secretManifest(String value) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", "db");
        metadata.put("namespace", "prod");
        Map<String, Object> stringData = new LinkedHashMap<>();
        stringData.put("password", value);
        stringData.put("port", 5432L);
        stringData.put("tricky", "0o17");
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("apiVersion", "v1");
        manifest.put("kind", "Secret");
        manifest.put("metadata", metadata);
        manifest.put("stringData", stringData);
        manifest.put("note", "0x1F");
        return manifest;
    }

    @Test
    void roundTripsThroughTheDecryptorWithoutCleartextInTheDocument() throws Exception {
        String doc = SopsEncryptor.encryptYaml(secretManifest("hunter2-secret"), List.of(RECIPIENT), List.of(),
                "^(data|stringData)$", Clock.systemUTC());

        assertThat(doc).doesNotContain("hunter2-secret").contains("name: db").contains("encrypted_regex");
        DecryptedDocument decrypted = SopsDecryptor.decrypt(doc.getBytes(StandardCharsets.UTF_8), SopsFormat.YAML, devKey());
        Map<?, ?> tree = (Map<?, ?>) decrypted.documents().get(0);
        assertThat(((Map<?, ?>) tree.get("stringData")).get("password")).isEqualTo("hunter2-secret");
        assertThat(((Map<?, ?>) tree.get("stringData")).get("port")).isEqualTo(5432L);
        assertThat(((Map<?, ?>) tree.get("stringData")).get("tricky")).isEqualTo("0o17");
        assertThat(tree.get("note")).isEqualTo("0x1F");
        assertThat(decrypted.openedBy()).isEqualTo(RECIPIENT);
    }

    @Test
    void clearMetadataIsMacProtected() throws Exception {
        String doc = SopsEncryptor.encryptYaml(secretManifest("v"), List.of(RECIPIENT), List.of(),
                "^(data|stringData)$", Clock.systemUTC());
        String moved = doc.replace("namespace: prod", "namespace: dev");
        assertThat(moved).isNotEqualTo(doc);
        assertThatThrownBy(() -> SopsDecryptor.decrypt(moved.getBytes(StandardCharsets.UTF_8), SopsFormat.YAML, devKey()))
                .isInstanceOf(SopsException.class)
                .satisfies(e -> assertThat(((SopsException) e).errorClass()).isEqualTo(SopsException.ErrorClass.MAC_MISMATCH));
    }

    @Test
    void theRealAgeToolOpensTheWrappedDataKey(@TempDir Path dir) throws Exception {
        String armored = Age.encrypt("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8), List.of(RECIPIENT));
        Path file = Files.writeString(dir.resolve("key.age"), armored);
        Path identity = Files.write(dir.resolve("id.txt"), FixtureCasesTest.resource("keys/age-dev.txt"));
        Process age = new ProcessBuilder("age", "--decrypt", "-i", identity.toString(), file.toString())
                .redirectErrorStream(true).start();
        String out = new String(age.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(age.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(age.exitValue()).as(out).isZero();
        assertThat(out).isEqualTo("0123456789abcdef0123456789abcdef");
    }

    private static SopsKeyring devKey() throws Exception {
        return SopsKeyring.empty().withAgeIdentities(new String(FixtureCasesTest.resource("keys/age-dev.txt"), StandardCharsets.UTF_8), "dev");
    }
}
