package dev.vigil.ship;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.baseline.ProbeTarget;
import dev.vigil.baseline.AcceptedRiskSpec;
import dev.vigil.baseline.SecurityBaseline;
import dev.vigil.baseline.SecurityBaselineSpec;
import dev.vigil.secrets.KeySecrets;
import dev.vigil.secrets.SealedSecret;
import dev.vigil.secrets.SealedSecretSpec;
import dev.vigil.testsupport.NginxSitesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A real scrape of the running operator after it has worked on real objects: promtool accepts the
 * exposition, and every metric the dashboard reads is one the operator exports.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(NginxSitesResource.class)
class MetricsExpositionTest {

    @Inject
    KubernetesClient client;

    @ConfigProperty(name = "quarkus.http.test-port", defaultValue = "8081")
    int httpPort;

    @Test
    void dashboardReadsOnlyExportedMetricsAndPromtoolAcceptsTheExposition() throws Exception {
        String ns = "metrics-" + UUID.randomUUID().toString().substring(0, 8);
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        populate(ns);
        String exposition = await().atMost(Duration.ofSeconds(40)).until(this::scrape, text ->
                text.contains("vigil_decryption_key_sealedsecrets{") && text.contains("vigil_service_grade{")
                        && text.contains("vigil_probe_errors_total{") && text.contains("vigil_exceptions{")
                        && text.contains("vigil_sealedsecret_document_age_seconds{")
                        && text.contains("vigil_admission_violations{") && text.contains("vigil_control_failures{"));

        Set<String> exported = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^(vigil_[a-zA-Z0-9_]+)[{ ]").matcher(exposition);
        while (m.find()) {
            exported.add(m.group(1));
        }
        assertThat(exported).containsAll(DashboardQueries.metricNames());

        Path dir = Files.createTempDirectory("scrape");
        // The whole exposition parses (exit 1 would be a parse error); lint findings may only concern other
        // libraries' series (Quarkus HTTP, Netty, the operator SDK), never Vigil's.
        Promtool.Result whole = Promtool.run(dir, exposition, "check", "metrics");
        assertThat(whole.exit()).as(whole.output()).isIn(0, 3);
        assertThat(whole.output()).doesNotContain("vigil_");
        String vigilOnly = exposition.lines()
                .filter(l -> l.startsWith("vigil_") || l.startsWith("# HELP vigil_") || l.startsWith("# TYPE vigil_"))
                .reduce("", (a, b) -> a + b + "\n");
        Promtool.Result ours = Promtool.run(dir, vigilOnly, "check", "metrics");
        assertThat(ours.exit()).as(ours.output()).isZero();
    }

    private String scrape() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + "/q/metrics"))
                .header("Accept", "text/plain").build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private void populate(String ns) throws Exception {
        String key;
        try (InputStream in = getClass().getResourceAsStream("/sops/keys/age-flux.txt")) {
            key = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("vigil-system").endMetadata().build())
                .createOr(r -> r.update());
        client.resource(new SecretBuilder().withNewMetadata().withName("metrics-keys").withNamespace("vigil-system")
                // The Flux fixture is unbound: strict scope opens it only with a key restricted to its namespace.
                .addToLabels(KeySecrets.LABEL, "true").addToAnnotations(KeySecrets.ALLOWED_NAMESPACES, ns).endMetadata()
                .withData(Map.of("flux.agekey", Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8)))).build())
                .createOr(r -> r.update());
        String document;
        try (InputStream in = getClass().getResourceAsStream("/sops/cases/u14-flux-age-k8s-secret/age.yaml")) {
            document = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (String name : List.of("age", "broken")) {
            SealedSecret sealed = new SealedSecret();
            sealed.getMetadata().setName(name);
            sealed.getMetadata().setNamespace(ns);
            sealed.setSpec(new SealedSecretSpec());
            sealed.getSpec().document = name.equals("age") ? document : document.replace("name: age", "name: other");
            client.resource(sealed).create();
        }
        SecurityBaseline baseline = new SecurityBaseline();
        baseline.getMetadata().setName("edge");
        baseline.getMetadata().setNamespace(ns);
        baseline.setSpec(new SecurityBaselineSpec());
        ProbeTarget site = new ProbeTarget();
        site.url = "https://aplus.test:" + NginxSitesResource.nginx.httpsPort() + "/";
        site.connectAddress = "127.0.0.1";
        // A site failing controls, so vigil_control_failures comes from this test's own objects.
        ProbeTarget bare = new ProbeTarget();
        bare.url = "https://bare.test:" + NginxSitesResource.nginx.httpsPort() + "/";
        bare.connectAddress = "127.0.0.1";
        ProbeTarget unresolvable = new ProbeTarget();
        unresolvable.url = "https://no-such-host.invalid/";
        baseline.getSpec().targets = List.of(site, bare, unresolvable);
        AcceptedRiskSpec expired = new AcceptedRiskSpec();
        expired.hosts = List.of("aplus.test");
        expired.control = "redirection";
        expired.reason = "port 80 is closed on purpose here";
        expired.owner = "edge-team";
        expired.expires = "2021-06-30";
        baseline.getSpec().exceptions = List.of(expired);
        // Enforcing, so the background audit's series is exported and linted too.
        baseline.getSpec().enforcement = new dev.vigil.baseline.Enforcement();
        client.resource(baseline).create();
    }
}
