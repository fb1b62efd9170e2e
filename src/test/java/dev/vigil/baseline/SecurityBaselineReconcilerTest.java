package dev.vigil.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.kube.Conditions;
import dev.vigil.testsupport.NginxSitesResource;
import dev.vigil.testsupport.SilentServer;
import dev.vigil.testsupport.TestSites;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A baseline over Ingresses whose load-balancer address points at a real nginx serving sites of
 * known grades, on the Fabric8 mock API server.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(NginxSitesResource.class)
class SecurityBaselineReconcilerTest {

    static final Duration WAIT = Duration.ofSeconds(40);

    @Inject
    KubernetesClient client;

    @Inject
    io.micrometer.core.instrument.MeterRegistry registry;

    @ConfigProperty(name = "quarkus.http.test-port", defaultValue = "8081")
    int httpPort;

    String ns;
    final List<AutoCloseable> cleanups = new ArrayList<>();

    @BeforeEach
    void namespace() {
        ns = "shop-" + UUID.randomUUID().toString().substring(0, 8);
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
    }

    @AfterEach
    void cleanup() throws Exception {
        for (AutoCloseable c : cleanups) {
            c.close();
        }
        client.resources(SecurityBaseline.class).inNamespace(ns).delete();
    }

    Ingress ingress(String name, String host, String tier) {
        Ingress ingress = new IngressBuilder()
                .withNewMetadata().withName(name).withNamespace(ns).addToLabels("tier", tier).endMetadata()
                .withNewSpec().addNewRule().withHost(host).endRule().addNewTl().addToHosts(host).endTl().endSpec()
                .build();
        Ingress created = client.resource(ingress).create();
        created.setStatus(new io.fabric8.kubernetes.api.model.networking.v1.IngressStatusBuilder()
                .withNewLoadBalancer().addNewIngress().withIp("127.0.0.1").endIngress().endLoadBalancer().build());
        return client.resource(created).updateStatus();
    }

    SecurityBaseline baseline(String name, List<ProbeTarget> targets, List<AcceptedRiskSpec> exceptions) {
        return baseline(name, targets, exceptions, spec -> { });
    }

    /** Created with the changes already made: an update after the create races the operator's status writes. */
    SecurityBaseline baseline(String name, List<ProbeTarget> targets, List<AcceptedRiskSpec> exceptions,
            java.util.function.Consumer<SecurityBaselineSpec> changes) {
        return client.resource(NginxBaselines.of(ns, name, spec -> {
            spec.requirements.minimumGrade = "B";
            spec.targets = targets;
            spec.exceptions = exceptions;
            changes.accept(spec);
        })).create();
    }

    static AcceptedRiskSpec exception(String host, String control, String expires) {
        AcceptedRiskSpec e = new AcceptedRiskSpec();
        e.hosts = List.of(host);
        e.control = control;
        e.reason = "legacy checkout flow, replacement planned";
        e.owner = "team-shop";
        e.expires = expires;
        return e;
    }

    Map<String, ServiceRow> awaitRows(String baseline, int count) {
        return await().atMost(WAIT).until(() -> rows(baseline),
                rows -> rows.size() == count && rows.values().stream().noneMatch(r -> Boolean.TRUE.equals(r.pending())));
    }

    Map<String, ServiceRow> rows(String baseline) {
        SecurityBaseline b = client.resources(SecurityBaseline.class).inNamespace(ns).withName(baseline).get();
        Map<String, ServiceRow> rows = new java.util.TreeMap<>();
        if (b != null && b.getStatus() != null && b.getStatus().services != null) {
            b.getStatus().services.forEach(r -> rows.put(r.host(), r));
        }
        return rows;
    }

    List<Event> events(String involved) {
        return client.v1().events().inNamespace(ns).list().getItems().stream()
                .filter(e -> involved.equals(e.getInvolvedObject().getName())).toList();
    }

    @Test
    void gradesEveryCoveredIngressAndReportsFixes() throws Exception {
        ingress("shop", "aplus.test", "web");
        ingress("blog", "cookies.test", "web");
        ingress("legacy", "bare.test", "web");
        ingress("internal", "hsts-short.test", "internal");
        baseline("web", List.of(), List.of());

        Map<String, ServiceRow> rows = awaitRows("web", 3);
        assertThat(rows.get("aplus.test").grade()).isEqualTo("A+");
        assertThat(rows.get("aplus.test").score()).isEqualTo(130);
        assertThat(rows.get("aplus.test").tlsLevel()).isEqualTo("intermediate");
        assertThat(rows.get("aplus.test").certificateExpires()).isNotNull();
        assertThat(rows.get("cookies.test").grade()).isEqualTo("B");
        assertThat(rows.get("cookies.test").failing()).extracting(ControlRow::control).contains("cookies");
        assertThat(rows.get("bare.test").grade()).isEqualTo("F");
        assertThat(rows.get("bare.test").failing()).anySatisfy(c -> {
            assertThat(c.control()).isEqualTo("content-security-policy");
            assertThat(c.remediation()).contains("Content-Security-Policy");
        });
        assertThat(rows).doesNotContainKey("hsts-short.test");

        SecurityBaseline b = client.resources(SecurityBaseline.class).inNamespace(ns).withName("web").get();
        assertThat(b.getStatus().summary.belowMinimum()).isEqualTo(1);
        assertThat(b.getStatus().summary.worstGrade()).isEqualTo("F");
        assertThat(b.getStatus().services.get(0).host()).isEqualTo("bare.test");
        assertThat(Conditions.reason(b.getStatus().conditions, "Compliant")).contains("BelowMinimum");
        assertThat(Conditions.isTrue(b.getStatus().conditions, "Ready")).isTrue();
        assertThat(b.getStatus().observedGeneration).isEqualTo(b.getMetadata().getGeneration());
        await().atMost(WAIT).until(() -> events("legacy").stream().anyMatch(e -> "BelowMinimumGrade".equals(e.getReason())
                && "Warning".equals(e.getType())));

        // A new Ingress is picked up and probed.
        ingress("news", "unsafe-inline.test", "web");
        assertThat(awaitRows("web", 4).get("unsafe-inline.test").grade()).isEqualTo("B+");

        // The metrics show the grades as numbers.
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + "/q/metrics"))
                .header("Accept", "text/plain").build(), HttpResponse.BodyHandlers.ofString()).body();
        // Each service series names the object it comes from as one kind/name label.
        assertThat(metrics).containsPattern("vigil_service_grade\\{baseline=\"web\",host=\"aplus.test\",namespace=\"" + ns
                        + "\",source=\"ingress/shop\",?\\} 12\\.0")
                .containsPattern("vigil_service_grade\\{baseline=\"web\",host=\"bare.test\",namespace=\"" + ns
                        + "\",source=\"ingress/legacy\",?\\} 0\\.0")
                .containsPattern("vigil_service_below_minimum\\{baseline=\"web\",host=\"bare.test\",namespace=\"" + ns
                        + "\",source=\"ingress/legacy\",?\\} 1\\.0")
                .contains("vigil_certificate_expiry_timestamp_seconds{")
                .contains("vigil_probe_duration_seconds_bucket{")
                .containsPattern("vigil_control_failures\\{control=\"cookies\",namespace=\"" + ns + "\",?\\} 1\\.0");
    }

    /**
     * Nothing reconciles a deleted baseline (no finalizer, and the Quarkus extension drops triggerReconcilerOnAllEvents):
     * the deletion sweep drops its series, which would otherwise be exported for ever.
     */
    @Test
    void aDeletedBaselineLeavesNoSeriesBehind() {
        ingress("shop", "aplus.test", "web");
        baseline("gone", List.of(), List.of());
        awaitRows("gone", 1);
        await().atMost(WAIT).until(() -> gradeSeries("gone") == 1);
        client.resources(SecurityBaseline.class).inNamespace(ns).withName("gone").delete();
        await().atMost(WAIT).until(() -> gradeSeries("gone") == 0);
    }

    long gradeSeries(String baseline) {
        return registry.find("vigil.service.grade").tags("namespace", ns, "baseline", baseline).gauges().size();
    }

    @Test
    void exceptionsAcceptControlsUntilTheyExpire() {
        ingress("blog", "cookies.test", "web");
        ingress("legacy", "bare.test", "web");
        baseline("web", List.of(), List.of(
                exception("cookies.test", "cookies", "2099-12-31"),
                exception("bare.test", "x-frame-options", "2020-01-01")));

        Map<String, ServiceRow> rows = awaitRows("web", 2);
        ServiceRow blog = rows.get("cookies.test");
        assertThat(blog.grade()).isEqualTo("A+");
        assertThat(blog.accepted()).singleElement().asString().contains("cookies").contains("team-shop");
        assertThat(blog.failing()).extracting(ControlRow::control).doesNotContain("cookies");
        assertThat(rows.get("bare.test").grade()).isEqualTo("F");
        assertThat(rows.get("bare.test").failing()).extracting(ControlRow::control).contains("x-frame-options");

        SecurityBaseline b = client.resources(SecurityBaseline.class).inNamespace(ns).withName("web").get();
        assertThat(b.getStatus().summary.exceptionsActive()).isEqualTo(1);
        assertThat(b.getStatus().summary.exceptionsExpired()).isEqualTo(1);
        await().atMost(WAIT).until(() -> events("web").stream().anyMatch(e -> "ExceptionExpired".equals(e.getReason())));
    }

    @Test
    void aWorsenedSiteRaisesAnEventAndAHangingTargetCostsOnlyItsBudget() throws Exception {
        SilentServer silent = new SilentServer();
        cleanups.add(silent);

        ingress("shop", "meta-csp.test", "web");
        ProbeTarget hanging = new ProbeTarget();
        hanging.url = "https://hang.test:" + silent.port() + "/";
        hanging.connectAddress = "127.0.0.1";
        ProbeTarget metadata = new ProbeTarget();
        metadata.url = "https://metadata.test/";
        metadata.connectAddress = "169.254.169.254";
        baseline("web", List.of(hanging, metadata), List.of());

        Map<String, ServiceRow> rows = awaitRows("web", 3);
        assertThat(rows.get("meta-csp.test").grade()).isEqualTo("A+");
        assertThat(rows.get("hang.test").grade()).isNull();
        assertThat(rows.get("hang.test").error()).isNotBlank();
        assertThat(rows.get("metadata.test").grade()).isNull();
        assertThat(rows.get("metadata.test").error()).startsWith("refused to probe 169.254.169.254: CloudMetadata (");

        // The site gets worse: the next probe sees it and the Ingress gets a Warning.
        NginxSitesResource.nginx.reload(TestSites.replacing(NginxSitesResource.sites, "meta-csp.test", "bare.test"));
        cleanups.add(() -> NginxSitesResource.nginx.reload(NginxSitesResource.sites));
        await().atMost(WAIT).until(() -> "F".equals(Optional.ofNullable(rows("web").get("meta-csp.test")).map(ServiceRow::grade).orElse(null)));
        await().atMost(WAIT).until(() -> events("shop").stream().anyMatch(e -> "Warning".equals(e.getType())
                && ("GradeDropped".equals(e.getReason()) || "BelowMinimumGrade".equals(e.getReason()))));
    }

    @Test
    void theCliAndTheOperatorGiveTheSameGrade() throws Exception {
        ingress("shop", TestSites.EXPIRED, "web");
        ingress("blog", "cookies.test", "web");
        baseline("web", List.of(), List.of());
        Map<String, ServiceRow> rows = awaitRows("web", 2);

        for (String host : List.of(TestSites.EXPIRED, "cookies.test")) {
            var out = new java.io.ByteArrayOutputStream();
            int code = dev.vigil.cli.Cli.run(new String[] {"scan", "https://" + host + "/", "--connect-to",
                    "127.0.0.1:" + NginxSitesResource.nginx.httpsPort(), "--http-port", String.valueOf(NginxSitesResource.nginx.httpPort()),
                    "--ca", NginxSitesResource.caFile.toString(), "--min-grade", "B", "--json"},
                    new java.io.PrintStream(out, true), new java.io.PrintStream(new java.io.ByteArrayOutputStream(), true));
            var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toString());
            ServiceRow row = rows.get(host);
            assertThat(json.get("grade").asText()).as(host).isEqualTo(row.grade());
            assertThat(json.get("score").asInt()).as(host).isEqualTo(row.score());
            assertThat(json.get("compliant").asBoolean()).as(host).isEqualTo(row.compliant());
            List<String> failing = new ArrayList<>();
            json.get("controls").forEach(c -> {
                if (List.of("fail", "error").contains(c.get("state").asText())) {
                    failing.add(c.get("control").asText());
                }
            });
            assertThat(failing).as(host).containsExactlyInAnyOrderElementsOf(row.failing().stream().map(ControlRow::control).toList());
            assertThat(code).as(host).isEqualTo(row.compliant() ? 0 : 1);
        }
        // Perfect headers do not save an expired certificate: F, in the status and on the command line.
        assertThat(rows.get(TestSites.EXPIRED).grade()).isEqualTo("F");
        assertThat(rows.get(TestSites.EXPIRED).failing()).extracting(ControlRow::control).contains("certificate-expiry");
    }

    @Test
    void aTenantsOneMillisecondBudgetTimesOutOnlyItsOwnProbes() {
        // The same host, reached the same way, covered from two namespaces: the hostile tenant asks for 1 ms.
        String hostile = "tenant-" + UUID.randomUUID().toString().substring(0, 8);
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(hostile).endMetadata().build()).create();
        String victim = ns;
        ingress("shop", "aplus.test", "web");
        ns = hostile;
        ingress("copy", "aplus.test", "web");
        baseline("greedy", List.of(), List.of(), spec -> {
            spec.schedule.timeout = "1ms";
            spec.schedule.interval = "1s";
        });
        ns = victim;
        baseline("web", List.of(), List.of());

        ServiceRow own = awaitRows("web", 1).get("aplus.test");
        assertThat(own.grade()).isEqualTo("A+");
        ns = hostile;
        await().atMost(WAIT).until(() -> Optional.ofNullable(rows("greedy").get("aplus.test"))
                .map(r -> "Timeout".equals(r.errorReason())).orElse(false));
        ns = victim;
        // Probed again and again by the other tenant, this namespace's result never turns into a timeout.
        for (int i = 0; i < 5; i++) {
            assertThat(rows("web").get("aplus.test").grade()).isEqualTo("A+");
            sleep(Duration.ofSeconds(1));
        }
        client.resources(SecurityBaseline.class).inNamespace(hostile).delete();
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
