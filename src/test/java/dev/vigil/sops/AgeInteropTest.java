package dev.vigil.sops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * What Vigil wraps, other age implementations open: post-quantum stanzas by age's reference TypeScript
 * implementation (npm age-encryption, skipped where node is absent), classic X25519 and ssh-ed25519 stanzas
 * by the real age CLI.
 */
class AgeInteropTest {

    @TempDir
    Path dir;

    @Test
    void theReferenceImplementationOpensAPostQuantumStanzaVigilWrapped() throws Exception {
        Path reference = referenceImplementation();
        String recipient = pqRecipient();
        byte[] dataKey = new byte[32];
        new SecureRandom().nextBytes(dataKey);
        Path file = Files.writeString(dir.resolve("key.age"), Age.encrypt(dataKey, List.of(recipient)));
        Path identity = Files.write(dir.resolve("pq.txt"), FixtureCasesTest.resource("keys/age-pq.txt"));
        assertThat(run(dir, "node", reference.resolve("decrypt.mjs").toString(), identity.toString(), file.toString()).strip())
                .isEqualTo(HexFormat.of().formatHex(dataKey));
    }

    @Test
    void aSealedDocumentForPostQuantumAndClassicRecipientsOpensEverywhere() throws Exception {
        String pq = pqRecipient();
        String classic = SopsEncryptorTest.RECIPIENT;
        String document = SopsEncryptor.encryptYaml(SopsEncryptorTest.secretManifest("pq-protected"), List.of(pq, classic),
                List.of(), "^(data|stringData)$", Clock.systemUTC());

        DecryptedDocument withPq = SopsDecryptor.decrypt(document.getBytes(StandardCharsets.UTF_8), SopsFormat.YAML,
                FixtureCasesTest.keyring(List.of("keys/age-pq.txt")));
        assertThat(withPq.openedBy()).isEqualTo(pq);
        assertThat(((Map<?, ?>) ((Map<?, ?>) withPq.documents().get(0)).get("stringData")).get("password")).isEqualTo("pq-protected");

        List<?> stanzas = (List<?>) ((Map<?, ?>) ((Map<?, ?>) new Yaml().load(document)).get("sops")).get("age");
        assertThat(stanzas).hasSize(2);
        Path classicEnc = Files.writeString(dir.resolve("classic.age"), (String) ((Map<?, ?>) stanzas.get(1)).get("enc"));
        Path devKey = Files.write(dir.resolve("dev.txt"), FixtureCasesTest.resource("keys/age-dev.txt"));
        String byAge = run(dir, "age", "--decrypt", "-i", devKey.toString(), classicEnc.toString());
        assertThat(byAge).hasSize(32);

        Path reference = referenceImplementationOrNull();
        if (reference != null) {
            Path pqEnc = Files.writeString(dir.resolve("pq.age"), (String) ((Map<?, ?>) stanzas.get(0)).get("enc"));
            Path pqKey = Files.write(dir.resolve("pq.txt"), FixtureCasesTest.resource("keys/age-pq.txt"));
            String hex = run(dir, "node", reference.resolve("decrypt.mjs").toString(), pqKey.toString(), pqEnc.toString()).strip();
            assertThat(HexFormat.of().parseHex(hex)).isEqualTo(byAge.getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    @Test
    void theRealAgeToolOpensAnSshEd25519StanzaVigilWrapped() throws Exception {
        var v = AgeVectorsTest.vectors().get("ssh_ed25519");
        Path key = Files.writeString(dir.resolve("id_ed25519"), v.get("openssh_private_key").asText());
        Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Path file = Files.writeString(dir.resolve("ssh.age"), Age.encrypt("wrapped for ssh".getBytes(StandardCharsets.UTF_8),
                List.of(v.get("recipient").asText())));
        assertThat(run(dir, "age", "--decrypt", "-i", key.toString(), file.toString())).isEqualTo("wrapped for ssh");
    }

    static String pqRecipient() throws Exception {
        String keys = new String(FixtureCasesTest.resource("keys/age-pq.txt"), StandardCharsets.UTF_8);
        return keys.replaceAll("(?s).*# public key: (age1pq1[0-9a-z]+).*", "$1");
    }

    /** target/npm-age-reference, installed on first use; the test is skipped where node or npm is absent. */
    static Path referenceImplementation() throws Exception {
        Path path = referenceImplementationOrNull();
        Assumptions.assumeTrue(path != null, "node/npm or the npm package age-encryption is not available");
        return path;
    }

    static Path referenceImplementationOrNull() throws Exception {
        Path installed = Path.of("target/npm-age-reference");
        if (Files.isDirectory(installed.resolve("node_modules/age-encryption"))) {
            return installed.toAbsolutePath();
        }
        try {
            Process p = new ProcessBuilder("bash", "src/test/npm/age-reference/install.sh").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return null;
            }
        } catch (java.io.IOException e) {
            return null;
        }
        return Files.isDirectory(installed.resolve("node_modules/age-encryption")) ? installed.toAbsolutePath() : null;
    }

    static String run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command)).isZero();
        return out;
    }
}
