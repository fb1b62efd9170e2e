package dev.vigil.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IngressTargetsTest {

    static Ingress ingress(String namespace, String name, Map<String, String> labels, String lbIp, String... hosts) {
        IngressBuilder b = new IngressBuilder().withNewMetadata().withNamespace(namespace).withName(name).withLabels(labels)
                .endMetadata().withNewSpec().endSpec();
        for (String host : hosts) {
            b.editSpec().addNewRule().withHost(host).endRule().endSpec();
        }
        if (lbIp != null) {
            b.withNewStatus().withNewLoadBalancer().addNewIngress().withIp(lbIp).endIngress().endLoadBalancer().endStatus();
        }
        return b.build();
    }

    static BaselinePolicy policy(SecurityBaselineSpec spec, boolean trusted) {
        return BaselinePolicy.from(BaselinePolicyTest.baseline(spec), new BaselinePolicy.Limits(Duration.ZERO, Duration.ofDays(1)), trusted);
    }

    @Test
    void selectsByLabelInItsNamespaceAndSkipsWildcards() {
        SecurityBaselineSpec spec = new SecurityBaselineSpec();
        spec.selector = new LabelSelectorBuilder().addToMatchLabels("tier", "web").build();
        List<ServiceTarget> targets = IngressTargets.of(policy(spec, false), List.of(
                ingress("shop", "b", Map.of("tier", "web"), "10.1.1.1", "b.example.com", "*.wild.example.com", "b.example.com"),
                ingress("shop", "a", Map.of("tier", "web"), null, "a.example.com"),
                ingress("shop", "internal", Map.of("tier", "internal"), null, "i.example.com"),
                ingress("other", "c", Map.of("tier", "web"), null, "c.example.com")), Map.of());
        assertThat(targets).extracting(ServiceTarget::host).containsExactly("a.example.com", "b.example.com");
        assertThat(targets.get(0).source()).contains(new ServiceTarget.SourceRef("Ingress", "a"));
        assertThat(targets.get(0).endpoint().connectHost()).isEmpty();
        assertThat(targets.get(1).endpoint().connectHost()).contains("10.1.1.1");
        assertThat(targets.get(1).ingress()).contains("b");
    }

    @Test
    void anAbsentSelectorCoversNoIngressAnEmptyOneCoversAll() {
        List<Ingress> ingresses = List.of(ingress("shop", "a", Map.of(), null, "a.example.com"));
        assertThat(IngressTargets.of(policy(new SecurityBaselineSpec(), false), ingresses, Map.of())).isEmpty();
        SecurityBaselineSpec all = new SecurityBaselineSpec();
        all.selector = new LabelSelectorBuilder().build();
        assertThat(IngressTargets.of(policy(all, false), ingresses, Map.of())).hasSize(1);
    }

    @Test
    void connectAddressOverridesTheLoadBalancerAndPortsApplyToAll() {
        SecurityBaselineSpec spec = new SecurityBaselineSpec();
        spec.selector = new LabelSelectorBuilder().build();
        spec.connect.address = "ingress-nginx.ingress.svc";
        spec.connect.httpsPort = 8443;
        spec.connect.httpPort = 8080;
        ServiceTarget t = IngressTargets.of(policy(spec, false), List.of(ingress("shop", "a", Map.of(), "10.1.1.1", "a.example.com")),
                Map.of()).get(0);
        assertThat(t.endpoint().connectHost()).contains("ingress-nginx.ingress.svc");
        assertThat(t.endpoint().httpsConnectPort()).isEqualTo(8443);
        assertThat(t.endpoint().httpConnectPort()).isEqualTo(8080);
        assertThat(t.endpoint().port()).as("the URL keeps 443: Host and SNI are the rule's").isEqualTo(443);
    }

    @Test
    void otherNamespacesOnlyForTrustedBaselinesAndOnlyThoseTheSelectorMatches() {
        SecurityBaselineSpec spec = new SecurityBaselineSpec();
        spec.selector = new LabelSelectorBuilder().build();
        spec.namespaceSelector = new LabelSelectorBuilder().addToMatchLabels("team", "payments").build();
        List<Ingress> ingresses = List.of(ingress("pay", "p", Map.of(), null, "pay.example.com"),
                ingress("blog", "q", Map.of(), null, "blog.example.com"));
        Map<String, Map<String, String>> namespaces = Map.of("pay", Map.of("team", "payments"), "blog", Map.of("team", "blog"));
        assertThat(IngressTargets.of(policy(spec, false), ingresses, namespaces)).isEmpty();
        assertThat(IngressTargets.of(policy(spec, true), ingresses, namespaces)).extracting(ServiceTarget::host)
                .containsExactly("pay.example.com");
    }

    @Test
    void explicitTargetsFollowTheIngresses() {
        SecurityBaselineSpec spec = new SecurityBaselineSpec();
        ProbeTarget target = new ProbeTarget();
        target.url = "https://status.example.com:8443/";
        spec.targets = List.of(target);
        ServiceTarget t = IngressTargets.of(policy(spec, false), List.of(), Map.of()).get(0);
        assertThat(t.source()).isEmpty();
        assertThat(t.namespace()).isEqualTo("shop");
        assertThat(t.endpoint().port()).isEqualTo(8443);
        assertThat(t.endpoint().httpsConnectPort()).isEqualTo(8443);
        assertThat(t.endpoint().connectHost()).isEqualTo(Optional.empty());
    }

    @Test
    void selectorExpressionsFollowKubernetesSemantics() {
        var selector = new LabelSelectorBuilder()
                .addNewMatchExpression().withKey("tier").withOperator("In").withValues("web", "api").endMatchExpression()
                .addNewMatchExpression().withKey("legacy").withOperator("DoesNotExist").endMatchExpression()
                .addNewMatchExpression().withKey("env").withOperator("NotIn").withValues("dev").endMatchExpression()
                .build();
        assertThat(BaselineScope.matches(selector, Map.of("tier", "web"))).isTrue();
        assertThat(BaselineScope.matches(selector, Map.of("tier", "api", "env", "prod"))).isTrue();
        assertThat(BaselineScope.matches(selector, Map.of("tier", "db"))).isFalse();
        assertThat(BaselineScope.matches(selector, Map.of("tier", "web", "legacy", "yes"))).isFalse();
        assertThat(BaselineScope.matches(selector, Map.of("tier", "web", "env", "dev"))).isFalse();
        var exists = new LabelSelectorBuilder().addNewMatchExpression().withKey("x").withOperator("Exists").endMatchExpression().build();
        assertThat(BaselineScope.matches(exists, Map.of("x", ""))).isTrue();
        assertThat(BaselineScope.matches(exists, null)).isFalse();
    }
}
