package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/** {@code vigil rekey} on a tree of real documents, and the keys the CLI finds in sops' environment variables. */
class CliRekeyTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String DEV = "age1s8rzd46thnhta5dul2swfkdyggey2xkydqf6v8xuh2q6jp5vng9qu8zgf5";
    static final List<String> CASES = List.of("g01-yaml-age-basic/secret.enc.yaml", "g02-json-age-basic/secret.enc.json",
            "g03-dotenv-age-basic/secret.enc.env", "g04-ini-age-basic/secret.enc.ini", "g06-yaml-multidoc-k8s/secret.enc.yaml");

    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
    }

    static Result run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Environment.with(env, () -> Cli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Result run(String... args) {
        return run(Map.of(), args);
    }

    Path fixture(String path, Path target) throws Exception {
        Files.createDirectories(target.getParent());
        try (InputStream in = getClass().getResourceAsStream("/sops/" + path)) {
            Files.write(target, in.readAllBytes());
        }
        return target;
    }

    /** A fresh identity made by the real age-keygen; returns its recipient. */
    static String keygen(Path file) throws Exception {
        Process keygen = new ProcessBuilder("age-keygen", "-o", file.toString()).redirectErrorStream(true).start();
        String out = new String(keygen.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(keygen.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out.replaceAll("(?s).*(age1[0-9a-z]+).*", "$1");
    }

    /** g01…g06 in several directories plus a SealedSecret manifest made by vigil seal, all for the dev key. */
    Path tree() throws Exception {
        Path tree = dir.resolve("gitops");
        for (String c : CASES) {
            fixture("cases/" + c, tree.resolve(c.replace("/secret", "/shop-secret")));
        }
        Path secret = Files.writeString(dir.resolve("secret.yaml"), "apiVersion: v1\nkind: Secret\nmetadata:\n  name: x\n"
                + "stringData:\n  password: tree-secret-1\n");
        Result sealed = run("seal", "--recipient", DEV, "--namespace", "shop", "--name", "db", secret.toString());
        assertThat(sealed.code()).as(sealed.err()).isZero();
        Files.createDirectories(tree.resolve("manifests"));
        Files.writeString(tree.resolve("manifests/db.sealed.yaml"), sealed.out());
        Files.writeString(tree.resolve("manifests/README.md"), "not a sops document\n");
        return tree;
    }

    @Test
    void rekeysATreeInPlaceForTheNewKeyOnly() throws Exception {
        Path tree = tree();
        Map<Path, String> before = snapshot(tree);
        Path newKey = dir.resolve("new.txt");
        String recipient = keygen(newKey);
        Path devKey = fixture("keys/age-dev.txt", dir.resolve("age-dev.txt"));

        Result r = run("rekey", "--key", devKey.toString(), "--add", recipient, "--remove", DEV, tree.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out().lines().filter(l -> l.startsWith("rekeyed ")).count()).isEqualTo(6);
        assertThat(r.out()).contains("+" + recipient).contains("-" + DEV).doesNotContain("tree-secret-1");

        for (String c : CASES) {
            Path doc = tree.resolve(c.replace("/secret", "/shop-secret"));
            Result opened = run("decrypt", "--key", newKey.toString(), "--json", doc.toString());
            assertThat(opened.code()).as(c + opened.err()).isZero();
            JsonNode expected = JSON.readTree(getClass().getResourceAsStream("/sops/cases/" + c.substring(0, c.indexOf('/')) + "/expected.json"));
            assertThat(JSON.readTree(opened.out()).get("documents")).as(c).isEqualTo(expected.get("documents"));
            assertThat(encValues(Files.readString(doc))).as(c).isEqualTo(encValues(before.get(doc)));
            Result old = run("decrypt", "--key", devKey.toString(), doc.toString());
            assertThat(old.code()).isEqualTo(1);
            assertThat(old.err()).startsWith("DATA_KEY_UNAVAILABLE ");
        }
        // The manifest keeps every line outside the recipients block; the real age CLI opens the new stanza.
        Path manifest = tree.resolve("manifests/db.sealed.yaml");
        String after = Files.readString(manifest);
        String original = before.get(manifest);
        assertThat(after.substring(0, after.indexOf("    sops:"))).isEqualTo(original.substring(0, original.indexOf("    sops:")));
        assertThat(after.substring(after.indexOf("        lastmodified:"))).isEqualTo(original.substring(original.indexOf("        lastmodified:")));
        String document = (String) ((Map<?, ?>) ((Map<?, ?>) new Yaml().load(after)).get("spec")).get("document");
        List<?> age = (List<?>) ((Map<?, ?>) ((Map<?, ?>) new Yaml().load(document)).get("sops")).get("age");
        assertThat(age).hasSize(1);
        assertThat(((Map<?, ?>) age.get(0)).get("recipient")).isEqualTo(recipient);
        Path enc = Files.writeString(dir.resolve("stanza.age"), (String) ((Map<?, ?>) age.get(0)).get("enc"));
        Process p = new ProcessBuilder("age", "--decrypt", "-i", newKey.toString(), enc.toString()).start();
        byte[] dataKey = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(dataKey).hasSize(32);
        assertThat(Files.readString(tree.resolve("manifests/README.md"))).isEqualTo("not a sops document\n");
    }

    @Test
    void dryRunPrintsTheChangeAndWritesNothing() throws Exception {
        Path tree = tree();
        Map<Path, String> before = snapshot(tree);
        String recipient = keygen(dir.resolve("new.txt"));
        Result r = run("rekey", "--dry-run", "--key", fixture("keys/age-dev.txt", dir.resolve("k.txt")).toString(),
                "--add", recipient, tree.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out().lines().filter(l -> l.startsWith("would rekey ")).count()).isEqualTo(6);
        assertThat(r.out()).contains("+" + recipient);
        assertThat(snapshot(tree)).isEqualTo(before);
    }

    @Test
    void refusesToRemoveTheLastRecipientAndLeavesTheFile() throws Exception {
        Path doc = fixture("cases/g01-yaml-age-basic/secret.enc.yaml", dir.resolve("one.enc.yaml"));
        String before = Files.readString(doc);
        Result r = run("rekey", "--key", fixture("keys/age-dev.txt", dir.resolve("k.txt")).toString(), "--remove", DEV, doc.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("last recipient");
        assertThat(Files.readString(doc)).isEqualTo(before);
        assertThat(run("rekey", "--add", "nonsense", doc.toString()).code()).isEqualTo(2);
    }

    @Test
    void followsTheCreationRulesOfSopsYaml() throws Exception {
        Path repo = dir.resolve("repo");
        Path prod = fixture("cases/g01-yaml-age-basic/secret.enc.yaml", repo.resolve("prod/db.enc.yaml"));
        Path staging = fixture("cases/g01-yaml-age-basic/secret.enc.yaml", repo.resolve("staging/db.enc.yaml"));
        String prodRecipient = keygen(dir.resolve("prod.txt"));
        String pq = new String(getClass().getResourceAsStream("/sops/keys/age-pq.txt").readAllBytes(), StandardCharsets.UTF_8)
                .replaceAll("(?s).*# public key: (age1pq1[0-9a-z]+).*", "$1");
        Files.writeString(repo.resolve(".sops.yaml"), "creation_rules:\n"
                + "  - path_regex: ^prod/.*\\.enc\\.yaml$\n    age: " + prodRecipient + "\n"
                + "  - age: >-\n      " + DEV + ",\n      " + pq + "\n");
        Path key = fixture("keys/age-dev.txt", dir.resolve("k.txt"));
        Result r = run("rekey", "--key", key.toString(), repo.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(run("decrypt", "--key", dir.resolve("prod.txt").toString(), prod.toString()).code()).isZero();
        assertThat(run("decrypt", "--key", key.toString(), prod.toString()).code()).isEqualTo(1);
        Path pqKey = fixture("keys/age-pq.txt", dir.resolve("pq.txt"));
        assertThat(run("decrypt", "--key", pqKey.toString(), staging.toString()).code()).isZero();
        assertThat(run("decrypt", "--key", key.toString(), staging.toString()).code()).isZero();
        Result again = run("rekey", "--key", key.toString(), staging.toString());
        assertThat(again.out()).startsWith("unchanged ");
    }

    @Test
    void anIdentityFileVigilCannotReadIsKeyUnsupported() throws Exception {
        Path key = Files.writeString(dir.resolve("yubikey.txt"), "# serial 123\nAGE-PLUGIN-YUBIKEY-1QXYZQYQQQQQQQQQQQQQQQQQQQQQQQQ\n");
        Result r = run("decrypt", "--key", key.toString(), fixture("cases/g01-yaml-age-basic/secret.enc.yaml", dir.resolve("d.enc.yaml")).toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("KEY_UNSUPPORTED ").contains("line 2").contains("AGE-PLUGIN-YUBIKEY-1…")
                .doesNotContain("QXYZQ");
    }

    @Test
    void keysComeFromSopsEnvironmentVariablesAndTheDefaultFile() throws Exception {
        Path doc = fixture("cases/g01-yaml-age-basic/secret.enc.yaml", dir.resolve("d.enc.yaml"));
        Path devKey = fixture("keys/age-dev.txt", dir.resolve("keys.txt"));
        String identity = Files.readAllLines(devKey).stream().filter(l -> l.startsWith("AGE-SECRET-KEY-")).findFirst().orElseThrow();

        assertThat(run(Map.of("SOPS_AGE_KEY_FILE", devKey.toString()), "verify", doc.toString()).code()).isZero();
        assertThat(run(Map.of("SOPS_AGE_KEY", identity), "verify", doc.toString()).code()).isZero();
        Path xdg = dir.resolve("xdg");
        fixture("keys/age-dev.txt", xdg.resolve("sops/age/keys.txt"));
        assertThat(run(Map.of("XDG_CONFIG_HOME", xdg.toString()), "verify", doc.toString()).code()).isZero();
        Path home = dir.resolve("home");
        fixture("keys/age-dev.txt", home.resolve(".config/sops/age/keys.txt"));
        assertThat(run(Map.of("HOME", home.toString()), "verify", doc.toString()).code()).isZero();
        Result none = run(Map.of("HOME", dir.resolve("empty").toString()), "verify", doc.toString());
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.err()).contains("SOPS_AGE_KEY_FILE");
    }

    @Test
    void sshAndPassphraseProtectedIdentitiesFromTheEnvironment() throws Exception {
        JsonNode vectors = JSON.readTree(getClass().getResourceAsStream("/sops/age-unit/age-vectors.json"));
        Path secret = Files.writeString(dir.resolve("app.env"), "TOKEN=from-env-keys\n");
        // A document for the ssh-ed25519 recipient and the X25519 recipient inside the passphrase-protected file.
        Result sealed = run("seal", "--recipient", vectors.at("/ssh_ed25519/recipient").asText(), "--recipient",
                vectors.at("/x25519/recipient").asText(), "--namespace", "a", "--name", "b", secret.toString());
        assertThat(sealed.code()).as(sealed.err()).isZero();
        Path doc = Files.writeString(dir.resolve("b.enc.yaml"),
                (String) ((Map<?, ?>) ((Map<?, ?>) new Yaml().load(sealed.out())).get("spec")).get("document"));

        Path ssh = Files.writeString(dir.resolve("id_ed25519"), vectors.at("/ssh_ed25519/openssh_private_key").asText());
        Result bySsh = run(Map.of("SOPS_AGE_SSH_PRIVATE_KEY_FILE", ssh.toString()), "decrypt", "--json", doc.toString());
        assertThat(bySsh.code()).as(bySsh.err()).isZero();
        assertThat(JSON.readTree(bySsh.out()).at("/documents/0/stringData/TOKEN").asText()).isEqualTo("from-env-keys");

        String passphrase = vectors.at("/scrypt_encrypted_identity_file/passphrase").asText();
        Path locked = Files.writeString(dir.resolve("locked.txt"), vectors.at("/scrypt_encrypted_identity_file/armored").asText());
        Result noPassphrase = run("verify", "--key", locked.toString(), doc.toString());
        assertThat(noPassphrase.code()).isEqualTo(1);
        assertThat(noPassphrase.err()).startsWith("KEY_UNSUPPORTED ").contains("--passphrase-file");
        Path passFile = Files.writeString(dir.resolve("pass"), passphrase + "\n");
        Result byFile = run("verify", "--key", locked.toString(), "--passphrase-file", passFile.toString(), doc.toString());
        assertThat(byFile.code()).as(byFile.err()).isZero();
        Result byEnv = run(Map.of(KeySources.PASSPHRASE_ENV, passphrase), "verify", "--key", locked.toString(), doc.toString());
        assertThat(byEnv.code()).as(byEnv.err()).isZero();
        Result wrong = run(Map.of(KeySources.PASSPHRASE_ENV, "not-it-9f3k"), "verify", "--key", locked.toString(), doc.toString());
        assertThat(wrong.code()).isEqualTo(1);
        for (Result r : List.of(noPassphrase, byFile, byEnv, wrong)) {
            // (the vector's passphrase is the word "passphrase": strip the option names before looking for it)
            String printed = (r.out() + r.err()).replace("passphrase-protected", "").replace("--passphrase-file", "")
                    .replace("VIGIL_AGE_PASSPHRASE", "").replace("given passphrase", "").replace("give the passphrase", "");
            assertThat(printed).doesNotContain(passphrase).doesNotContain("not-it-9f3k");
        }
    }

    @Test
    void sealTakesEveryInputASealedSecretTakesAndRecipientsFromSopsYaml() throws Exception {
        Path repo = dir.resolve("repo");
        Files.createDirectories(repo);
        Files.writeString(repo.resolve(".sops.yaml"), "creation_rules:\n  - path_regex: .*\n    age: " + DEV + "\n");
        Path key = fixture("keys/age-dev.txt", dir.resolve("k.txt"));
        Map<String, String> inputs = Map.of(
                "plain.yaml", "user: admin\nport: 5432\n",
                "plain.json", "{\"user\": \"admin\", \"port\": 5432}",
                "app.ini", "top = 1\n[db]\nuser = admin\nport = 5432\n");
        for (var input : inputs.entrySet()) {
            Path file = Files.writeString(repo.resolve(input.getKey()), input.getValue());
            JsonNode secret = sealAndOpen(file, key);
            JsonNode data = secret.get("stringData");
            if (input.getKey().endsWith(".ini")) {
                assertThat(data.get("db.user").asText()).isEqualTo("admin");
                assertThat(data.get("top").asText()).isEqualTo("1");
            } else {
                assertThat(data.get("user").asText()).as(input.getKey()).isEqualTo("admin");
                assertThat(data.get("port").asText()).isEqualTo("5432");
            }
        }
        byte[] binary = {0, 1, 2, (byte) 0xff, (byte) 0xfe, 10};
        Path bin = Files.write(repo.resolve("keystore.p12"), binary);
        JsonNode secret = sealAndOpen(bin, key);
        assertThat(java.util.Base64.getDecoder().decode(secret.at("/data/keystore.p12").asText())).isEqualTo(binary);
    }

    private JsonNode sealAndOpen(Path input, Path key) throws Exception {
        Result sealed = run("seal", "--namespace", "a", "--name", "b", input.toString());
        assertThat(sealed.code()).as(input + sealed.err()).isZero();
        Path doc = Files.writeString(dir.resolve("sealed.enc.yaml"),
                (String) ((Map<?, ?>) ((Map<?, ?>) new Yaml().load(sealed.out())).get("spec")).get("document"));
        Result opened = run("decrypt", "--key", key.toString(), "--json", doc.toString());
        assertThat(opened.code()).as(opened.err()).isZero();
        return JSON.readTree(opened.out()).at("/documents/0");
    }

    static List<String> encValues(String document) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("ENC\\[AES256_GCM,[^\\]]*]").matcher(document);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    static Map<Path, String> snapshot(Path tree) throws Exception {
        Map<Path, String> files = new java.util.TreeMap<>();
        try (var walk = Files.walk(tree)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                files.put(p, Files.readString(p));
            }
        }
        return files;
    }
}
