package dev.vigil.testsupport;

import dev.vigil.secrets.KeySecrets;
import dev.vigil.secrets.ScopeRules;
import dev.vigil.secrets.SealedSecret;
import dev.vigil.secrets.SealedSecretSpec;
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
    public static final String AGE_DEV_RECIPIENT = "age1s8rzd46thnhta5dul2swfkdyggey2xkydqf6v8xuh2q6jp5vng9qu8zgf5";
    public static final String AGE_DEV2_RECIPIENT = "age1zf4gxumnntgkg2zxp0cmc98kv54tg42e4e6x9359tckh7z76cekqyf33a4";
    public static final String AGE_FLUX_RECIPIENT = "age1l44xcng8dqj32nlv6d930qvvrny05hglzcv9qpc7kxjc6902ma4qufys29";
    public static final String AGE_ISINDIR_RECIPIENT = "age1pnmp2nq5qx9z4lpmachyn2ld07xjumn98hpeq77e4glddu96zvms9nn7c8";

    private Fixtures() {
    }

    public static String resource(String path) {
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

    /** A v1 Secret manifest bound to namespace/name as {@code vigil seal} binds it, for the dev age key. */
    public static String sealedManifest(String namespace, String name, Map<String, String> stringData) {
        return sealedManifestFor(AGE_DEV_RECIPIENT, namespace, name, stringData);
    }

    /** As {@link #sealedManifest}, for another recipient. */
    public static String sealedManifestFor(String recipient, String namespace, String name, Map<String, String> stringData) {
        return encrypt(manifest(namespace, name, stringData), recipient, ScopeRules.BINDING_RECIPE_REGEX);
    }

    /** As {@link #sealedManifest}, its {@code sops.lastmodified} (and key stanzas) dated {@code at}: an old document. */
    public static String sealedManifestModifiedAt(java.time.Instant at, String namespace, String name,
            Map<String, String> stringData) {
        try {
            return SopsEncryptor.encryptYaml(manifest(namespace, name, stringData), List.of(AGE_DEV_RECIPIENT), List.of(),
                    ScopeRules.BINDING_RECIPE_REGEX, Clock.fixed(at, java.time.ZoneOffset.UTC));
        } catch (SopsException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The same manifest encrypted as plain sops users did before bindings had to be encrypted
     * ({@code --encrypted-regex '^(data|stringData)$'}): metadata.namespace/name stay in clear text.
     */
    public static String clearBindingManifest(String namespace, String name, Map<String, String> stringData) {
        return encrypt(manifest(namespace, name, stringData), AGE_DEV_RECIPIENT, "^(data|stringData)$");
    }

    /** A manifest without metadata.namespace/name: an unbound document. */
    public static String unboundManifestFor(String recipient, Map<String, String> stringData) {
        Map<String, Object> manifest = manifest(null, null, stringData);
        manifest.remove("metadata");
        return encrypt(manifest, recipient, ScopeRules.BINDING_RECIPE_REGEX);
    }

    public static String encrypt(Map<String, Object> tree, String recipient, String encryptedRegex) {
        try {
            return SopsEncryptor.encryptYaml(tree, List.of(recipient), List.of(), encryptedRegex, Clock.systemUTC());
        } catch (SopsException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> manifest(String namespace, String name, Map<String, String> stringData) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", name);
        metadata.put("namespace", namespace);
        metadata.put("labels", Map.of("app.kubernetes.io/part-of", "demo"));
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("apiVersion", "v1");
        manifest.put("kind", "Secret");
        manifest.put("metadata", metadata);
        manifest.put("stringData", new LinkedHashMap<>(stringData));
        return manifest;
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
