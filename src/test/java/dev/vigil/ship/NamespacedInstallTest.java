package dev.vigil.ship;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.baseline.ProbeTarget;
import dev.vigil.baseline.SecurityBaseline;
import dev.vigil.baseline.SecurityBaselineSpec;
import dev.vigil.kube.Conditions;
import dev.vigil.secrets.SealedSecret;
import dev.vigil.testsupport.Fixtures;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The namespaced install: the chart with {@code watchNamespaces} renders Roles only, and the operator
 * configured the same way reconciles in the listed namespace, ignores the others, and makes no call
 * the rendered Roles do not allow (no cluster-wide list of Secrets or Namespaces).
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@TestProfile(NamespacedInstallTest.Namespaced.class)
class NamespacedInstallTest {

    static final String WATCHED = "watched-a";
    static final String OPERATOR_NS = "vigil-system";
    static final String TEST_AGENT = "vigil-namespaced-test";

    /** What the chart's QUARKUS_OPERATOR_SDK_NAMESPACES sets. */
    public static class Namespaced implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.operator-sdk.namespaces", WATCHED);
        }
    }

    @KubernetesTestServer
    KubernetesServer server;

    @Inject
    KubernetesClient operatorClient;

    @Test
    void chartRendersRolesOnlyAndTheOperatorStaysInsideThem() throws Exception {
        List<HasMetadata> rendered = HelmChartTest.render("watchNamespaces[0]", WATCHED);
        assertThat(rendered).extracting(HasMetadata::getKind).doesNotContain("ClusterRole", "ClusterRoleBinding")
                .contains("Role", "RoleBinding");
        Deployment deployment = HelmChartTest.one(rendered, Deployment.class);
        assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .anyMatch(e -> e.getName().equals("QUARKUS_OPERATOR_SDK_NAMESPACES") && WATCHED.equals(e.getValue()));
        List<Role> roles = rendered.stream().filter(Role.class::isInstance).map(Role.class::cast).toList();
        assertThat(roles).extracting(r -> r.getMetadata().getNamespace()).containsExactlyInAnyOrder(WATCHED, OPERATOR_NS);

        try (KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(operatorClient.getConfiguration()).withUserAgent(TEST_AGENT).build()).build()) {
            for (String ns : List.of(WATCHED, "unwatched", OPERATOR_NS)) {
                client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
                        .createOr(r -> r.update());
            }
            Fixtures.installKey(client, OPERATOR_NS, "dev-keys", "dev.agekey", Fixtures.AGE_DEV_IDENTITY, "*");
            client.resource(Fixtures.sealedSecret(WATCHED, "creds", Fixtures.sealedManifest(WATCHED, "creds", Map.of("k", "v"))))
                    .create();
            client.resource(Fixtures.sealedSecret("unwatched", "creds",
                    Fixtures.sealedManifest("unwatched", "creds", Map.of("k", "v")))).create();
            SecurityBaseline baseline = new SecurityBaseline();
            baseline.getMetadata().setName("edge");
            baseline.getMetadata().setNamespace(WATCHED);
            baseline.setSpec(new SecurityBaselineSpec());
            ProbeTarget none = new ProbeTarget();
            none.url = "https://no-such-host.invalid/";
            baseline.getSpec().targets = List.of(none);
            client.resource(baseline).create();

            await().atMost(Duration.ofSeconds(30)).until(() -> client.secrets().inNamespace(WATCHED).withName("creds").get() != null);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                SecurityBaseline b = client.resources(SecurityBaseline.class).inNamespace(WATCHED).withName("edge").get();
                return b.getStatus() != null && Conditions.isTrue(b.getStatus().conditions, "Ready");
            });
            var unwatched = client.resources(SealedSecret.class).inNamespace("unwatched").withName("creds").get().getStatus();
            assertThat(unwatched == null ? null : unwatched.observedGeneration)
                    .as("a SealedSecret outside the watched namespaces is not touched").isNull();
            assertThat(client.secrets().inNamespace("unwatched").withName("creds").get()).isNull();
        }

        Set<RbacCoversOperatorCallsTest.Call> calls = new TreeSet<>(java.util.Comparator.comparing(RbacCoversOperatorCallsTest.Call::toString));
        RecordedRequest request;
        while ((request = server.getKubernetesMockServer().takeRequest(50, TimeUnit.MILLISECONDS)) != null) {
            String agent = request.getHeaders().header("User-Agent");
            if (agent == null || !agent.contains(TEST_AGENT)) {
                RbacCoversOperatorCallsTest.parse(request).ifPresent(calls::add);
            }
        }
        assertThat(calls).extracting(RbacCoversOperatorCallsTest.Call::resource).contains("sealedsecrets", "secrets");
        List<String> uncovered = new ArrayList<>();
        for (RbacCoversOperatorCallsTest.Call call : calls) {
            boolean allowed = call.namespace() != null && roles.stream().anyMatch(r -> r.getMetadata().getNamespace().equals(call.namespace())
                    && RbacCoversOperatorCallsTest.allows(r.getRules(), call));
            if (!allowed) {
                uncovered.add(call.toString());
            }
        }
        assertThat(uncovered).as("calls the namespaced Roles do not allow; recorded: %s", calls).isEmpty();
    }
}
