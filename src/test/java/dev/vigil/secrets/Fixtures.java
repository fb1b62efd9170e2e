package dev.vigil.secrets;

import dev.vigil.sops.SopsEncryptor;
import dev.vigil.sops.SopsException;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Keys, documents and workloads for SealedSecret tests (also the process-level ones in dev.vigil.it). */
public final class Fixtures {

    public static final String MARKER = "c1ear" + UUID.randomUUID().toString().replace("-", "");
    public static final String AGE_DEV_IDENTITY = resource("/sops/keys/age-dev.txt");
    static final String AGE_DEV_RECIPIENT = "age1s8rzd46thnhta5dul2swfkdyggey2xkydqf6v8xuh2q6jp5vng9qu8zgf5";
    static final String AGE_DEV2_RECIPIENT = "age1zf4gxumnntgkg2zxp0cmc98kv54tg42e4e6x9359tckh7z76cekqyf33a4";

    private Fixtures() {
    }

    static String resource(String path) {
        try (InputStream in = Fixtures.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void installKey(KubernetesClient client, String namespace, String name, String entry, String keyText,
            String allowedNamespaces) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
                .createOr(r -> r.update());
        var builder = new SecretBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                .addToLabels(KeySecrets.LABEL, "true").endMetadata()
                .withData(Map.of(entry, Base64.getEncoder().encodeToString(keyText.getBytes(StandardCharsets.UTF_8))));
        if (allowedNamespaces != null) {
            builder.editMetadata().addToAnnotations(KeySecrets.ALLOWED_NAMESPACES, allowedNamespaces).endMetadata();
        }
        client.resource(builder.build()).createOr(r -> r.update());
    }

    /** A v1 Secret manifest bound to namespace/name, stringData encrypted for the dev age key. */
    public static String sealedManifest(String namespace, String name, Map<String, String> stringData) {
        return sealedManifestFor(AGE_DEV_RECIPIENT, namespace, name, stringData);
    }

    static String sealedManifestFor(String recipient, String namespace, String name, Map<String, String> stringData) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", name);
        metadata.put("namespace", namespace);
        metadata.put("labels", Map.of("app.kubernetes.io/part-of", "demo"));
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("apiVersion", "v1");
        manifest.put("kind", "Secret");
        manifest.put("metadata", metadata);
        manifest.put("stringData", new LinkedHashMap<>(stringData));
        try {
            return SopsEncryptor.encryptYaml(manifest, List.of(recipient), List.of(), "^(data|stringData)$", Clock.systemUTC());
        } catch (SopsException e) {
            throw new IllegalStateException(e);
        }
    }

    public static SealedSecret sealedSecret(String namespace, String name, String document) {
        SealedSecret sealed = new SealedSecret();
        sealed.getMetadata().setName(name);
        sealed.getMetadata().setNamespace(namespace);
        sealed.setSpec(new SealedSecretSpec());
        sealed.getSpec().document = document;
        return sealed;
    }

    public static Deployment deploymentUsing(String namespace, String name, String secretName) {
        return new DeploymentBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .withNewSpec()
                .withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate()
                .withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec()
                .addNewContainer().withName("app").withImage("example/app:1")
                .addNewEnvFrom().withNewSecretRef().withName(secretName).endSecretRef().endEnvFrom()
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }
}
