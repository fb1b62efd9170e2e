package dev.vigil.reports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.reports.ReportResult.Outcome;
import dev.vigil.reports.ReportResult.ResourceRef;
import dev.vigil.reports.ReportResult.Severity;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The report writer against Fabric8's mock API server in CRUD mode, with the upstream CRDs created in it: off until
 * the CRD is served, then objects that fit the published schema field for field; several policies share one report;
 * a report Vigil does not manage, or one a tenant filled with junk, cannot make Vigil lose or forge results.
 */
@EnableKubernetesMockClient(crud = true)
class PolicyReportsTest {

    static final String CRD_WG = "/reports/wgpolicyk8s.io_policyreports.yaml";
    static final String CRD_OPEN = "/reports/openreports.io_reports.yaml";

    KubernetesClient client;

    static ReportSettings settings(ReportApi api, int maxResults) {
        return new ReportSettings() {
            @Override
            public ReportApi api() {
                return api;
            }

            @Override
            public int maxResults() {
                return maxResults;
            }

            @Override
            public Duration discoveryInterval() {
                return Duration.ZERO;
            }
        };
    }

    static String crdFile(ReportApi api) {
        return api == ReportApi.WGPOLICYK8S ? CRD_WG : CRD_OPEN;
    }

    CustomResourceDefinition install(ReportApi api) throws Exception {
        CustomResourceDefinition crd = StructuralSchema.crd(crdFile(api));
        return client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
    }

    GenericKubernetesResource report(ReportApi api, String namespace) {
        return client.genericKubernetesResources(api.context()).inNamespace(namespace).withName(ReportApi.NAME).get();
    }

    static ReportResult result(String policy, String namespace, String host, String rule, Outcome outcome) {
        return new ReportResult(policy, rule, outcome, outcome == Outcome.PASS ? Optional.empty() : Optional.of(Severity.HIGH),
                "TLS", rule + " " + outcome.label() + " on " + host, outcome != Outcome.WARN,
                Optional.of(new ResourceRef("networking.k8s.io/v1", "Ingress", namespace, "storefront", "uid-1")),
                Map.of("host", host, "grade", "B", ReportApi.RESULT_ID, policy + host + rule + outcome),
                Instant.parse("2026-11-23T12:00:00.250Z"));
    }

    static List<ReportResult> mixed(String policy, String namespace, String host) {
        List<ReportResult> out = new ArrayList<>();
        for (Outcome o : Outcome.values()) {
            out.add(result(policy, namespace, host, "rule-" + o.label(), o));
        }
        return out;
    }

    @BeforeEach
    void clean() {
        client.apiextensions().v1().customResourceDefinitions().delete();
    }

    @ParameterizedTest
    @EnumSource(value = ReportApi.class, names = {"WGPOLICYK8S", "OPENREPORTS"})
    void offUntilTheCrdIsServedThenEveryFieldFitsThePublishedSchema(ReportApi api) throws Exception {
        PolicyReports reports = new PolicyReports(client, settings(api, 500));
        java.util.concurrent.atomic.AtomicInteger told = new java.util.concurrent.atomic.AtomicInteger();
        reports.onServed(told::incrementAndGet);
        assertThat(reports.enabled()).isFalse();
        reports.publish("shop/web", Map.of("shop", mixed("shop/web", "shop", "a.test")));
        assertThat(report(api, "shop")).isNull();

        CustomResourceDefinition crd = install(api);
        assertThat(reports.enabled()).isTrue();
        assertThat(reports.enabled()).isTrue();
        assertThat(told).as("the results dropped while absent are asked for again, once").hasValue(1);
        reports.publish("shop/web", Map.of("shop", mixed("shop/web", "shop", "a.test")));
        GenericKubernetesResource stored = report(api, "shop");
        assertThat(stored).isNotNull();
        assertThat(StructuralSchema.of(crd, api.version).violations(stored)).isEmpty();

        assertThat(stored.getMetadata().getLabels()).containsEntry(ReportApi.MANAGED_BY, "vigil");
        @SuppressWarnings("unchecked")
        Map<String, Object> summary = (Map<String, Object>) stored.getAdditionalProperties().get("summary");
        assertThat(summary).containsExactlyInAnyOrderEntriesOf(Map.of("pass", 1, "fail", 1, "warn", 1, "error", 1, "skip", 1));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> results = (List<Map<String, Object>>) stored.getAdditionalProperties().get("results");
        assertThat(results).extracting(r -> r.get("result")).containsExactly("error", "fail", "warn", "skip", "pass");
        // What Policy Reporter reads of every result is filled in.
        assertThat(results).allSatisfy(r -> {
            assertThat(r).containsEntry("source", "vigil").containsEntry("policy", "shop/web").containsKeys("rule", "category",
                    "message", "timestamp", "properties", "scored");
            @SuppressWarnings("unchecked")
            Map<String, Object> resource = ((List<Map<String, Object>>) r.get("resources")).get(0);
            assertThat(resource).containsEntry("kind", "Ingress").containsEntry("name", "storefront")
                    .containsEntry("namespace", "shop").containsEntry("uid", "uid-1").containsKey("apiVersion");
            assertThat(((Map<?, ?>) r.get("properties")).containsKey(ReportApi.RESULT_ID)).isTrue();
        });
        assertThat(results.get(0)).containsEntry("severity", "high")
                .containsEntry("timestamp", Map.of("seconds", 1795435200, "nanos", 250000000));
        if (api == ReportApi.OPENREPORTS) {
            assertThat(stored.getAdditionalProperties()).containsEntry("source", "vigil")
                    .containsEntry("configuration", Map.of("limits", Map.of("maxResults", 500)));
        } else {
            assertThat(stored.getAdditionalProperties()).doesNotContainKeys("source", "configuration");
        }
    }

    @ParameterizedTest
    @EnumSource(value = ReportApi.class, names = {"WGPOLICYK8S"})
    void policiesShareTheReportAndABoundKeepsTheSummaryExact(ReportApi api) throws Exception {
        CustomResourceDefinition crd = install(api);
        PolicyReports reports = new PolicyReports(client, settings(api, 4));
        reports.publish("shop/web", Map.of("shop", mixed("shop/web", "shop", "a.test")));
        reports.publish("vigil-system/edge", Map.of("shop", mixed("vigil-system/edge", "shop", "a.test"),
                "blog", mixed("vigil-system/edge", "blog", "blog.test")));
        GenericKubernetesResource shop = report(api, "shop");
        assertThat(StructuralSchema.of(crd, api.version).violations(shop)).isEmpty();
        NamespaceReport read = ReportApi.fromResource(shop);
        assertThat(read.policies()).containsExactly("shop/web", "vigil-system/edge");
        assertThat(read.summary()).isEqualTo(new Tally(2, 2, 2, 2, 2));
        assertThat(read.results()).hasSize(4).extracting(ReportResult::result)
                .containsExactly(Outcome.ERROR, Outcome.ERROR, Outcome.FAIL, Outcome.FAIL);
        assertThat(shop.getMetadata().getAnnotations()).containsEntry(ReportApi.OMITTED, "6");

        // An unchanged world writes nothing.
        String version = shop.getMetadata().getResourceVersion();
        reports.publish("shop/web", Map.of("shop", mixed("shop/web", "shop", "a.test")));
        assertThat(report(api, "shop").getMetadata().getResourceVersion()).isEqualTo(version);

        // The edge baseline stops covering shop, then is deleted: its results go, the report with no results goes.
        reports.publish("vigil-system/edge", Map.of("blog", mixed("vigil-system/edge", "blog", "blog.test")));
        assertThat(ReportApi.fromResource(report(api, "shop")).policies()).containsExactly("shop/web");
        reports.withdraw("vigil-system/edge");
        assertThat(report(api, "blog")).isNull();
        assertThat(report(api, "shop")).isNotNull();
    }

    @ParameterizedTest
    @EnumSource(value = ReportApi.class, names = {"WGPOLICYK8S"})
    void afterARestartResultsOfNamespacesNoLongerCoveredAreStillRemoved(ReportApi api) throws Exception {
        install(api);
        new PolicyReports(client, settings(api, 100)).publish("vigil-system/edge",
                Map.of("shop", mixed("vigil-system/edge", "shop", "a.test"), "blog", mixed("vigil-system/edge", "blog", "b.test")));
        PolicyReports restarted = new PolicyReports(client, settings(api, 100));
        restarted.publish("vigil-system/edge", Map.of("shop", mixed("vigil-system/edge", "shop", "a.test")));
        assertThat(report(api, "blog")).isNull();
        assertThat(report(api, "shop")).isNotNull();
    }

    @ParameterizedTest
    @EnumSource(value = ReportApi.class, names = {"WGPOLICYK8S"})
    void aTenantsOwnReportIsLeftAloneAndForgedVigilReportsAreRewritten(ReportApi api) throws Exception {
        CustomResourceDefinition crd = install(api);
        // The tenant's own object under Vigil's name, without the managed-by label: never overwritten.
        GenericKubernetesResource own = new GenericKubernetesResource();
        own.setApiVersion(api.apiVersion());
        own.setKind(api.kind);
        own.setMetadata(new ObjectMetaBuilder().withName(ReportApi.NAME).withNamespace("tenant").build());
        own.getAdditionalProperties().put("summary", Map.of("pass", 7));
        client.genericKubernetesResources(api.context()).inNamespace("tenant").resource(own).create();
        // A report labelled as Vigil's, with junk a tenant wrote: an unreadable tally, results of a policy that has
        // none, a result with no outcome, and a claim of results from another baseline.
        GenericKubernetesResource forged = new GenericKubernetesResource();
        forged.setApiVersion(api.apiVersion());
        forged.setKind(api.kind);
        forged.setMetadata(new ObjectMetaBuilder().withName(ReportApi.NAME).withNamespace("shop")
                .withLabels(Map.of(ReportApi.MANAGED_BY, "vigil"))
                .withAnnotations(Map.of(ReportApi.TALLIES, "{\"other/fake\":{\"pass\":-5},\"x\":\"y\", \"shop/web\": [1,2]}")).build());
        forged.getAdditionalProperties().put("results", List.of(Map.of("policy", "other/fake", "result", "pass"),
                Map.of("policy", "shop/web"), "not a map"));
        client.genericKubernetesResources(api.context()).inNamespace("shop").resource(forged).create();

        PolicyReports reports = new PolicyReports(client, settings(api, 100));
        reports.publish("shop/web", Map.of("tenant", mixed("shop/web", "tenant", "a.test"), "shop", mixed("shop/web", "shop", "a.test")));

        GenericKubernetesResource stillOwn = report(api, "tenant");
        assertThat(stillOwn.getMetadata().getLabels()).isNullOrEmpty();
        assertThat(stillOwn.getAdditionalProperties()).containsEntry("summary", Map.of("pass", 7)).doesNotContainKey("results");
        GenericKubernetesResource rewritten = report(api, "shop");
        assertThat(StructuralSchema.of(crd, api.version).violations(rewritten)).isEmpty();
        NamespaceReport read = ReportApi.fromResource(rewritten);
        assertThat(read.policies()).containsExactly("shop/web");
        assertThat(read.summary()).isEqualTo(new Tally(1, 1, 1, 1, 1));
        assertThat(read.results()).hasSize(5).allMatch(r -> r.policy().equals("shop/web"));
    }
}
