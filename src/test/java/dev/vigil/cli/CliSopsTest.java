package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/** The command line on the real fixtures, through the same entry point as the packaged jar. */
class CliSopsTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Cli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    Path fixture(String path) throws IOException {
        Path target = dir.resolve(path);
        Files.createDirectories(target.getParent());
        try (InputStream in = getClass().getResourceAsStream("/sops/" + path)) {
            Files.write(target, in.readAllBytes());
        }
        return target;
    }

    @Test
    void decryptJsonEqualsTheFixture() throws Exception {
        Path doc = fixture("cases/g01-yaml-age-basic/secret.enc.yaml");
        Path key = fixture("keys/age-dev.txt");
        Result r = run("decrypt", "--key", key.toString(), "--json", doc.toString());
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode expected = JSON.readTree(Files.readString(fixture("cases/g01-yaml-age-basic/expected.json")));
        assertThat(JSON.readTree(r.out()).get("documents")).isEqualTo(expected.get("documents"));
    }

    @Test
    void decryptPrintsTheDocumentsOwnFormat() throws Exception {
        Result env = run("decrypt", "--key", fixture("keys/age-dev.txt").toString(),
                fixture("cases/g03-dotenv-age-basic/secret.enc.env").toString());
        assertThat(env.code()).isZero();
        assertThat(env.out()).contains("DB_USER=admin\n").contains("MULTILINE=line1\\nline2\n");

        Result yaml = run("decrypt", "--key", fixture("keys/pgp-dev-rsa.sec.asc").toString(),
                fixture("cases/g07-yaml-pgp-rsa/secret.enc.yaml").toString());
        assertThat(yaml.code()).as(yaml.err()).isZero();
        Map<?, ?> tree = new Yaml().load(yaml.out());
        assertThat(((Map<?, ?>) tree.get("credentials")).get("client_secret")).isEqualTo("shh");
    }

    @Test
    void verifyPrintsNoValue() throws Exception {
        Result r = run("verify", "--key", fixture("keys/age-dev.txt").toString(),
                fixture("cases/g01-yaml-age-basic/secret.enc.yaml").toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("OK ").contains("age1s8rzd46").doesNotContain("s3cr3t");
    }

    @Test
    void failuresExitOneWithTheErrorClassFirst() throws Exception {
        Result tampered = run("verify", "--key", fixture("keys/age-dev.txt").toString(),
                fixture("cases/g09-yaml-tampered-unencrypted/secret.enc.yaml").toString());
        assertThat(tampered.code()).isEqualTo(1);
        assertThat(tampered.err()).startsWith("MAC_MISMATCH ");

        Result wrongKey = run("decrypt", "--key", fixture("keys/age-dev-2.txt").toString(),
                fixture("cases/g01-yaml-age-basic/secret.enc.yaml").toString());
        assertThat(wrongKey.code()).isEqualTo(1);
        assertThat(wrongKey.err()).startsWith("DATA_KEY_UNAVAILABLE ").contains("age1s8rzd46")
                .doesNotContain("AGE-SECRET-KEY");
    }

    @Test
    void formatOverrideAndUsageErrors() throws Exception {
        Path renamed = dir.resolve("secret.txt");
        Files.copy(fixture("cases/g02-json-age-basic/secret.enc.json"), renamed);
        Result r = run("decrypt", "--key", fixture("keys/age-dev.txt").toString(), "--format", "json", "--json", renamed.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(JSON.readTree(r.out()).at("/documents/0/username").asText()).isEqualTo("alice");

        assertThat(run("decrypt", renamed.toString()).code()).isEqualTo(2);
        assertThat(run("decrypt", "--key").code()).isEqualTo(2);
        assertThat(run("decrypt", "--bogus", "x").code()).isEqualTo(2);
        assertThat(run("decrypt", "--key", "k", "--format", "toml", "d").code()).isEqualTo(2);
    }

    @Test
    void sealedManifestRoundTripsAndHoldsNoCleartext() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.yaml"), """
                apiVersion: v1
                kind: Secret
                metadata:
                  name: ignored
                  labels:
                    app: billing
                type: Opaque
                stringData:
                  password: very-secret-value-42
                  user: billing-bot
                """);
        Path key = dir.resolve("key.txt");
        Process keygen = new ProcessBuilder("age-keygen", "-o", key.toString()).redirectErrorStream(true).start();
        String keygenOut = new String(keygen.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(keygen.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String recipient = keygenOut.replaceAll("(?s).*(age1[0-9a-z]+).*", "$1");

        Result sealed = run("seal", "--recipient", recipient, "--namespace", "billing", "--name", "db", secret.toString());
        assertThat(sealed.code()).as(sealed.err()).isZero();
        assertThat(sealed.out()).doesNotContain("very-secret-value-42").doesNotContain("billing-bot")
                .contains("kind: SealedSecret").contains("namespace: billing");

        Map<?, ?> manifest = new Yaml().load(sealed.out());
        String document = (String) ((Map<?, ?>) manifest.get("spec")).get("document");
        Path doc = Files.writeString(dir.resolve("db.enc.yaml"), document);
        Result decrypted = run("decrypt", "--key", key.toString(), "--json", doc.toString());
        assertThat(decrypted.code()).as(decrypted.err()).isZero();
        JsonNode tree = JSON.readTree(decrypted.out()).at("/documents/0");
        assertThat(tree.at("/stringData/password").asText()).isEqualTo("very-secret-value-42");
        assertThat(tree.at("/metadata/namespace").asText()).isEqualTo("billing");
        assertThat(tree.at("/metadata/name").asText()).isEqualTo("db");
        assertThat(tree.at("/metadata/labels/app").asText()).isEqualTo("billing");
    }

    @Test
    void sealEncryptsTheBindingAndVerifyAppliesTheOperatorsScopeRules() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.yaml"), "API_TOKEN=tok-123\n");
        Result sealed = run("seal", "--recipient", "age1s8rzd46thnhta5dul2swfkdyggey2xkydqf6v8xuh2q6jp5vng9qu8zgf5",
                "--namespace", "billing", "--name", "db", secret.toString());
        String document = (String) ((Map<?, ?>) ((Map<?, ?>) new Yaml().load(sealed.out())).get("spec")).get("document");
        Map<?, ?> metadata = (Map<?, ?>) ((Map<?, ?>) new Yaml().load(document)).get("metadata");
        assertThat((String) metadata.get("namespace")).startsWith("ENC[AES256_GCM,");
        assertThat((String) metadata.get("name")).startsWith("ENC[AES256_GCM,");
        Path doc = Files.writeString(dir.resolve("db.enc.yaml"), document);
        String key = fixture("keys/age-dev.txt").toString();

        Result ok = run("verify", "--key", key, "--namespace", "billing", "--name", "db", doc.toString());
        assertThat(ok.code()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("BOUND").doesNotContain("tok-123");

        Result elsewhere = run("verify", "--key", key, "--namespace", "other", "--name", "db", doc.toString());
        assertThat(elsewhere.code()).isEqualTo(1);
        assertThat(elsewhere.err()).startsWith("SCOPE_MISMATCH ").doesNotContain("billing");
        assertThat(run("verify", "--key", key, "--namespace", "billing", doc.toString()).code()).isEqualTo(2);
    }

    @Test
    void verifyRefusesUnboundAndUnprotectedDocumentsAsTheOperatorWould() throws Exception {
        // Flux's genuine document names itself only in clear text: unbound for a key that serves every namespace.
        Path flux = fixture("cases/u14-flux-age-k8s-secret/age.yaml");
        String fluxKey = fixture("keys/age-flux.txt").toString();
        Result unbound = run("verify", "--key", fluxKey, "--namespace", "apps", "--name", "age", flux.toString());
        assertThat(unbound.code()).isEqualTo(1);
        assertThat(unbound.err()).startsWith("UNBOUND ").contains("metadata.name is clear text");
        // --allow-unbound: the key will be restricted to this namespace (or the operator allows unbound documents).
        Result allowed = run("verify", "--key", fluxKey, "--namespace", "apps", "--name", "age", "--allow-unbound", flux.toString());
        assertThat(allowed.code()).as(allowed.err()).isZero();
        assertThat(allowed.out()).contains("UNBOUND_ALLOWED");

        // mac_only_encrypted leaves clear values out of the MAC: an edited clear value still verifies, but is refused.
        Map<String, Object> manifest = new java.util.LinkedHashMap<>();
        manifest.put("apiVersion", "v1");
        manifest.put("kind", "Secret");
        manifest.put("stringData", new java.util.LinkedHashMap<>(Map.of("password", "pw", "user", "admin")));
        String document = dev.vigil.sops.SopsEncryptor.encryptYaml(manifest,
                java.util.List.of("age1s8rzd46thnhta5dul2swfkdyggey2xkydqf6v8xuh2q6jp5vng9qu8zgf5"), java.util.List.of(),
                "^password$", true, java.time.Clock.systemUTC());
        assertThat(document).contains("mac_only_encrypted: true").contains("user: admin");
        Path macOnly = Files.writeString(dir.resolve("mac-only.enc.yaml"), document.replace("user: admin", "user: attacker"));
        String key = fixture("keys/age-dev.txt").toString();
        assertThat(run("verify", "--key", key, macOnly.toString()).code()).as("the MAC still verifies").isZero();
        Result unprotected = run("verify", "--key", key, "--namespace", "default", "--name", "mac-only", "--allow-unbound",
                macOnly.toString());
        assertThat(unprotected.code()).isEqualTo(1);
        assertThat(unprotected.err()).startsWith("UNPROTECTED_CLEARTEXT ").contains("stringData.user").doesNotContain("attacker");
    }

    @Test
    void sealAcceptsDotenv() throws Exception {
        Path env = Files.writeString(dir.resolve("app.env"), "API_TOKEN=tok-123\nDB_URL=postgres://x\n");
        Result sealed = run("seal", "--recipient", "age1s8rzd46thnhta5dul2swfkdyggey2xkydqf6v8xuh2q6jp5vng9qu8zgf5",
                "--namespace", "a", "--name", "b", env.toString());
        assertThat(sealed.code()).as(sealed.err()).isZero();
        assertThat(sealed.out()).doesNotContain("tok-123");
        Path doc = Files.writeString(dir.resolve("b.enc.yaml"),
                (String) ((Map<?, ?>) ((Map<?, ?>) new Yaml().load(sealed.out())).get("spec")).get("document"));
        Result decrypted = run("decrypt", "--key", fixture("keys/age-dev.txt").toString(), "--json", doc.toString());
        assertThat(JSON.readTree(decrypted.out()).at("/documents/0/stringData/API_TOKEN").asText()).isEqualTo("tok-123");
    }

    @Test
    void sealsForAPgpPublicKeyExportedByGpg() throws Exception {
        Path home = Files.createDirectories(dir.resolve("gnupg"));
        Files.setPosixFilePermissions(home, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        Path secret = fixture("keys/pgp-dev-rsa.sec.asc");
        gpg(home, "--import", secret.toString());
        Path pub = dir.resolve("pub.asc");
        Files.writeString(pub, gpg(home, "--armor", "--export", "82C6BE951FFC41DF1A2012DA4B472F77F274116B"));
        Path env = Files.writeString(dir.resolve("pgp.env"), "TOKEN=pgp-sealed-value\n");

        Result sealed = run("seal", "--pgp", pub.toString(), "--namespace", "a", "--name", "b", env.toString());
        assertThat(sealed.code()).as(sealed.err()).isZero();
        assertThat(sealed.out()).doesNotContain("pgp-sealed-value").contains("fp: 82C6BE951FFC41DF1A2012DA4B472F77F274116B");
        String document = (String) ((Map<?, ?>) ((Map<?, ?>) new Yaml().load(sealed.out())).get("spec")).get("document");
        Path doc = Files.writeString(dir.resolve("b.enc.yaml"), document);
        Result decrypted = run("decrypt", "--key", secret.toString(), "--json", doc.toString());
        assertThat(decrypted.code()).as(decrypted.err()).isZero();
        assertThat(JSON.readTree(decrypted.out()).at("/documents/0/stringData/TOKEN").asText()).isEqualTo("pgp-sealed-value");

        // The real gpg opens the wrapped data key too.
        Map<?, ?> sops = (Map<?, ?>) ((Map<?, ?>) new Yaml().load(document)).get("sops");
        String enc = (String) ((Map<?, ?>) ((java.util.List<?>) sops.get("pgp")).get(0)).get("enc");
        Path message = Files.writeString(dir.resolve("key.asc"), enc);
        Process p = new ProcessBuilder("gpg", "--homedir", home.toString(), "--batch", "--quiet", "--decrypt", message.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] dataKey = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(dataKey).hasSize(32);
    }

    private static String gpg(Path home, String... args) throws Exception {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("gpg", "--homedir", home.toString(), "--batch"));
        command.addAll(java.util.List.of(args));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        return out;
    }
}
