package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.baseline.SecurityBaseline;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil report} against golden files: the checklist of a saved baseline (file and standard input), the same
 * from the live cluster (Fabric8's mock API server through a kubeconfig), JSON, and clear errors. Refresh the golden
 * files with {@code -Dvigil.golden.update=true} and read the diff.
 */
@EnableKubernetesMockClient(crud = true)
class CliReportTest {

    static final Path GOLDEN = Path.of("src/test/resources/report");

    KubernetesClient client;

    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
    }

    static Result run(InputStream stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new ReportCommand(stdin).run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static void assertGolden(String name, String actual) throws IOException {
        Path file = GOLDEN.resolve(name);
        if (Boolean.getBoolean("vigil.golden.update")) {
            Files.writeString(file, actual);
        }
        assertThat(actual).isEqualTo(Files.readString(file));
    }

    static Path saved() {
        return GOLDEN.resolve("web-baseline.yaml");
    }

    @Test
    void markdownChecklistOfASavedBaseline() throws Exception {
        Result r = run(InputStream.nullInputStream(), saved().toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertGolden("web-baseline.md", r.out());
        // What a team needs is there: a box per failing control with its fix, ticks for passing ones, accepted risks
        // with owner and expiry, the grade, the date, and what the status could not tell.
        assertThat(r.out()).contains("- [ ] **x-frame-options** (warn): x-frame-options-not-implemented (-20) — Content-Security-Policy")
                .contains("## aplus.test — grade A+ (score 130), compliant").contains("- [x] tls-level")
                .contains("- cookies: session cookie set by the legacy CMS; fixed in the Q3 rewrite (owner team-blog, expires 2099-10-01")
                .contains("Graded 2026-12-05").contains("- [ ] 3 more failing controls").contains("2 more services");
        String bare = r.out().substring(r.out().indexOf("## bare.test"), r.out().indexOf("## edge.test"));
        assertThat(bare).contains("- [x] certificate-expiry").doesNotContain("- [x] x-frame-options")
                .as("ignored by the baseline").doesNotContain("cross-origin-resource-policy");
        String edge = r.out().substring(r.out().indexOf("## edge.test"), r.out().indexOf("## aplus.test"));
        assertThat(edge).as("with the failing list cut, nothing is claimed to pass").doesNotContain("- [x]");
        String cookies = r.out().substring(r.out().indexOf("## cookies.test"), r.out().indexOf("## new.test"));
        assertThat(cookies).doesNotContain("- [x] cookies");
    }

    @Test
    void standardInputAndJson() throws Exception {
        byte[] yaml = Files.readAllBytes(saved());
        Result md = run(new ByteArrayInputStream(yaml), "-");
        assertThat(md.code()).isZero();
        assertThat(md.out()).isEqualTo(Files.readString(GOLDEN.resolve("web-baseline.md")));
        Result json = run(new ByteArrayInputStream(yaml), "-", "--format", "json");
        assertThat(json.code()).as(json.err()).isZero();
        assertGolden("web-baseline.json", json.out());
        var tree = Serialization.jsonMapper().readTree(json.out());
        assertThat(tree.path("minimumGrade").asText()).isEqualTo("B");
        assertThat(tree.path("rows")).hasSize(6);
        assertThat(tree.path("rows").get(1).path("controls").get(0).path("state").asText()).isEqualTo("warn");
    }

    @Test
    void theLiveClusterGivesTheSameChecklist() throws Exception {
        SecurityBaseline baseline = Serialization.unmarshal(Files.readString(saved()), SecurityBaseline.class);
        client.resource(baseline).create();
        Path kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters: [{name: mock, cluster: {server: "%s", insecure-skip-tls-verify: true}}]
                users: [{name: me, user: {token: test}}]
                contexts: [{name: mock, context: {cluster: mock, user: me, namespace: shop}}]
                current-context: mock
                """.formatted(client.getConfiguration().getMasterUrl()));
        // Quarkus tests of the same JVM leave kubernetes.* system properties behind (the mock server they started),
        // which Fabric8 lets override any kubeconfig; a user's shell has none of them.
        java.util.Properties saved = (java.util.Properties) System.getProperties().clone();
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("kubernetes.") || k.equals("kubeconfig"))
                .forEach(System::clearProperty);
        try {
            Result r = run(InputStream.nullInputStream(), "--name", "web", "--kubeconfig", kubeconfig.toString());
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out()).isEqualTo(Files.readString(GOLDEN.resolve("web-baseline.md")));

            Result missing = run(InputStream.nullInputStream(), "--name", "nope", "--namespace", "shop", "--kubeconfig",
                    kubeconfig.toString());
            assertThat(missing.code()).isEqualTo(Command.EXIT_FAILURE);
            assertThat(missing.err()).contains("no SecurityBaseline shop/nope");
        } finally {
            System.setProperties(saved);
        }
    }

    @Test
    void secretHygieneInTheChecklist() throws Exception {
        Result r = run(InputStream.nullInputStream(), GOLDEN.resolve("secrets-baseline.yaml").toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertGolden("secrets-baseline.md", r.out());
        // The service's secret controls (failing with the fix, passing ticked) and a box per Secret not from git.
        assertThat(r.out()).contains("- [ ] **secret-source** (fail): 3 Secrets not from a SealedSecret: borrowed-owner,")
                .contains("- [x] secret-rotation")
                .contains("Secrets from SealedSecrets only: 3 of 8 Secrets not from git")
                .contains("- [ ] **secret-source** (fail): Secret `shop/db-password`: Secret db-password (type Opaque) is not"
                        + " written from a SealedSecret — commit it as a SealedSecret (vigil seal --namespace shop --name"
                        + " db-password)");
        Result json = run(InputStream.nullInputStream(), GOLDEN.resolve("secrets-baseline.yaml").toString(), "--format", "json");
        var tree = Serialization.jsonMapper().readTree(json.out());
        assertThat(tree.path("secrets").path("secretsNotFromGit").asInt()).isEqualTo(3);
        // Without the requirement, no secret control is claimed to pass.
        Result plain = run(InputStream.nullInputStream(), saved().toString());
        assertThat(plain.out()).doesNotContain("secret-rotation").doesNotContain("secret-source").doesNotContain("## Secrets");
    }

    /** The background audit of a baseline with spec.enforcement (status from a real run of AdmissionAuditTest). */
    @Test
    void admissionAuditInTheChecklist() throws Exception {
        Result r = run(InputStream.nullInputStream(), GOLDEN.resolve("admission-baseline.yaml").toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertGolden("admission-baseline.md", r.out());
        assertThat(r.out()).contains("## Admission (mode Warn)")
                .contains(": 4 objects admission would warn about if applied now (secrets-from-git 2, tls-for-every-host 1,"
                        + " no-downgrade-switches 1).")
                .contains("- [ ] **secrets-from-git**: Secret `db-credentials`: Secret db-credentials must come from git")
                .contains("- [ ] **no-downgrade-switches**: Ingress `checkout`: ");
        Result json = run(InputStream.nullInputStream(), GOLDEN.resolve("admission-baseline.yaml").toString(), "--format", "json");
        var tree = Serialization.jsonMapper().readTree(json.out());
        assertThat(tree.path("admission").path("violations").asInt()).isEqualTo(4);
        assertThat(tree.path("admission").path("objects").size()).isEqualTo(4);
        // A baseline without spec.enforcement has no admission section.
        assertThat(run(InputStream.nullInputStream(), saved().toString()).out()).doesNotContain("## Admission");
    }

    @Test
    void badInputIsAUsageError() throws Exception {
        Path secret = dir.resolve("secret.yaml");
        Files.writeString(secret, "apiVersion: v1\nkind: Secret\nmetadata: {name: x}\n");
        Result notABaseline = run(InputStream.nullInputStream(), secret.toString());
        assertThat(notABaseline.code()).isEqualTo(Command.EXIT_USAGE);
        assertThat(notABaseline.err()).contains("holds no SecurityBaseline");
        Result both = run(InputStream.nullInputStream(), saved().toString(), "--name", "web");
        assertThat(both.code()).isEqualTo(Command.EXIT_USAGE);
        Result format = run(InputStream.nullInputStream(), saved().toString(), "--format", "html");
        assertThat(format.code()).isEqualTo(Command.EXIT_USAGE);
        Result garbage = run(new ByteArrayInputStream("{{{ not yaml".getBytes(StandardCharsets.UTF_8)), "-");
        assertThat(garbage.code()).isEqualTo(Command.EXIT_USAGE);
    }

    @Test
    void theCommandIsRegistered() {
        assertThat(Cli.isCommand("report")).isTrue();
    }
}
