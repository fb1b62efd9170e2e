package dev.vigil.ship;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.baseline.ProbeTarget;
import dev.vigil.baseline.SecurityBaseline;
import dev.vigil.baseline.SecurityBaselineSpec;
import dev.vigil.testsupport.NginxServer;
import dev.vigil.testsupport.NginxSitesResource;
import dev.vigil.secrets.KeySecrets;
import dev.vigil.secrets.SealedSecret;
import dev.vigil.secrets.SealedSecretSpec;
import dev.vigil.sops.SopsEncryptor;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.io.InputStream;
import java.util.Base64;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The real Prometheus (Debian package) scrapes the operator, which grades nginx sites through the
 * mock API server; the dashboard's key queries, asked through Prometheus's HTTP API, return what
 * the sites deserve.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(NginxSitesResource.class)
class PrometheusEndToEndTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    KubernetesClient client;

    @ConfigProperty(name = "quarkus.http.test-port", defaultValue = "8081")
    int httpPort;

    @Test
    void dashboardQueriesAnswerFromARealPrometheus() throws Exception {
        String ns = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        SecurityBaseline baseline = new SecurityBaseline();
        baseline.getMetadata().setName("posture");
        baseline.getMetadata().setNamespace(ns);
        baseline.setSpec(new SecurityBaselineSpec());
        baseline.getSpec().targets = List.of(target("aplus.test"), target("bare.test"));
        baseline.getSpec().enforcement = new dev.vigil.baseline.Enforcement();
        baseline.getSpec().enforcement.secrets = dev.vigil.baseline.Enforcement.SecretSources.SealedSecretsOnly;
        // A Secret written by hand: the background audit finds it against secrets-from-git.
        client.resource(new SecretBuilder().withNewMetadata().withName("by-hand").withNamespace(ns).endMetadata()
                .withStringData(Map.of("k", "v")).build()).create();
        sealedSecrets(ns);
        client.resource(baseline).create();

        Path dir = Files.createTempDirectory("prometheus");
        int port = NginxServer.freePort();
        Files.writeString(dir.resolve("prometheus.yml"), """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: vigil
                    metrics_path: /q/metrics
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(httpPort));
        Process prometheus = new ProcessBuilder("prometheus", "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        try {
            String selector = "namespace=~\"" + ns + "\",baseline=~\"posture\"";
            // ignoreExceptions: Prometheus may not be listening at the first poll
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(() ->
                    query(port, "vigil_service_grade{" + selector + ",host=\"aplus.test\"}").equals(Map.of("aplus.test", 12.0)));

            Map<String, Double> byGrade = query(port, "count_values(\"grade\", vigil_service_grade{" + selector + "})");
            // bare.test over https only (no port 80 for an explicit target): 100 - 25 - 20 - 5 - 20 = 30, a D (2)
            assertThat(byGrade).containsEntry("12", 1.0).containsEntry("2", 1.0);
            assertThat(query(port, "sum(vigil_service_below_minimum{" + selector + "}) or vector(0)")).containsValue(1.0);
            assertThat(query(port, "sort(vigil_service_grade{" + selector + "})").keySet()).containsExactlyInAnyOrder("aplus.test", "bare.test");
            // A URL of spec.targets comes from the baseline itself: source="securitybaseline/<name>".
            assertThat(query(port, "vigil_service_grade{" + selector + ",source=\"securitybaseline/posture\"}").keySet())
                    .containsExactlyInAnyOrder("aplus.test", "bare.test");
            assertThat(query(port, "sum by (control) (vigil_control_failures{namespace=~\"" + ns + "\"})"))
                    .containsEntry("x-frame-options", 1.0).containsEntry("content-security-policy", 1.0);
            assertThat(query(port, "up{job=\"vigil\"}")).containsValue(1.0);

            // The trend panels, each query as the dashboard has it.
            Map<String, String> trend = trendQueries(ns);
            assertThat(query(port, trend.get("Services by grade over time"))).containsEntry("12", 1.0).containsEntry("2", 1.0);
            assertThat(query(port, trend.get("Services at or above their baseline's minimum"))).containsEntry("value", 0.5);
            Map<String, Double> daysLeft = query(port, trend.get("Certificate expiry timeline (days left)"));
            assertThat(daysLeft).containsOnlyKeys("aplus.test", "bare.test");
            assertThat(daysLeft.values()).allSatisfy(d -> assertThat(d).isBetween(1.0, 400.0));
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                List<String> ages = ageBuckets(ns);
                assertThat(query(port, ages.get(0))).as("a document sealed now").containsEntry("value", 1.0);
                assertThat(query(port, ages.get(1))).containsEntry("value", 0.0);
                assertThat(query(port, ages.get(4))).as("the 2024 Flux fixture").containsEntry("value", 1.0);
            });
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                    assertThat(query(port, trend.get("Admission violations by rule")))
                            .containsEntry("secrets-from-git", 1.0).containsEntry("tls-for-every-host", 0.0));
        } finally {
            prometheus.destroy();
            prometheus.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** The first query of each panel, by title, as Grafana sends it with this namespace chosen. */
    static Map<String, String> trendQueries(String ns) throws Exception {
        Map<String, String> out = new HashMap<>();
        for (JsonNode panel : JSON.readTree(DashboardQueries.DASHBOARD.toFile()).path("panels")) {
            out.put(panel.path("title").asText(), DashboardQueries.substitute(panel.path("targets").get(0).path("expr").asText()
                    .replace("$namespace", ns)));
        }
        return out;
    }

    /** The age panel's queries, youngest bucket first. */
    static List<String> ageBuckets(String ns) throws Exception {
        for (JsonNode panel : JSON.readTree(DashboardQueries.DASHBOARD.toFile()).path("panels")) {
            if (panel.path("title").asText().equals("SealedSecret document age distribution")) {
                List<String> out = new java.util.ArrayList<>();
                panel.path("targets").forEach(t -> out.add(DashboardQueries.substitute(t.path("expr").asText().replace("$namespace", ns))));
                return out;
            }
        }
        throw new IllegalStateException("no age panel");
    }

    /**
     * One SealedSecret sealed now and the 2024 Flux fixture, both opened by keys the operator holds. Neither is
     * bound to a namespace, so the key Secret names this one: strict scope refuses them otherwise.
     */
    void sealedSecrets(String ns) throws Exception {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("vigil-system").endMetadata().build())
                .createOr(r -> r.update());
        Map<String, String> keys = new HashMap<>();
        for (var e : Map.of("dev.agekey", "/sops/keys/age-dev.txt", "flux.agekey", "/sops/keys/age-flux.txt").entrySet()) {
            try (InputStream in = getClass().getResourceAsStream(e.getValue())) {
                keys.put(e.getKey(), Base64.getEncoder().encodeToString(in.readAllBytes()));
            }
        }
        client.resource(new SecretBuilder().withNewMetadata().withName("e2e-keys").withNamespace("vigil-system")
                .addToLabels(KeySecrets.LABEL, "true").addToAnnotations(KeySecrets.ALLOWED_NAMESPACES, ns).endMetadata()
                .withData(keys).build()).createOr(r -> r.update());
        String fixture;
        try (InputStream in = getClass().getResourceAsStream("/sops/cases/u14-flux-age-k8s-secret/age.yaml")) {
            fixture = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Map<String, Object> fresh = new java.util.LinkedHashMap<>();
        fresh.put("apiVersion", "v1");
        fresh.put("kind", "Secret");
        fresh.put("metadata", Map.of("name", "fresh", "namespace", ns));
        fresh.put("stringData", Map.of("token", "t"));
        String now = SopsEncryptor.encryptYaml(fresh, List.of("age1s8rzd46thnhta5dul2swfkdyggey2xkydqf6v8xuh2q6jp5vng9qu8zgf5"),
                List.of(), "^(data|stringData)$", java.time.Clock.systemUTC());
        for (var e : Map.of("age", fixture, "fresh", now).entrySet()) {
            SealedSecret sealed = new SealedSecret();
            sealed.getMetadata().setName(e.getKey());
            sealed.getMetadata().setNamespace(ns);
            sealed.setSpec(new SealedSecretSpec());
            sealed.getSpec().document = e.getValue();
            client.resource(sealed).create();
        }
    }

    static ProbeTarget target(String host) {
        ProbeTarget t = new ProbeTarget();
        t.url = "https://" + host + ":" + NginxSitesResource.nginx.httpsPort() + "/";
        t.connectAddress = "127.0.0.1";
        return t;
    }

    /** An instant query; each series keyed by its host, grade, control or rule label (or "value"). */
    static Map<String, Double> query(int port, String promql) throws Exception {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        JsonNode result = JSON.readTree(body).path("data").path("result");
        Map<String, Double> out = new HashMap<>();
        for (JsonNode series : result) {
            JsonNode metric = series.path("metric");
            String key = metric.has("host") ? metric.get("host").asText() : metric.has("grade") ? metric.get("grade").asText()
                    : metric.has("control") ? metric.get("control").asText() : metric.has("rule") ? metric.get("rule").asText() : "value";
            out.put(key, series.path("value").get(1).asDouble());
        }
        return out;
    }
}
