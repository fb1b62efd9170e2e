package dev.vigil.baseline;

import static dev.vigil.testsupport.GatewayObjects.fromAll;
import static dev.vigil.testsupport.GatewayObjects.gateway;
import static dev.vigil.testsupport.GatewayObjects.grant;
import static dev.vigil.testsupport.GatewayObjects.http;
import static dev.vigil.testsupport.GatewayObjects.https;
import static dev.vigil.testsupport.GatewayObjects.parent;
import static dev.vigil.testsupport.GatewayObjects.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.kube.Conditions;
import dev.vigil.probe.tls.Fingerprints;
import dev.vigil.testsupport.GatewayApiDiscovery;
import dev.vigil.testsupport.NginxServer;
import dev.vigil.testsupport.NginxSitesResource;
import dev.vigil.testsupport.SilentServer;
import dev.vigil.testsupport.TestPki;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Listener;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Baselines over HTTPRoutes on the mock API server with the Gateway API installed: the Gateways report 127.0.0.1,
 * where a real nginx serves the test sites with its own certificate, and TLS Secrets hold either that certificate
 * or another one.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = GatewayApiDiscovery.class)
@QuarkusTestResource(NginxSitesResource.class)
class GatewayBaselineTest {

    static final Duration WAIT = Duration.ofSeconds(40);
    static final Map<String, String> WEB = Map.of("tier", "web");

    @Inject
    KubernetesClient client;

    @ConfigProperty(name = "quarkus.http.test-port", defaultValue = "8081")
    int httpPort;

    String ns;
    final List<AutoCloseable> cleanups = new ArrayList<>();

    @BeforeEach
    void namespace() {
        ns = namespace("gw", Map.of());
    }

    @AfterEach
    void cleanup() throws Exception {
        for (AutoCloseable c : cleanups) {
            c.close();
        }
        client.resources(SecurityBaseline.class).inNamespace(ns).delete();
    }

    String namespace(String prefix, Map<String, String> labels) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata().build())
                .create();
        return name;
    }

    /** The certificate nginx serves for the good test sites (aplus.test, cookies.test, …) and its key. */
    static NginxServer.Site served() {
        return NginxSitesResource.sites.stream().filter(s -> s.host().equals("aplus.test")).findFirst().orElseThrow();
    }

    void tlsSecret(String namespace, String name, Path certificate, Path key) throws IOException {
        client.resource(new SecretBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .withType("kubernetes.io/tls")
                .withData(Map.of("tls.crt", Base64.getEncoder().encodeToString(Files.readAllBytes(certificate)),
                        "tls.key", Base64.getEncoder().encodeToString(Files.readAllBytes(key))))
                .build()).createOr(r -> r.update());
    }

    /** A Gateway as its controller leaves it: the listeners, and 127.0.0.1 (where nginx listens) as its address. */
    Gateway createGateway(String namespace, String name, Listener... listeners) {
        Gateway wanted = gateway(namespace, name, Map.of(), "127.0.0.1", listeners);
        Gateway created = client.resource(wanted).create();
        created.setStatus(wanted.getStatus());
        return client.resource(created).updateStatus();
    }

    /** A route with its status as the controller wrote it (accepted by the parents in {@code accepted}). */
    HTTPRoute createRoute(String namespace, String name, Map<String, String> labels, List<String> hosts,
            List<ParentReference> parents, List<ParentReference> accepted) {
        HTTPRoute wanted = route(namespace, name, labels, hosts, parents, accepted);
        HTTPRoute created = client.resource(wanted).create();
        created.setStatus(wanted.getStatus());
        return client.resource(created).updateStatus();
    }

    SecurityBaseline baseline(String namespace, String name, java.util.function.Consumer<SecurityBaselineSpec> edit) {
        SecurityBaseline b = new SecurityBaseline();
        b.getMetadata().setName(name);
        b.getMetadata().setNamespace(namespace);
        SecurityBaselineSpec spec = new SecurityBaselineSpec();
        spec.routeSelector = new LabelSelectorBuilder().withMatchLabels(WEB).build();
        spec.connect = new Connect();
        spec.connect.httpsPort = NginxSitesResource.nginx.httpsPort();
        spec.connect.httpPort = NginxSitesResource.nginx.httpPort();
        spec.requirements = new Requirements();
        spec.requirements.minimumGrade = "B";
        spec.schedule = new Schedule();
        spec.schedule.interval = "3s";
        spec.schedule.timeout = "5s";
        edit.accept(spec);
        b.setSpec(spec);
        return client.resource(b).create();
    }

    SecurityBaseline status(String namespace, String name) {
        return client.resources(SecurityBaseline.class).inNamespace(namespace).withName(name).get();
    }

    List<ServiceRow> rows(String namespace, String name) {
        SecurityBaseline b = status(namespace, name);
        return b == null || b.getStatus() == null || b.getStatus().services == null ? List.of() : b.getStatus().services;
    }

    List<ServiceRow> awaitRows(String namespace, String name, int count) {
        return await().atMost(WAIT).until(() -> rows(namespace, name),
                rows -> rows.size() == count && rows.stream().noneMatch(r -> Boolean.TRUE.equals(r.pending())));
    }

    static ServiceRow row(List<ServiceRow> rows, String host) {
        return rows.stream().filter(r -> r.host().equals(host)).findFirst().orElseThrow(() -> new AssertionError("no row for " + host + ": " + rows));
    }

    List<Event> events(String kind, String involved) {
        return client.v1().events().inNamespace(ns).list().getItems().stream()
                .filter(e -> involved.equals(e.getInvolvedObject().getName()) && kind.equals(e.getInvolvedObject().getKind())).toList();
    }

    static List<String> failing(ServiceRow row) {
        return row.failing().stream().map(ControlRow::control).toList();
    }

    @Test
    void routesAreGradedThroughTheirGatewaysListenersAndEventsGoOnTheRoute() throws Exception {
        tlsSecret(ns, "edge-tls", served().certificate(), served().key());
        createGateway(ns, "edge", http("http", 80, null), https("https", 443, null, "edge-tls"));
        ParentReference edge = parent(null, "edge", null, null);
        createRoute(ns, "web", WEB, List.of("aplus.test"), List.of(edge), List.of(edge));
        createRoute(ns, "legacy", WEB, List.of("bare.test"), List.of(edge), List.of(edge));
        createRoute(ns, "refused", WEB, List.of("cookies.test"), List.of(edge), List.of());
        createRoute(ns, "internal", Map.of("tier", "internal"), List.of("hsts-short.test"), List.of(edge), List.of(edge));
        baseline(ns, "web", spec -> { });

        List<ServiceRow> rows = awaitRows(ns, "web", 2);
        ServiceRow web = row(rows, "aplus.test");
        assertThat(web.grade()).isEqualTo("A+");
        assertThat(web.score()).isEqualTo(130);
        assertThat(web.source()).isEqualTo("httproute/web");
        assertThat(web.listener()).isEqualTo("gateway/" + ns + "/edge/https");
        assertThat(failing(web)).isEmpty();
        ServiceRow legacy = row(rows, "bare.test");
        assertThat(legacy.grade()).isEqualTo("F");
        assertThat(legacy.source()).isEqualTo("httproute/legacy");
        assertThat(rows).extracting(ServiceRow::host).doesNotContain("cookies.test", "hsts-short.test");
        await().atMost(WAIT).until(() -> events("HTTPRoute", "legacy").stream()
                .anyMatch(e -> "BelowMinimumGrade".equals(e.getReason()) && "Warning".equals(e.getType())));

        // Nothing of the TLS Secret but a fingerprint is kept: its key appears in no status and no Event.
        String key = Files.readString(served().key()).lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
        assertThat(Serialization.asJson(status(ns, "web"))).doesNotContain(key.substring(0, 40));
        assertThat(Serialization.asJson(client.v1().events().inNamespace(ns).list())).doesNotContain(key.substring(0, 40));

        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + "/q/metrics"))
                .header("Accept", "text/plain").build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).containsPattern("vigil_service_grade\\{baseline=\"web\",host=\"aplus.test\",namespace=\"" + ns
                + "\",source=\"httproute/web\",?\\} 12\\.0");
    }

    @Test
    void aServedCertificateOtherThanTheReferencedOneFailsCertificateConfigured() throws Exception {
        // The Secret holds a valid certificate for the host, but nginx keeps serving its own: a stale deployment.
        Path dir = Files.createTempDirectory("stale");
        TestPki.Issued stale = new TestPki().leaf(List.of("aplus.test"));
        Path staleCert = TestPki.writePem(dir.resolve("stale.crt"), stale.certificate());
        Path staleKey = TestPki.writePem(dir.resolve("stale.key"), stale.key());
        tlsSecret(ns, "edge-tls", staleCert, staleKey);
        createGateway(ns, "edge", http("http", 80, null), https("https", 443, null, "edge-tls"));
        ParentReference edge = parent(null, "edge", null, null);
        createRoute(ns, "web", WEB, List.of("aplus.test"), List.of(edge), List.of(edge));
        baseline(ns, "web", spec -> { });

        ServiceRow row = awaitRows(ns, "web", 1).get(0);
        assertThat(row.grade()).as("A+ headers, capped for serving another certificate").isEqualTo("B");
        assertThat(row.failing()).singleElement().satisfies(c -> {
            assertThat(c.control()).isEqualTo("certificate-configured");
            assertThat(c.detail()).contains(Fingerprints.shortForm(Fingerprints.sha256(stale.certificate()).orElseThrow()))
                    .contains("gateway/" + ns + "/edge/https");
        });

        // The command line judges the same findings the same way, given the same expected certificate.
        var out = new java.io.ByteArrayOutputStream();
        int code = dev.vigil.cli.Cli.run(new String[] {"scan", "https://aplus.test/", "--connect-to",
                "127.0.0.1:" + NginxSitesResource.nginx.httpsPort(), "--http-port", String.valueOf(NginxSitesResource.nginx.httpPort()),
                "--ca", NginxSitesResource.caFile.toString(), "--expect-certificate", staleCert.toString(), "--json"},
                new java.io.PrintStream(out, true), new java.io.PrintStream(new java.io.ByteArrayOutputStream(), true));
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toString());
        assertThat(code).isZero();
        assertThat(json.get("grade").asText()).isEqualTo(row.grade());
        List<String> cliFailing = new ArrayList<>();
        json.get("controls").forEach(c -> {
            if (List.of("fail", "error").contains(c.get("state").asText())) {
                cliFailing.add(c.get("control").asText());
            }
        });
        assertThat(cliFailing).containsExactlyElementsOf(failing(row));

        // The Secret is fixed (its resourceVersion changes): the next probe's grade uses the new fingerprint.
        tlsSecret(ns, "edge-tls", served().certificate(), served().key());
        await().atMost(WAIT).until(() -> rows(ns, "web").stream().anyMatch(r -> "A+".equals(r.grade())));
        assertThat(failing(rows(ns, "web").get(0))).isEmpty();
    }

    @Test
    void aCertificateInAnotherNamespaceIsReadOnlyThroughAReferenceGrant() throws Exception {
        String certs = namespace("certs", Map.of());
        tlsSecret(certs, "shop-tls", served().certificate(), served().key());
        createGateway(ns, "edge", https("https", 443, null, certs + "/shop-tls"));
        ParentReference edge = parent(null, "edge", null, null);
        createRoute(ns, "web", WEB, List.of("aplus.test"), List.of(edge), List.of(edge));
        baseline(ns, "web", spec -> { });

        ServiceRow refused = awaitRows(ns, "web", 1).get(0);
        assertThat(refused.failing()).singleElement().satisfies(c -> {
            assertThat(c.control()).isEqualTo("certificate-configured");
            assertThat(c.detail()).contains("not permitted").contains(certs + "/shop-tls");
        });

        client.resource(grant(certs, "gateways-of-shop", ns, "shop-tls")).create();
        await().atMost(WAIT).until(() -> rows(ns, "web").stream().anyMatch(r -> r.failing().isEmpty() && "A+".equals(r.grade())));
    }

    @Test
    void aRouteOnTwoGatewaysIsOneRowPerGateway() throws Exception {
        tlsSecret(ns, "edge-tls", served().certificate(), served().key());
        createGateway(ns, "edge", https("https", 443, null, "edge-tls"));
        createGateway(ns, "edge-eu", https("https", 443, null, "edge-tls"));
        ParentReference edge = parent(null, "edge", null, null);
        ParentReference eu = parent(null, "edge-eu", null, null);
        createRoute(ns, "web", WEB, List.of("aplus.test"), List.of(edge, eu), List.of(edge, eu));
        baseline(ns, "web", spec -> { });

        List<ServiceRow> rows = awaitRows(ns, "web", 2);
        assertThat(rows).extracting(ServiceRow::listener)
                .containsExactlyInAnyOrder("gateway/" + ns + "/edge/https", "gateway/" + ns + "/edge-eu/https");
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.host()).isEqualTo("aplus.test");
            assertThat(r.source()).isEqualTo("httproute/web");
            assertThat(r.grade()).isEqualTo("A+");
        });
    }

    @Test
    void routesInOtherNamespacesOnlyForATrustedBaseline() throws Exception {
        String team = namespace("team", Map.of("team", "payments"));
        String infra = namespace("infra", Map.of());
        tlsSecret(infra, "shared-tls", served().certificate(), served().key());
        createGateway(infra, "shared", fromAll(https("https", 443, null, "shared-tls")));
        ParentReference shared = parent(infra, "shared", null, null);
        createRoute(team, "checkout", WEB, List.of("aplus.test"), List.of(shared), List.of(shared));
        var payments = new LabelSelectorBuilder().addToMatchLabels("team", "payments").build();

        baseline(ns, "tenant", spec -> spec.namespaceSelector = payments);
        await().atMost(WAIT).until(() -> status(ns, "tenant").getStatus() != null
                && "NoServices".equals(Conditions.reason(status(ns, "tenant").getStatus().conditions, "Ready").orElse(null)));

        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("vigil-system").endMetadata().build())
                .createOr(r -> r.update());
        String platform = "platform-" + UUID.randomUUID().toString().substring(0, 8);
        baseline("vigil-system", platform, spec -> spec.namespaceSelector = payments);
        cleanups.add(() -> client.resources(SecurityBaseline.class).inNamespace("vigil-system").withName(platform).delete());
        ServiceRow row = awaitRows("vigil-system", platform, 1).get(0);
        assertThat(row.namespace()).isEqualTo(team);
        assertThat(row.source()).isEqualTo("httproute/checkout");
        assertThat(row.listener()).isEqualTo("gateway/" + infra + "/shared/https");
        assertThat(row.grade()).isEqualTo("A+");
        assertThat(rows(ns, "tenant")).isEmpty();
    }

    @Test
    void aGatewayRemovedWhileItsProbeRunsLeavesNoRowBehind() throws Exception {
        SilentServer silent = new SilentServer();
        cleanups.add(silent);
        tlsSecret(ns, "edge-tls", served().certificate(), served().key());
        createGateway(ns, "tarpit", https("https", 443, null, "edge-tls"));
        ParentReference tarpit = parent(null, "tarpit", null, null);
        createRoute(ns, "web", WEB, List.of("aplus.test"), List.of(tarpit), List.of(tarpit));
        baseline(ns, "web", spec -> {
            spec.connect.httpsPort = silent.port();
            spec.connect.httpPort = silent.port();
        });

        // The probe hangs on the silent port: the row waits for it.
        await().atMost(WAIT).until(() -> rows(ns, "web").stream().anyMatch(r -> Boolean.TRUE.equals(r.pending())));
        await().atMost(WAIT).until(() -> !silent.accepted().isEmpty());
        client.resources(Gateway.class).inNamespace(ns).withName("tarpit").delete();

        await().atMost(WAIT).until(() -> rows(ns, "web").isEmpty());
        // The hanging probe ends (5 s budget) after its service is gone: it brings no row back.
        SecurityBaselineReconcilerTest.sleep(Duration.ofSeconds(7));
        SecurityBaseline b = status(ns, "web");
        assertThat(b.getStatus().services).isEmpty();
        assertThat(Conditions.reason(b.getStatus().conditions, "Ready")).contains("NoServices");
    }

    @Test
    void theHttpHalfIsCheckedOnTheHttpListenersPort() throws Exception {
        // The HTTP listener is on nginx's http port; the baseline gives no http port of its own.
        tlsSecret(ns, "edge-tls", served().certificate(), served().key());
        createGateway(ns, "edge", http("http", NginxSitesResource.nginx.httpPort(), null), https("https", 443, null, "edge-tls"));
        ParentReference edge = parent(null, "edge", null, null);
        createRoute(ns, "web", WEB, List.of("aplus.test", "noredirect.test"), List.of(edge), List.of(edge));
        baseline(ns, "web", spec -> spec.connect.httpPort = 80);

        List<ServiceRow> rows = awaitRows(ns, "web", 2);
        assertThat(row(rows, "aplus.test").grade()).isEqualTo("A+");
        // Port 80 answers nothing here, which the Observatory would not count against the site: only the listener's
        // port shows that http:// serves the page without redirecting.
        assertThat(row(rows, "noredirect.test").failing()).anySatisfy(c -> {
            assertThat(c.control()).isEqualTo("redirection");
            assertThat(c.detail()).contains("redirection-missing");
        });
        assertThat(row(rows, "noredirect.test").grade()).isEqualTo("B+");
    }

    /** Issue 16: tls-for-every-host covers Gateways — a route host only an HTTP listener serves is reported. */
    @Test
    void aRouteHostServedOnlyOverHttpIsAnAdmissionViolation() throws Exception {
        createGateway(ns, "plain", http("http", NginxSitesResource.nginx.httpPort(), null));
        ParentReference plain = parent(null, "plain", null, null);
        createRoute(ns, "web", WEB, List.of("bare.test"), List.of(plain), List.of(plain));
        baseline(ns, "web", spec -> spec.enforcement = new Enforcement());

        SecurityBaseline audited = await().atMost(WAIT).until(() -> status(ns, "web"), b -> b != null && b.getStatus() != null
                && b.getStatus().enforcement != null && b.getStatus().enforcement.byRule != null
                && Integer.valueOf(1).equals(b.getStatus().enforcement.byRule.get("tls-for-every-host")));
        assertThat(audited.getStatus().enforcement.objects).singleElement().satisfies(v -> {
            assertThat(v.kind()).isEqualTo("HTTPRoute");
            assertThat(v.name()).isEqualTo("web");
            assertThat(v.message()).contains("bare.test").contains(ns + "/plain/http");
        });
    }

    @Test
    void aTenantsGatewayCannotPointProbesAtTheMetadataService() throws Exception {
        // A tenant owns a Gateway and writes its status: the address is checked like any other.
        Gateway wanted = gateway(ns, "evil", Map.of(), "169.254.169.254", https("https", 443, null, "edge-tls"));
        Gateway created = client.resource(wanted).create();
        created.setStatus(wanted.getStatus());
        client.resource(created).updateStatus();
        ParentReference evil = parent(null, "evil", null, null);
        createRoute(ns, "web", WEB, List.of("metadata.test"), List.of(evil), List.of(evil));
        baseline(ns, "web", spec -> { });

        ServiceRow row = awaitRows(ns, "web", 1).get(0);
        assertThat(row.grade()).isNull();
        assertThat(row.error()).startsWith("refused to probe 169.254.169.254: CloudMetadata (");
        assertThat(row.errorReason()).isEqualTo("AddressDenied");
    }
}
