package dev.vigil.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.testsupport.Fixtures;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The API server fails a write: the reconcile is retried with backoff, nothing is lost, and a failure that
 * outlives a reconcile is visible as a condition.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(dev.vigil.testsupport.NginxSitesResource.class)
class ApiFailuresTest {

    @Inject
    KubernetesClient client;

    @KubernetesTestServer
    KubernetesServer server;

    @Test
    void failedSecretWritesAreRetried() {
        String ns = "flaky-" + UUID.randomUUID().toString().substring(0, 8);
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        Fixtures.installKey(client, "vigil-system", "dev-keys", "dev.agekey", Fixtures.AGE_DEV_IDENTITY, "*");
        server.expect().post().withPath("/api/v1/namespaces/" + ns + "/secrets")
                .andReturn(500, new StatusBuilder().withCode(500).withMessage("etcdserver: request timed out").build()).times(2);

        client.resource(Fixtures.sealedSecret(ns, "flaky", Fixtures.sealedManifest(ns, "flaky", Map.of("k", "v")))).create();

        Secret secret = await().atMost(Duration.ofSeconds(60)).until(
                () -> client.secrets().inNamespace(ns).withName("flaky").get(), s -> s != null);
        assertThat(SealedSecretReconcilerTest.decoded(secret, "k")).isEqualTo("v");
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            SealedSecret s = client.resources(SealedSecret.class).inNamespace(ns).withName("flaky").get();
            return s.getStatus() != null && dev.vigil.kube.Conditions.isTrue(s.getStatus().conditions, "Ready");
        });
    }

    @Test
    void aFailedStatusWriteEndsInAConditionAndIsRetried() throws Exception {
        String ns = "flaky-" + UUID.randomUUID().toString().substring(0, 8);
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        server.expect().patch().withPath("/apis/vigil.dev/v1alpha1/namespaces/" + ns + "/securitybaselines/web/status")
                // The client retries 5xx itself; a refusal (RBAC drift, an admission webhook) reaches the reconciler.
                .andReturn(403, new StatusBuilder().withCode(403).withReason("Forbidden")
                        .withMessage("securitybaselines.vigil.dev \"web\" is forbidden: denied by a webhook").build()).once();
        java.util.List<String> readyReasons = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (var watch = client.resources(dev.vigil.baseline.SecurityBaseline.class).inNamespace(ns).watch(
                new io.fabric8.kubernetes.client.Watcher<>() {
                    @Override
                    public void eventReceived(Action action, dev.vigil.baseline.SecurityBaseline b) {
                        if (b.getStatus() != null) {
                            dev.vigil.kube.Conditions.find(b.getStatus().conditions, "Ready")
                                    .ifPresent(c -> readyReasons.add(c.getReason() + ": " + c.getMessage()));
                        }
                    }

                    @Override
                    public void onClose(io.fabric8.kubernetes.client.WatcherException cause) {
                    }
                })) {
            var baseline = new dev.vigil.baseline.SecurityBaseline();
            baseline.getMetadata().setName("web");
            baseline.getMetadata().setNamespace(ns);
            baseline.setSpec(new dev.vigil.baseline.SecurityBaselineSpec());
            client.resource(baseline).create();
            await().atMost(Duration.ofSeconds(60)).until(() -> readyReasons.stream().anyMatch(r -> r.startsWith("NoServices")));
        }
        assertThat(readyReasons).anySatisfy(r -> assertThat(r).startsWith("ReconcileFailed").contains("denied by a webhook"));
        assertThat(readyReasons.get(readyReasons.size() - 1)).startsWith("NoServices");
    }
}
