package dev.vigil.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.baseline.AcceptedRiskSpec;
import dev.vigil.baseline.ProbeTarget;
import dev.vigil.baseline.SecurityBaseline;
import dev.vigil.baseline.SecurityBaselineSpec;
import dev.vigil.reports.ReportResult.Outcome;
import dev.vigil.testsupport.NginxSitesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The operator grading real nginx sites through Ingresses on the mock API server, with the published PolicyReport CRD
 * installed in it: a trusted baseline covering a team's namespace and the team's own baseline share the team's report,
 * each result lands in the namespace of its service, accepted risks are {@code skip} with owner and expiry, every
 * object fits the published schema, and a deleted baseline's results leave the report.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(NginxSitesResource.class)
class PolicyReportOperatorTest {

    static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    KubernetesClient client;

    @Test
    void baselinesShareTheirServicesNamespaceReport() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String team = "team-" + id;
        String tenant = "tenant-" + id;
        CustomResourceDefinition crd = StructuralSchema.crd(PolicyReportsTest.CRD_WG);
        client.apiextensions().v1().customResourceDefinitions().resource(crd).createOr(r -> r.update());
        for (String ns : List.of(team, tenant, "vigil-system")) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).addToLabels("team", id).endMetadata()
                    .build()).createOr(r -> r.update());
        }
        for (var e : Map.of("storefront", "aplus.test", "legacy", "bare.test").entrySet()) {
            client.resource(new IngressBuilder().withNewMetadata().withName(e.getKey()).withNamespace(team).addToLabels("tier", "web")
                    .endMetadata().withNewSpec().addNewRule().withHost(e.getValue()).endRule().endSpec().build()).create();
        }
        SecurityBaseline edge = baseline("vigil-system", "edge-" + id);
        edge.getSpec().namespaceSelector = new LabelSelectorBuilder().addToMatchLabels("team", id).build();
        AcceptedRiskSpec risk = new AcceptedRiskSpec();
        risk.hosts = List.of("bare.test");
        risk.control = "x-frame-options";
        risk.reason = "framed by the legacy portal until the Q3 rewrite";
        risk.owner = "team-legacy";
        risk.expires = "2099-09-30";
        edge.getSpec().exceptions = List.of(risk);
        client.resource(edge).create();
        client.resource(baseline(team, "web")).create();
        // A tenant's baseline asking for every namespace of the label: untrusted, so it covers only its own namespace.
        SecurityBaseline grabby = baseline(tenant, "grabby");
        grabby.getSpec().namespaceSelector = new LabelSelectorBuilder().addToMatchLabels("team", id).build();
        ProbeTarget own = new ProbeTarget();
        own.url = "https://aplus.test:" + NginxSitesResource.nginx.httpsPort() + "/";
        own.connectAddress = "127.0.0.1";
        grabby.getSpec().targets = List.of(own);
        client.resource(grabby).create();

        String edgePolicy = "vigil-system/edge-" + id;
        String webPolicy = team + "/web";
        GenericKubernetesResource report = await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> report(team),
                r -> r != null && ReportApi.fromResource(r).policies().containsAll(List.of(edgePolicy, webPolicy)));
        Files.writeString(Path.of("target", "policyreport-example.yaml"), Serialization.asYaml(report));

        assertThat(StructuralSchema.of(crd, "v1alpha2").violations(report)).isEmpty();
        NamespaceReport read = ReportApi.fromResource(report);
        assertThat(read.policies()).containsExactlyInAnyOrder(edgePolicy, webPolicy);
        assertThat(read.omitted()).isZero();
        assertThat(Tally.of(read.results())).isEqualTo(read.summary());
        @SuppressWarnings("unchecked")
        Map<String, Object> summary = (Map<String, Object>) report.getAdditionalProperties().get("summary");
        assertThat(summary.get("pass")).isEqualTo(read.summary().pass());
        assertThat(read.results()).allSatisfy(r -> {
            assertThat(r.resource()).hasValueSatisfying(ref -> {
                assertThat(ref.kind()).isEqualTo("Ingress");
                assertThat(ref.namespace()).isEqualTo(team);
                assertThat(ref.uid()).isNotBlank();
            });
            assertThat(r.properties()).containsKeys("host", "grade", ReportApi.RESULT_ID);
        });
        ReportResult accepted = read.results().stream().filter(r -> r.policy().equals(edgePolicy) && r.rule().equals("x-frame-options")
                && r.properties().get("host").equals("bare.test")).findFirst().orElseThrow();
        assertThat(accepted.result()).isEqualTo(Outcome.SKIP);
        assertThat(accepted.properties()).containsEntry("owner", "team-legacy").containsEntry("expires", "2099-10-01T00:00:00Z");
        ReportResult local = read.results().stream().filter(r -> r.policy().equals(webPolicy) && r.rule().equals("x-frame-options")
                && r.properties().get("host").equals("bare.test")).findFirst().orElseThrow();
        assertThat(local.result()).as("no exception in the team's own baseline").isEqualTo(Outcome.WARN);
        assertThat(read.results()).filteredOn(r -> r.rule().equals("minimum-grade") && r.properties().get("host").equals("bare.test"))
                .extracting(ReportResult::result).containsOnly(Outcome.FAIL);

        // The trusted baseline reports into the team's namespace, not its own; the tenant's only into its own.
        assertThat(report("vigil-system") == null
                || !ReportApi.fromResource(report("vigil-system")).policies().contains(edgePolicy)).isTrue();
        GenericKubernetesResource tenantReport = await().atMost(WAIT).until(() -> report(tenant), r -> r != null);
        assertThat(ReportApi.fromResource(tenantReport).policies()).containsExactly(tenant + "/grabby");
        assertThat(read.policies()).doesNotContain(tenant + "/grabby");

        // A deleted baseline's results leave with it, though nothing else changes (the deletion sweep, not another
        // baseline's reconcile).
        client.resources(SecurityBaseline.class).inNamespace(team).withName("web").delete();
        await().atMost(WAIT).until(() -> ReportApi.fromResource(report(team)).policies().equals(java.util.Set.of(edgePolicy)));
    }

    GenericKubernetesResource report(String namespace) {
        return client.genericKubernetesResources(ReportApi.WGPOLICYK8S.context()).inNamespace(namespace).withName(ReportApi.NAME).get();
    }

    static SecurityBaseline baseline(String namespace, String name) {
        SecurityBaseline b = new SecurityBaseline();
        b.getMetadata().setName(name);
        b.getMetadata().setNamespace(namespace);
        b.setSpec(new SecurityBaselineSpec());
        b.getSpec().selector = new LabelSelectorBuilder().addToMatchLabels("tier", "web").build();
        b.getSpec().connect.address = "127.0.0.1";
        b.getSpec().connect.httpsPort = NginxSitesResource.nginx.httpsPort();
        b.getSpec().connect.httpPort = NginxSitesResource.nginx.httpPort();
        return b;
    }
}
