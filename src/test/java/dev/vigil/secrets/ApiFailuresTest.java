package dev.vigil.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
 * The API server fails the Secret write twice: the reconcile is retried with backoff and the Secret
 * arrives, nothing lost.
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
}
