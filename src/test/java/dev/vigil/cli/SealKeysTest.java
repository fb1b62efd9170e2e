package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.secrets.SecretPayload;
import dev.vigil.secrets.SecretPayloads;
import dev.vigil.sops.DecryptedDocument;
import dev.vigil.sops.SopsDecryptor;
import dev.vigil.sops.SopsFormat;
import dev.vigil.sops.SopsKeyring;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code seal} gives the Secret exactly the keys and values the operator would derive from the same file encrypted
 * by sops: for genuine and generated sops documents, what {@code sops -d} prints is sealed, the sealed manifest is
 * opened the operator's way, and the two Secrets are compared.
 */
class SealKeysTest {

    static final String DEV = "age1s8rzd46thnhta5dul2swfkdyggey2xkydqf6v8xuh2q6jp5vng9qu8zgf5";

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({
            "g01-yaml-age-basic/secret.enc.yaml, keys/age-dev.txt, cleartext.yaml",
            "g02-json-age-basic/secret.enc.json, keys/age-dev.txt, cleartext.json",
            "g03-dotenv-age-basic/secret.enc.env, keys/age-dev.txt, cleartext.env",
            "g04-ini-age-basic/secret.enc.ini, keys/age-dev.txt, cleartext.ini",
            "u14-flux-age-k8s-secret/age.yaml, keys/age-flux.txt, secret.yaml",
            "u15-flux-age-dotenv/env.env, keys/age-flux.txt, cleartext.env",
            "u08-sops-format-enc-ini/format.enc.ini, keys/pgp-sops-functional-tests.sec.asc, format.ini"})
    void sealedSecretsHoldWhatTheOperatorWouldDerive(String fixture, String keyFile, String inputName) throws Exception {
        SopsKeyring keyring = SopsKeyring.empty().withKeyFile(resource(keyFile), keyFile);
        if (keyFile.endsWith(".asc")) {
            keyring = SopsKeyring.empty().withPgpSecretKeys(resource(keyFile), keyFile);
        }
        byte[] encrypted = resource("cases/" + fixture).getBytes(StandardCharsets.UTF_8);
        DecryptedDocument original = SopsDecryptor.decrypt(encrypted, SopsFormat.fromFileName(fixture), keyring);
        SecretPayload expected = SecretPayloads.from(original, "data");

        Path input = Files.writeString(dir.resolve(inputName), SopsDecryptor.render(original));
        CliSopsTest.Result sealed = CliSopsTest.run("seal", "--recipient", DEV, "--namespace", "shop", "--name", "db", input.toString());
        assertThat(sealed.code()).as(sealed.err()).isZero();
        String document = (String) ((Map<?, ?>) ((Map<?, ?>) new Yaml().load(sealed.out())).get("spec")).get("document");
        DecryptedDocument opened = SopsDecryptor.decrypt(document.getBytes(StandardCharsets.UTF_8), SopsFormat.YAML,
                SopsKeyring.empty().withKeyFile(resource("keys/age-dev.txt"), "dev"));
        SecretPayload actual = SecretPayloads.from(opened, "data");

        assertThat(text(actual)).isEqualTo(text(expected));
        assertThat(actual.type().orElse("Opaque")).isEqualTo(expected.type().orElse("Opaque"));
        assertThat(actual.binding().namespace()).as("bound, encrypted, to the namespace given").contains("shop");
    }

    @Test
    void aFileSopsAlreadyEncryptedIsRefused() throws Exception {
        Path input = Files.writeString(dir.resolve("secret.enc.yaml"), resource("cases/g01-yaml-age-basic/secret.enc.yaml"));
        CliSopsTest.Result sealed = CliSopsTest.run("seal", "--recipient", DEV, "--namespace", "shop", "--name", "db", input.toString());
        assertThat(sealed.code()).isEqualTo(1);
        assertThat(sealed.err()).startsWith("INVALID_DOCUMENT").contains("already encrypted");
    }

    static Map<String, String> text(SecretPayload payload) {
        Map<String, String> out = new TreeMap<>();
        payload.data().forEach((k, v) -> out.put(k, new String(v, StandardCharsets.UTF_8)));
        return out;
    }

    static String resource(String name) throws Exception {
        return Files.readString(Path.of("src/test/resources/sops/" + name));
    }


}
