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
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
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
        } finally {
            prometheus.destroy();
            prometheus.waitFor(10, TimeUnit.SECONDS);
        }
    }

    static ProbeTarget target(String host) {
        ProbeTarget t = new ProbeTarget();
        t.url = "https://" + host + ":" + NginxSitesResource.nginx.httpsPort() + "/";
        t.connectAddress = "127.0.0.1";
        return t;
    }

    /** An instant query; each series keyed by its host, grade or control label (or "value"). */
    static Map<String, Double> query(int port, String promql) throws Exception {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        JsonNode result = JSON.readTree(body).path("data").path("result");
        Map<String, Double> out = new HashMap<>();
        for (JsonNode series : result) {
            JsonNode metric = series.path("metric");
            String key = metric.has("host") ? metric.get("host").asText() : metric.has("grade") ? metric.get("grade").asText()
                    : metric.has("control") ? metric.get("control").asText() : "value";
            out.put(key, series.path("value").get(1).asDouble());
        }
        return out;
    }
}
