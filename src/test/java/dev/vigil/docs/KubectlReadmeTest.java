package dev.vigil.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.baseline.AcceptedRiskSpec;
import dev.vigil.baseline.Connect;
import dev.vigil.baseline.SecurityBaseline;
import dev.vigil.baseline.SecurityBaselineSpec;
import dev.vigil.kube.Conditions;
import dev.vigil.secrets.KeySecrets;
import dev.vigil.secrets.SealedSecret;
import dev.vigil.secrets.SealedSecretSpec;
import dev.vigil.testsupport.Fixtures;
import dev.vigil.testsupport.GatewayObjects;
import dev.vigil.testsupport.NginxSitesResource;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The README's kubectl output is produced here by the real kubectl against the mock API server
 * after the operator reconciled real objects; the test fails when the README's copy differs.
 * Regenerate with {@code ./mvnw test -Dtest=KubectlReadmeTest -Dvigil.readme.update=true}.
 * Skipped where kubectl is not installed.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = Discovery.class)
@QuarkusTestResource(NginxSitesResource.class)
class KubectlReadmeTest {

    static final String NS = "shop";
    static final Path README = Path.of("README.md");

    @Inject
    KubernetesClient client;

    @io.quarkus.test.kubernetes.client.KubernetesTestServer
    io.quarkus.test.kubernetes.client.KubernetesServer server;

    @Test
    void readmeShowsRealKubectlOutput() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/kubectl")) || onPath("kubectl"),
                "kubectl is not installed here; the README's copy cannot be checked");
        populate();
        Path kubeconfig = Files.writeString(Files.createTempFile("kubeconfig", ".yaml"), """
                apiVersion: v1
                kind: Config
                clusters: [{name: mock, cluster: {server: "%s", insecure-skip-tls-verify: true}}]
                users: [{name: mock, user: {token: mock}}]
                contexts: [{name: mock, context: {cluster: mock, user: mock, namespace: %s}}]
                current-context: mock
                """.formatted(client.getMasterUrl().toString().replaceAll("/$", ""), NS));
        ServerSideTables.serve(server, client, NS);
        String get = kubectl(kubeconfig, "get", "securitybaselines,sealedsecrets");
        String describe = kubectl(kubeconfig, "describe", "securitybaseline", "web");
        assertThat(get).contains("web").contains("db-credentials");
        assertThat(describe).contains("bare.test").contains("Remediation");

        String block = "<!-- kubectl-output:begin -->\n```console\n$ kubectl get securitybaselines,sealedsecrets -n shop\n"
                + normalize(get) + "\n$ kubectl describe securitybaseline web -n shop\n" + normalize(describe) + "\n```\n<!-- kubectl-output:end -->";
        checkOrUpdate("kubectl-output", block);
    }

    /**
     * The Gateway API section's excerpt: a baseline over HTTPRoutes of a shared Gateway in another namespace, one
     * listener serving its referenced certificate and one serving another (certificate-configured fails).
     */
    @Test
    void readmeShowsARoutesRow() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/kubectl")) || onPath("kubectl"),
                "kubectl is not installed here; the README's copy cannot be checked");
        populateGateway();
        Path kubeconfig = Files.writeString(Files.createTempFile("kubeconfig", ".yaml"), """
                apiVersion: v1
                kind: Config
                clusters: [{name: mock, cluster: {server: "%s", insecure-skip-tls-verify: true}}]
                users: [{name: mock, user: {token: mock}}]
                contexts: [{name: mock, context: {cluster: mock, user: mock, namespace: %s}}]
                current-context: mock
                """.formatted(client.getMasterUrl().toString().replaceAll("/$", ""), ROUTES_NS));
        String describe = kubectl(kubeconfig, "describe", "securitybaseline", "edge", "-n", ROUTES_NS);
        assertThat(describe).contains("httproute/storefront").contains("gateway/infra/edge/blog").contains("certificate-configured");
        List<String> lines = describe.lines().toList();
        int from = lines.indexOf(lines.stream().filter(l -> l.startsWith("  Services:")).findFirst().orElseThrow());
        int to = lines.indexOf(lines.stream().filter(l -> l.startsWith("  Summary:")).findFirst().orElseThrow());
        String excerpt = String.join("\n", lines.subList(from, to + 1));
        String block = "<!-- kubectl-gateway:begin -->\n```console\n$ kubectl describe securitybaseline edge -n " + ROUTES_NS
                + " | sed -n '/^  Services:/,/^  Summary:/p'\n" + excerpt + "\n```\n<!-- kubectl-gateway:end -->";
        checkOrUpdate("kubectl-gateway", block);
    }

    /** Compares the README's block between the markers with the one produced now, or writes it with -Dvigil.readme.update. */
    private static void checkOrUpdate(String marker, String block) throws Exception {
        String begin = "<!-- " + marker + ":begin -->";
        String end = "<!-- " + marker + ":end -->";
        String readme = Files.readString(README);
        String current = !readme.contains(begin) || !readme.contains(end) ? ""
                : readme.substring(readme.indexOf(begin), readme.indexOf(end) + end.length());
        if (Boolean.getBoolean("vigil.readme.update")) {
            Files.writeString(README, current.isEmpty() ? readme + "\n" + block + "\n" : readme.replace(current, block));
            return;
        }
        assertThat(normalizeVolatile(current)).as("README's " + marker + " block is stale; regenerate with -Dvigil.readme.update=true")
                .isEqualTo(normalizeVolatile(block));
    }

    static final String ROUTES_NS = "storefront";

    private void populateGateway() throws Exception {
        for (String namespace : List.of(ROUTES_NS, "infra")) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
                    .createOr(r -> r.update());
        }
        // The shop listener references the certificate nginx serves; the blog listener's Secret holds a newer one
        // that the Gateway never loaded.
        var served = NginxSitesResource.sites.stream().filter(site -> site.host().equals("aplus.test")).findFirst().orElseThrow();
        var renewed = new dev.vigil.testsupport.TestPki().leaf(List.of("cookies.test"));
        for (var secret : Map.of("shop-tls", Files.readAllBytes(served.certificate()),
                "blog-tls", dev.vigil.testsupport.TestPki.pem(renewed.certificate())).entrySet()) {
            client.resource(new SecretBuilder().withNewMetadata().withName(secret.getKey()).withNamespace("infra").endMetadata()
                    .withType("kubernetes.io/tls")
                    .withData(Map.of("tls.crt", Base64.getEncoder().encodeToString(secret.getValue()))).build())
                    .createOr(r -> r.update());
        }
        Gateway wanted = GatewayObjects.gateway("infra", "edge", Map.of(), "127.0.0.1",
                GatewayObjects.fromAll(GatewayObjects.http("http", 80, null)),
                GatewayObjects.fromAll(GatewayObjects.https("shop", 443, "aplus.test", "shop-tls")),
                GatewayObjects.fromAll(GatewayObjects.https("blog", 443, "cookies.test", "blog-tls")));
        Gateway gateway = client.resource(wanted).createOr(r -> r.update());
        gateway.setStatus(wanted.getStatus());
        client.resource(gateway).updateStatus();
        var edge = GatewayObjects.parent("infra", "edge", null, null);
        for (String[] r : List.of(new String[] {"storefront", "aplus.test"}, new String[] {"blog", "cookies.test"})) {
            HTTPRoute route = GatewayObjects.route(ROUTES_NS, r[0], Map.of("tier", "web"), List.of(r[1]), List.of(edge), List.of(edge));
            HTTPRoute created = client.resource(route).createOr(x -> x.update());
            created.setStatus(route.getStatus());
            client.resource(created).updateStatus();
        }
        SecurityBaseline baseline = new SecurityBaseline();
        baseline.getMetadata().setName("edge");
        baseline.getMetadata().setNamespace(ROUTES_NS);
        baseline.setSpec(new SecurityBaselineSpec());
        baseline.getSpec().routeSelector = new LabelSelectorBuilder().addToMatchLabels("tier", "web").build();
        baseline.getSpec().connect = new Connect();
        baseline.getSpec().connect.httpsPort = NginxSitesResource.nginx.httpsPort();
        baseline.getSpec().connect.httpPort = NginxSitesResource.nginx.httpPort();
        client.resource(baseline).createOr(r -> r.update());
        await().atMost(Duration.ofSeconds(40)).until(() -> {
            SecurityBaseline b = client.resources(SecurityBaseline.class).inNamespace(ROUTES_NS).withName("edge").get();
            return b.getStatus() != null && Conditions.isTrue(b.getStatus().conditions, "Ready") && b.getStatus().services.size() == 2;
        });
    }

    /** Times, ages, UIDs and versions change every run; the README keeps them, the comparison masks them. */
    static String normalizeVolatile(String text) {
        return text.replaceAll("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z", "<time>")
                .replaceAll("(?m)(\\s)(\\d+(s|m|h|d))(\\s|$)", "$1<age>$4")
                .replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<uid>")
                .replaceAll("[0-9a-f]{16}…", "<sha256>") // test certificates are made afresh every run
                .replaceAll("(Resource Version|Generation|Observed Generation|Last Cycle Duration|Https Port|Http Port|Count):\\s+\\S+", "$1: <n>")
                .replaceAll("(?m)^(\\s*\\S+\\s+\\S+\\s+)(\\d+s|\\d+m\\d*s?|<age>)(\\s+)", "$1<age>$3")
                .replaceAll("[ \\t]+", " ")
                .lines().sorted().collect(java.util.stream.Collectors.joining("\n")); // list order is the server's
    }

    static String normalize(String output) {
        return output.strip();
    }

    private void populate() throws Exception {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).createOr(r -> r.update());
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("vigil-system").endMetadata().build()).createOr(r -> r.update());
        String key = resource("/sops/keys/age-flux.txt");
        // The team's key, restricted to its namespace: it opens the genuine Flux document, which is unbound.
        client.resource(new SecretBuilder().withNewMetadata().withName("sops-age").withNamespace("vigil-system")
                .addToLabels(KeySecrets.LABEL, "true").addToAnnotations(KeySecrets.ALLOWED_NAMESPACES, NS).endMetadata()
                .withData(Map.of("flux.agekey", Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8)))).build())
                .createOr(r -> r.update());
        // db-credentials holds a document sealed for another namespace: refused.
        Map<String, String> documents = Map.of("age", resource("/sops/cases/u14-flux-age-k8s-secret/age.yaml"),
                "db-credentials", Fixtures.sealedManifestFor(Fixtures.AGE_FLUX_RECIPIENT, "shop-staging", "db-credentials",
                        Map.of("password", "not-for-shop")));
        for (var document : documents.entrySet()) {
            SealedSecret sealed = new SealedSecret();
            sealed.getMetadata().setName(document.getKey());
            sealed.getMetadata().setNamespace(NS);
            sealed.setSpec(new SealedSecretSpec());
            sealed.getSpec().document = document.getValue();
            client.resource(sealed).createOr(r -> r.update());
        }
        for (String[] ingress : List.of(new String[] {"storefront", "aplus.test"}, new String[] {"blog", "cookies.test"},
                new String[] {"legacy-admin", "bare.test"})) {
            var created = client.resource(new IngressBuilder().withNewMetadata().withName(ingress[0]).withNamespace(NS)
                    .addToLabels("tier", "web").endMetadata().withNewSpec().addNewRule().withHost(ingress[1]).endRule().endSpec()
                    .build()).createOr(r -> r.update());
            created.setStatus(new IngressStatusBuilder().withNewLoadBalancer().addNewIngress().withIp("127.0.0.1").endIngress()
                    .endLoadBalancer().build());
            client.resource(created).updateStatus();
        }
        SecurityBaseline baseline = new SecurityBaseline();
        baseline.getMetadata().setName("web");
        baseline.getMetadata().setNamespace(NS);
        baseline.setSpec(new SecurityBaselineSpec());
        baseline.getSpec().selector = new LabelSelectorBuilder().addToMatchLabels("tier", "web").build();
        baseline.getSpec().connect = new Connect();
        baseline.getSpec().connect.httpsPort = NginxSitesResource.nginx.httpsPort();
        baseline.getSpec().connect.httpPort = NginxSitesResource.nginx.httpPort();
        AcceptedRiskSpec accepted = new AcceptedRiskSpec();
        accepted.hosts = List.of("cookies.test");
        accepted.control = "cookies";
        accepted.reason = "session cookie set by the legacy CMS; fixed in the Q3 rewrite";
        accepted.owner = "team-blog";
        accepted.expires = "2099-09-30";
        baseline.getSpec().exceptions = List.of(accepted);
        client.resource(baseline).createOr(r -> r.update());
        await().atMost(Duration.ofSeconds(40)).until(() -> {
            SecurityBaseline b = client.resources(SecurityBaseline.class).inNamespace(NS).withName("web").get();
            SealedSecret s = client.resources(SealedSecret.class).inNamespace(NS).withName("db-credentials").get();
            return b.getStatus() != null && Conditions.isTrue(b.getStatus().conditions, "Ready")
                    && s.getStatus() != null && !s.getStatus().conditions.isEmpty();
        });
    }

    private static String kubectl(Path kubeconfig, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    private static String resource(String path) throws Exception {
        try (InputStream in = KubectlReadmeTest.class.getResourceAsStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
