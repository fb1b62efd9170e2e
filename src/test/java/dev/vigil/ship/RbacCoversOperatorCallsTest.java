package dev.vigil.ship;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.baseline.ProbeTarget;
import dev.vigil.baseline.SecurityBaseline;
import dev.vigil.baseline.SecurityBaselineSpec;
import dev.vigil.kube.Conditions;
import dev.vigil.secrets.KeySecrets;
import dev.vigil.secrets.ScopeRules;
import dev.vigil.secrets.SealedSecret;
import dev.vigil.secrets.SealedSecretSpec;
import dev.vigil.testsupport.GatewayApiDiscovery;
import dev.vigil.testsupport.GatewayObjects;
import dev.vigil.testsupport.NginxServer;
import dev.vigil.testsupport.NginxSitesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The chart's RBAC must allow every API call the operator made in a recorded run against the mock
 * API server (SealedSecrets with a rollout, a baseline over an Ingress and over an HTTPRoute whose Gateway's
 * certificate lives in another namespace behind a ReferenceGrant), and nothing in the list is written by hand: the
 * test's own calls carry their own User-Agent and are left out.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = GatewayApiDiscovery.class)
@QuarkusTestResource(NginxSitesResource.class)
@QuarkusTestResource(value = RbacCoversOperatorCallsTest.OwnApplication.class, restrictToAnnotatedClass = true)
class RbacCoversOperatorCallsTest {

    /** A test resource of this class alone: Quarkus starts a fresh operator and API server, so every recorded call is this run's. */
    public static class OwnApplication implements io.quarkus.test.common.QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            return Map.of();
        }

        @Override
        public void stop() {
        }
    }

    static final String TEST_AGENT = "vigil-rbac-test";

    @KubernetesTestServer
    KubernetesServer server;

    @Inject
    KubernetesClient operatorClient;

    /** group/resource verb, plus whether it was namespaced to the operator's namespace. */
    record Call(String group, String resource, String verb, String namespace) {
        @Override
        public String toString() {
            return verb + " " + (group.isEmpty() ? "" : group + "/") + resource + (namespace == null ? "" : " in " + namespace);
        }
    }

    @Test
    void chartRulesCoverEveryRecordedOperatorCall() throws Exception {
        try (KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(operatorClient.getConfiguration()).withUserAgent(TEST_AGENT).build()).build()) {
            exercise(client);
        }
        Set<Call> calls = new TreeSet<>(java.util.Comparator.comparing(Call::toString));
        for (RecordedRequest request : drain()) {
            String agent = request.getHeaders().header("User-Agent");
            if (agent != null && agent.contains(TEST_AGENT)) {
                continue;
            }
            parse(request).ifPresent(calls::add);
        }
        assertThat(calls).extracting(Call::resource).contains("sealedsecrets", "secrets", "events", "deployments",
                "ingresses", "securitybaselines", "httproutes", "gateways", "referencegrants", "policyreports");
        assertThat(calls).as("the referenced TLS Secret is read on demand, not watched")
                .contains(new Call("", "secrets", "get", "certs-" + suffix));
        assertThat(calls).extracting(Call::toString).contains("create wgpolicyk8s.io/policyreports in " + reportNamespace,
                "delete wgpolicyk8s.io/policyreports in " + reportNamespace, "list wgpolicyk8s.io/policyreports");

        List<HasMetadata> rendered = HelmChartTest.render("replicaCount", "2");
        ClusterRole clusterRole = HelmChartTest.one(rendered, ClusterRole.class);
        Role role = HelmChartTest.one(rendered, Role.class);
        List<String> uncovered = new ArrayList<>();
        for (Call call : calls) {
            boolean allowed = allows(clusterRole.getRules(), call)
                    || ("vigil-system".equals(call.namespace()) && allows(role.getRules(), call));
            if (!allowed) {
                uncovered.add(call.toString());
            }
        }
        assertThat(uncovered).as("calls the chart's RBAC does not allow; recorded: %s", calls).isEmpty();
    }

    static boolean allows(List<PolicyRule> rules, Call call) {
        return rules.stream().anyMatch(r -> r.getApiGroups().contains(call.group()) && r.getResources().contains(call.resource())
                && r.getVerbs().contains(call.verb()));
    }

    static java.util.Optional<Call> parse(RecordedRequest request) {
        String full = request.getPath();
        String path = full.contains("?") ? full.substring(0, full.indexOf('?')) : full;
        String query = full.contains("?") ? full.substring(full.indexOf('?') + 1) : "";
        String[] p = path.replaceFirst("^/", "").split("/");
        int i;
        String group;
        if (p.length >= 2 && p[0].equals("api")) {
            group = "";
            i = 2;
        } else if (p.length >= 3 && p[0].equals("apis")) {
            group = p[1];
            i = 3;
        } else {
            return java.util.Optional.empty();
        }
        String namespace = null;
        if (p.length > i + 1 && p[i].equals("namespaces") && p.length > i + 2) {
            namespace = p[i + 1];
            i += 2;
        }
        if (p.length <= i) {
            return java.util.Optional.empty();
        }
        String resource = p[i];
        boolean named = p.length > i + 1;
        if (p.length > i + 2) {
            resource = resource + "/" + p[i + 2];
        }
        String verb = switch (request.getMethod()) {
            case "GET" -> query.contains("watch=true") ? "watch" : named ? "get" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> named ? "delete" : "deletecollection";
            default -> request.getMethod().toLowerCase();
        };
        return java.util.Optional.of(new Call(group, resource, verb, namespace));
    }

    private List<RecordedRequest> drain() throws InterruptedException {
        List<RecordedRequest> requests = new ArrayList<>();
        RecordedRequest r;
        while ((r = server.getKubernetesMockServer().takeRequest(50, TimeUnit.MILLISECONDS)) != null) {
            requests.add(r);
        }
        return requests;
    }

    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String reportNamespace;

    private void exercise(KubernetesClient client) throws Exception {
        String ns = "rbac-" + suffix;
        reportNamespace = ns;
        client.apiextensions().v1().customResourceDefinitions().resource(dev.vigil.reports.StructuralSchemaAccess
                .crd("/reports/wgpolicyk8s.io_policyreports.yaml")).createOr(r -> r.update());
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("vigil-system").endMetadata().build())
                .createOr(r -> r.update());
        String key = resource("/sops/keys/age-dev.txt");
        client.resource(new SecretBuilder().withNewMetadata().withName("rbac-keys").withNamespace("vigil-system")
                .addToLabels(KeySecrets.LABEL, "true").addToAnnotations(KeySecrets.ALLOWED_NAMESPACES, "*").endMetadata()
                .withData(Map.of("dev.agekey", Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8)))).build())
                .createOr(r -> r.update());
        client.resource(new DeploymentBuilder().withNewMetadata().withName("web").withNamespace(ns).endMetadata()
                .withNewSpec().withNewSelector().addToMatchLabels("app", "web").endSelector().withNewTemplate()
                .withNewMetadata().addToLabels("app", "web").endMetadata().withNewSpec().addNewContainer().withName("c")
                .withImage("x").addNewEnvFrom().withNewSecretRef().withName("creds").endSecretRef().endEnvFrom().endContainer()
                .endSpec().endTemplate().endSpec().build()).create();
        SealedSecret sealed = new SealedSecret();
        sealed.getMetadata().setName("creds");
        sealed.getMetadata().setNamespace(ns);
        sealed.setSpec(new SealedSecretSpec());
        sealed.getSpec().document = dev.vigil.sops.SopsEncryptor.encryptYaml(manifest(ns, "one"),
                List.of("age1s8rzd46thnhta5dul2swfkdyggey2xkydqf6v8xuh2q6jp5vng9qu8zgf5"), List.of(), ScopeRules.BINDING_RECIPE_REGEX,
                java.time.Clock.systemUTC());
        client.resource(sealed).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> client.secrets().inNamespace(ns).withName("creds").get() != null);
        String second = dev.vigil.sops.SopsEncryptor.encryptYaml(manifest(ns, "two"),
                List.of("age1s8rzd46thnhta5dul2swfkdyggey2xkydqf6v8xuh2q6jp5vng9qu8zgf5"), List.of(), ScopeRules.BINDING_RECIPE_REGEX,
                java.time.Clock.systemUTC());
        // edit() is optimistic: when the operator's status write lands between its read and its write, read again.
        await().atMost(Duration.ofSeconds(20))
                .ignoreExceptionsMatching(e -> e instanceof io.fabric8.kubernetes.client.KubernetesClientException k && k.getCode() == 409)
                .until(() -> client.resources(SealedSecret.class).inNamespace(ns).withName("creds").edit(s -> {
                    s.getSpec().document = second;
                    return s;
                }), s -> true);
        await().atMost(Duration.ofSeconds(20)).until(() -> client.apps().deployments().inNamespace(ns).withName("web").get()
                .getSpec().getTemplate().getMetadata().getAnnotations() != null);

        client.resource(new IngressBuilder().withNewMetadata().withName("shop").withNamespace(ns).addToLabels("tier", "web").endMetadata()
                .withNewSpec().addNewRule().withHost("aplus.test").endRule().endSpec().build()).create();
        SecurityBaseline baseline = new SecurityBaseline();
        baseline.getMetadata().setName("edge");
        baseline.getMetadata().setNamespace(ns);
        baseline.setSpec(new SecurityBaselineSpec());
        baseline.getSpec().selector = new LabelSelectorBuilder().addToMatchLabels("tier", "web").build();
        baseline.getSpec().routeSelector = new LabelSelectorBuilder().addToMatchLabels("tier", "web").build();
        baseline.getSpec().connect.address = "127.0.0.1";
        baseline.getSpec().connect.httpsPort = NginxSitesResource.nginx.httpsPort();
        baseline.getSpec().connect.httpPort = NginxSitesResource.nginx.httpPort();
        ProbeTarget none = new ProbeTarget();
        none.url = "https://no-such-host.invalid/";
        baseline.getSpec().targets = List.of(none);
        // Admission enforcement: the background audit lists the namespace's Secrets and SealedSecrets.
        baseline.getSpec().enforcement = new dev.vigil.baseline.Enforcement();
        String certs = "certs-" + suffix;
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(certs).endMetadata().build()).create();
        NginxServer.Site served = NginxSitesResource.sites.stream().filter(s -> s.host().equals("cookies.test")).findFirst().orElseThrow();
        client.resource(new SecretBuilder().withNewMetadata().withName("edge-tls").withNamespace(certs).endMetadata()
                .withType("kubernetes.io/tls").withData(Map.of("tls.crt", Base64.getEncoder().encodeToString(
                        java.nio.file.Files.readAllBytes(served.certificate())))).build()).create();
        client.resource(GatewayObjects.grant(certs, "gateways", ns, "edge-tls")).create();
        var gateway = client.resource(GatewayObjects.gateway(ns, "edge", Map.of(), "127.0.0.1",
                GatewayObjects.https("https", 443, null, certs + "/edge-tls"))).create();
        gateway.setStatus(GatewayObjects.gateway(ns, "edge", Map.of(), "127.0.0.1").getStatus());
        client.resource(gateway).updateStatus();
        var parent = GatewayObjects.parent(null, "edge", null, null);
        var wanted = GatewayObjects.route(ns, "blog", Map.of("tier", "web"), List.of("cookies.test"), List.of(parent), List.of(parent));
        var route = client.resource(wanted).create();
        route.setStatus(wanted.getStatus());
        client.resource(route).updateStatus();
        client.resource(baseline).create();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            SecurityBaseline b = client.resources(SecurityBaseline.class).inNamespace(ns).withName("edge").get();
            return b.getStatus() != null && Conditions.isTrue(b.getStatus().conditions, "Ready")
                    && b.getStatus().enforcement != null && b.getStatus().enforcement.lastAuditTime != null
                    && b.getStatus().services.stream().anyMatch(r -> "httproute/blog".equals(r.source()) && r.grade() != null);
        });
        var reports = client.genericKubernetesResources(dev.vigil.reports.ReportApi.WGPOLICYK8S.context()).inNamespace(ns)
                .withName(dev.vigil.reports.ReportApi.NAME);
        await().atMost(Duration.ofSeconds(30)).until(() -> reports.get() != null);
        // A deleted baseline's results leave when another baseline reconciles: the empty report is deleted.
        client.resource(baseline).delete();
        SecurityBaseline other = new SecurityBaseline();
        other.getMetadata().setName("other");
        other.getMetadata().setNamespace("vigil-system");
        other.setSpec(new SecurityBaselineSpec());
        client.resource(other).create();
        await().atMost(Duration.ofSeconds(30)).until(() -> reports.get() == null);
    }

    private static Map<String, Object> manifest(String ns, String value) {
        Map<String, Object> metadata = new java.util.LinkedHashMap<>();
        metadata.put("name", "creds");
        metadata.put("namespace", ns);
        Map<String, Object> manifest = new java.util.LinkedHashMap<>();
        manifest.put("apiVersion", "v1");
        manifest.put("kind", "Secret");
        manifest.put("metadata", metadata);
        manifest.put("stringData", Map.of("token", value));
        return manifest;
    }

    private static String resource(String path) throws Exception {
        try (InputStream in = RbacCoversOperatorCallsTest.class.getResourceAsStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
