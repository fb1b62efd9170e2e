package dev.vigil.ship;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The chart through a real Helm (helm-java bundles it): lint, render, parse, and its security defaults. */
public class HelmChartTest {

    static final Path CHART = Path.of("helm/vigil");

    public static List<HasMetadata> render(String... sets) {
        var template = new Helm(CHART).template().withName("vigil").withNamespace("vigil-system");
        for (int i = 0; i < sets.length; i += 2) {
            template.set(sets[i], sets[i + 1]);
        }
        String manifests = template.call();
        List<HasMetadata> objects = new ArrayList<>();
        for (String doc : manifests.split("(?m)^---\\s*$")) {
            if (doc.strip().isEmpty() || doc.lines().allMatch(l -> l.isBlank() || l.startsWith("#"))) {
                continue;
            }
            objects.add(Serialization.unmarshal(doc, HasMetadata.class));
        }
        return objects;
    }

    public static <T> T one(List<HasMetadata> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).findFirst().orElseThrow();
    }

    @Test
    void lintsClean() {
        LintResult result = new Helm(CHART).lint().strict().call();
        assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
    }

    @Test
    void defaultValuesRenderAHardenedSingleReplicaOperator() {
        List<HasMetadata> objects = render();
        assertThat(objects).extracting(HasMetadata::getKind)
                .contains("Deployment", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Service")
                .doesNotContain("ServiceMonitor", "PrometheusRule", "ConfigMap", "Role", "NetworkPolicy");
        Deployment deployment = one(objects, Deployment.class);
        var pod = deployment.getSpec().getTemplate().getSpec();
        var container = pod.getContainers().get(0);
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(container.getResources().getLimits()).containsKey("memory");
        assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
        assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
        assertThat(container.getEnv()).noneMatch(e -> e.getName().equals("VIGIL_LEADER_ELECTION_ENABLED"));
        ClusterRole role = one(objects, ClusterRole.class);
        assertThat(role.getRules()).noneMatch(r -> r.getVerbs().contains("*") || r.getResources().contains("*"));
    }

    @Test
    void everyOptionalFeatureRenders() {
        List<HasMetadata> objects = render("replicaCount", "2", "metrics.serviceMonitor.enabled", "true",
                "prometheusRule.enabled", "true", "grafanaDashboard.enabled", "true");
        assertThat(objects).extracting(HasMetadata::getKind)
                .contains("ServiceMonitor", "PrometheusRule", "ConfigMap", "Role", "RoleBinding");
        Deployment deployment = one(objects, Deployment.class);
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
        assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .anyMatch(e -> e.getName().equals("VIGIL_LEADER_ELECTION_ENABLED") && "true".equals(e.getValue()));
        HasMetadata configMap = objects.stream().filter(o -> o.getKind().equals("ConfigMap")).findFirst().orElseThrow();
        assertThat(configMap.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
    }

    /** The chart's rule is the promtool-tested file with the maximum document age taken from the values. */
    @Test
    void prometheusRuleTakesTheMaximumDocumentAgeFromValues() throws Exception {
        assertThat(alertExpr(render("prometheusRule.enabled", "true"), "VigilSealedSecretDocumentTooOld"))
                .isEqualTo("max by (namespace, name) (vigil_sealedsecret_document_age_seconds) > 90 * 86400");
        assertThat(alertExpr(render("prometheusRule.enabled", "true", "prometheusRule.maxDocumentAgeDays", "30"),
                "VigilSealedSecretDocumentTooOld"))
                .isEqualTo("max by (namespace, name) (vigil_sealedsecret_document_age_seconds) > 30 * 86400");
        List<HasMetadata> defaults = render("prometheusRule.enabled", "true");
        assertThat(alertExpr(defaults, "VigilRetiringKeyInUse")).contains("retiring=\"true\"");
        // Everything but the threshold is the file promtool tests.
        String file = Files.readString(Path.of("helm/vigil/files/vigil-alerts.yaml"));
        Object groups = new org.yaml.snakeyaml.Yaml().<java.util.Map<String, Object>>load(file).get("groups");
        assertThat(Serialization.asJson(ruleGroups(defaults))).isEqualTo(Serialization.asJson(groups));
        assertThatThrownBy(() -> render("prometheusRule.enabled", "true", "prometheusRule.maxDocumentAgeDays", "0"))
                .isInstanceOf(RuntimeException.class);
    }

    @SuppressWarnings("unchecked")
    private static List<java.util.Map<String, Object>> ruleGroups(List<HasMetadata> objects) {
        var rule = (io.fabric8.kubernetes.api.model.GenericKubernetesResource) objects.stream()
                .filter(o -> o.getKind().equals("PrometheusRule")).findFirst().orElseThrow();
        var spec = (java.util.Map<String, Object>) rule.getAdditionalProperties().get("spec");
        return (List<java.util.Map<String, Object>>) spec.get("groups");
    }

    @SuppressWarnings("unchecked")
    private static String alertExpr(List<HasMetadata> objects, String alert) {
        return ruleGroups(objects).stream()
                .flatMap(g -> ((List<java.util.Map<String, Object>>) g.get("rules")).stream())
                .filter(r -> alert.equals(r.get("alert"))).map(r -> String.valueOf(r.get("expr"))).findFirst().orElseThrow();
    }

    @Test
    void theOptionalEgressPolicyAllowsDnsTheApiServerAndTheConfiguredRangesOnly() {
        List<HasMetadata> objects = render("networkPolicy.enabled", "true", "networkPolicy.apiServer.cidrs[0]", "172.18.0.2/32",
                "baselines.allowCidrs[0]", "10.20.0.0/16");
        NetworkPolicy policy = one(objects, NetworkPolicy.class);
        assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Egress");
        assertThat(policy.getSpec().getPodSelector().getMatchLabels())
                .isEqualTo(one(objects, Deployment.class).getSpec().getSelector().getMatchLabels());
        var rules = policy.getSpec().getEgress();
        assertThat(rules).hasSize(4);
        assertThat(rules.get(0).getTo().get(0).getPodSelector().getMatchLabels()).containsEntry("k8s-app", "kube-dns");
        assertThat(rules.get(0).getPorts()).extracting(p -> p.getProtocol() + "/" + p.getPort().getIntVal())
                .containsExactly("UDP/53", "TCP/53");
        assertThat(rules.get(1).getTo()).extracting(t -> t.getIpBlock().getCidr()).containsExactly("172.18.0.2/32");
        assertThat(rules.get(1).getPorts()).extracting(p -> p.getPort().getIntVal()).containsExactly(443, 6443);
        assertThat(rules.get(2).getTo().get(0).getIpBlock().getCidr()).isEqualTo("0.0.0.0/0");
        assertThat(rules.get(2).getTo().get(0).getIpBlock().getExcept()).containsExactly("169.254.0.0/16");
        assertThat(rules.get(2).getPorts()).extracting(p -> p.getPort().getIntVal()).containsExactly(80, 443);
        assertThat(rules.get(3).getTo().get(0).getIpBlock().getExcept()).contains("fe80::/10");
        assertThat(rules).noneMatch(r -> r.getTo() == null || r.getTo().isEmpty()); // no rule opens everything
        assertThat(one(objects, Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .anyMatch(e -> e.getName().equals("VIGIL_BASELINES_ALLOW_CIDRS") && "10.20.0.0/16".equals(e.getValue()));

        assertThatThrownBy(() -> render("networkPolicy.enabled", "true")).hasMessageContaining("networkPolicy.apiServer.cidrs");
        assertThatThrownBy(() -> render("networkPolicy.egres", "x")).hasMessageContaining("egres");
    }

    @Test
    void reportRulesFollowTheChosenReportApi() {
        assertThat(one(render(), ClusterRole.class).getRules())
                .anyMatch(r -> r.getApiGroups().contains("wgpolicyk8s.io") && r.getResources().contains("policyreports"))
                .noneMatch(r -> r.getApiGroups().contains("openreports.io"));
        assertThat(one(render("policyReports.api", "openreports"), ClusterRole.class).getRules())
                .anyMatch(r -> r.getApiGroups().contains("openreports.io") && r.getResources().equals(List.of("reports")))
                .noneMatch(r -> r.getApiGroups().contains("wgpolicyk8s.io"));
        List<HasMetadata> off = render("policyReports.api", "off");
        assertThat(one(off, ClusterRole.class).getRules())
                .noneMatch(r -> r.getApiGroups().contains("openreports.io") || r.getApiGroups().contains("wgpolicyk8s.io"));
        assertThat(one(off, Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .anyMatch(e -> e.getName().equals("VIGIL_REPORTS_API") && "off".equals(e.getValue()));
        assertThatThrownBy(() -> render("policyReports.api", "kyverno")).isInstanceOf(RuntimeException.class);
    }

    @Test
    void valuesSchemaRejectsTypos() {
        assertThatThrownBy(() -> render("replicaCont", "2")).hasMessageContaining("replicaCont");
        assertThatThrownBy(() -> render("baselines.concurrency", "-1")).isInstanceOf(RuntimeException.class);
    }

    @Test
    void chartCopiesMatchTheirSources() throws Exception {
        assertThat(Files.readString(CHART.resolve("files/vigil-posture.json")))
                .isEqualTo(Files.readString(Path.of("grafana/vigil-posture.json")));
        try (var chartCrds = Files.list(CHART.resolve("crds")); var crds = Files.list(Path.of("crds"))) {
            assertThat(chartCrds.map(p -> p.getFileName().toString()).sorted().toList())
                    .isEqualTo(crds.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }
}
