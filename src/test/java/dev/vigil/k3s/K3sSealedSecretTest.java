package dev.vigil.k3s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.kube.Conditions;
import dev.vigil.kube.EventRecorder;
import dev.vigil.kube.OperatorNamespace;
import dev.vigil.metrics.VigilMetrics;
import dev.vigil.secrets.KeySecrets;
import dev.vigil.secrets.RevisionKey;
import dev.vigil.secrets.SealedSecret;
import dev.vigil.secrets.SealedSecretReconciler;
import dev.vigil.secrets.SealedSecretSettings;
import dev.vigil.secrets.SealedSecretSpec;
import dev.vigil.secrets.SecretWriter;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The SealedSecret flow on a real API server (K3s in a container): CRDs with CEL validation applied,
 * a genuine Flux/sops document decrypted into its Secret, a tampered copy refused. Runs where a Docker
 * engine exists and is skipped (not failed) where it does not.
 */
@Testcontainers(disabledWithoutDocker = true)
class K3sSealedSecretTest {

    @Container
    static final K3sContainer K3S = new K3sContainer(DockerImageName.parse("rancher/k3s:v1.30.4-k3s1"));

    @Test
    void genuineSopsDocumentBecomesItsSecretAndATamperedOneIsRefused() throws Exception {
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(K3S.getKubeConfigYaml())).build()) {
            for (String crd : new String[] {"sealedsecrets.vigil.dev-v1.yml", "securitybaselines.vigil.dev-v1.yml"}) {
                client.load(Files.newInputStream(Path.of("crds", crd))).serverSideApply();
            }
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("vigil-system").endMetadata().build()).create();
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("apps").endMetadata().build()).create();
            // The Flux document names itself only in clear text, so it is unbound: a key restricted to "apps" opens it.
            client.resource(new SecretBuilder().withNewMetadata().withName("flux-key").withNamespace("vigil-system")
                    .addToLabels(KeySecrets.LABEL, "true").addToAnnotations(KeySecrets.ALLOWED_NAMESPACES, "apps").endMetadata()
                    .withData(Map.of("flux.agekey", Base64.getEncoder().encodeToString(resource("/sops/keys/age-flux.txt")
                            .getBytes(StandardCharsets.UTF_8)))).build()).create();

            OperatorNamespace namespace = new OperatorNamespace(Optional.of("vigil-system"), client);
            SealedSecretSettings settings = new SealedSecretSettings() {
                public boolean allowUnbound() {
                    return false;
                }

                public String revisionKeySecret() {
                    return "vigil-revision-key";
                }
            };
            SealedSecretReconciler reconciler = new SealedSecretReconciler(namespace,
                    new SecretWriter(client, new RevisionKey(client, namespace, settings)), new EventRecorder(client), settings,
                    new VigilMetrics(new SimpleMeterRegistry(), "k3s"), Duration.ofSeconds(30));
            Operator operator = new Operator(o -> o.withKubernetesClient(client));
            operator.register(reconciler);
            operator.start();
            try {
                String document = resource("/sops/cases/u14-flux-age-k8s-secret/age.yaml");
                client.resource(sealed("age", document)).create();
                Secret secret = await().atMost(Duration.ofSeconds(60)).until(
                        () -> client.secrets().inNamespace("apps").withName("age").get(), s -> s != null);
                assertThat(new String(Base64.getDecoder().decode(secret.getData().get("key")), StandardCharsets.UTF_8)).isEqualTo("value");

                client.resource(sealed("tampered", document.replace("name: age", "name: tampered"))).create();
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    SealedSecret s = client.resources(SealedSecret.class).inNamespace("apps").withName("tampered").get();
                    return s.getStatus() != null && Conditions.reason(s.getStatus().conditions, "Ready").map("MacMismatch"::equals).orElse(false);
                });
                assertThat(client.secrets().inNamespace("apps").withName("tampered").get()).isNull();
            } finally {
                operator.stop();
            }
        }
    }

    private static SealedSecret sealed(String name, String document) {
        SealedSecret sealed = new SealedSecret();
        sealed.getMetadata().setName(name);
        sealed.getMetadata().setNamespace("apps");
        sealed.setSpec(new SealedSecretSpec());
        sealed.getSpec().document = document;
        return sealed;
    }

    private static String resource(String path) throws Exception {
        try (InputStream in = K3sSealedSecretTest.class.getResourceAsStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
