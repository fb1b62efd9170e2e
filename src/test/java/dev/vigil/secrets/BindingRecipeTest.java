package dev.vigil.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.sops.DecryptedDocument;
import dev.vigil.sops.SopsDecryptor;
import dev.vigil.sops.SopsFormat;
import dev.vigil.sops.SopsKeyring;
import dev.vigil.testsupport.Fixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The documented recipe for plain sops users, {@code sops -e --encrypted-regex '^(data|stringData|name|namespace)$'},
 * on a real document: made by Vigil's encryptor configured exactly as sops would be (the same metadata:
 * encrypted_regex, lastmodified, mac, age stanza, version; there is no sops binary here), then opened by
 * Vigil as a bound document and, independently, by the npm sops-age decryptor (installed by
 * bench/peers/install.sh into target/npm-peers on first use; that half is skipped where node/npm is absent).
 */
class BindingRecipeTest {

    static final Path PEERS = Path.of("target/npm-peers");

    @TempDir
    Path dir;

    static Map<String, Object> manifest() {
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("apiVersion", "v1");
        manifest.put("kind", "Secret");
        manifest.put("metadata", new LinkedHashMap<>(Map.of("name", "db", "namespace", "shop")));
        manifest.put("type", "Opaque");
        manifest.put("stringData", Map.of("password", "recipe-s3cr3t"));
        return manifest;
    }

    @Test
    void theRecipeEncryptsTheBindingAndVigilCountsItAsBound() throws Exception {
        String document = Fixtures.encrypt(manifest(), Fixtures.AGE_DEV_RECIPIENT, ScopeRules.BINDING_RECIPE_REGEX);
        Map<?, ?> tree = new Yaml().load(document);
        Map<?, ?> sops = (Map<?, ?>) tree.get("sops");
        assertThat(sops.get("encrypted_regex")).isEqualTo("^(data|stringData|name|namespace)$");
        assertThat(sops.containsKey("age") && sops.containsKey("lastmodified") && sops.containsKey("mac") && sops.containsKey("version")).isTrue();
        assertThat((String) ((Map<?, ?>) tree.get("metadata")).get("namespace")).startsWith("ENC[AES256_GCM,");
        assertThat(tree.get("type")).isEqualTo("Opaque");

        DecryptedDocument decrypted = SopsDecryptor.decrypt(document.getBytes(StandardCharsets.UTF_8), SopsFormat.YAML,
                SopsKeyring.empty().withAgeIdentities(Fixtures.AGE_DEV_IDENTITY, "dev"));
        SecretPayload payload = SecretPayloads.from(decrypted, null);
        assertThat(payload.binding().namespace()).contains("shop");
        assertThat(payload.binding().name()).contains("db");
        assertThat(ScopeRules.decide(payload.binding(), List.of(new ScopeRules.OpeningKey("dev", false)), "shop", "db", false)
                .verdict()).isEqualTo(ScopeRules.Verdict.BOUND);
    }

    @Test
    void anIndependentDecryptorOpensTheRecipesDocument() throws Exception {
        Assumptions.assumeTrue(peersInstalled(), "node/npm or the npm package sops-age is not available here");
        String document = Fixtures.encrypt(manifest(), Fixtures.AGE_DEV_RECIPIENT, ScopeRules.BINDING_RECIPE_REGEX);
        Path file = Files.writeString(dir.resolve("db.enc.yaml"), document);
        Path key = Files.writeString(dir.resolve("age.txt"), Fixtures.AGE_DEV_IDENTITY);
        // ESM resolves packages from the script's own directory, so the script lives beside node_modules.
        Path script = Files.writeString(PEERS.resolve("binding-recipe-check.mjs"), """
                import { readFileSync } from "node:fs";
                import { decryptSops } from "sops-age";
                const [keyFile, file] = process.argv.slice(2);
                const secretKey = readFileSync(keyFile, "utf8").split("\\n").find((l) => l.startsWith("AGE-SECRET-KEY-")).trim();
                console.log(JSON.stringify(await decryptSops(readFileSync(file, "utf8"), { secretKey, fileType: "yaml" })));
                """);
        Process node = new ProcessBuilder("node", script.toAbsolutePath().toString(), key.toString(), file.toString())
                .redirectErrorStream(true).start();
        String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(node.exitValue()).as(out).isZero();
        JsonNode opened = new ObjectMapper().readTree(out);
        assertThat(opened.at("/metadata/namespace").asText()).isEqualTo("shop");
        assertThat(opened.at("/metadata/name").asText()).isEqualTo("db");
        assertThat(opened.at("/stringData/password").asText()).isEqualTo("recipe-s3cr3t");
        assertThat(opened.at("/type").asText()).isEqualTo("Opaque");
    }

    /** Installs the npm peers on first use (as the benchmarks do); false where node/npm or the registry is missing. */
    static boolean peersInstalled() throws Exception {
        if (Files.isDirectory(PEERS.resolve("node_modules/sops-age"))) {
            return true;
        }
        try {
            Process install = new ProcessBuilder("bash", "bench/peers/install.sh").redirectErrorStream(true).start();
            install.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            if (!install.waitFor(180, TimeUnit.SECONDS)) {
                install.destroyForcibly();
            }
        } catch (java.io.IOException e) {
            return false;
        }
        return Files.isDirectory(PEERS.resolve("node_modules/sops-age"));
    }
}
