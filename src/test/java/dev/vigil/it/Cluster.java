package dev.vigil.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.secrets.SealedSecret;
import dev.vigil.testsupport.Fixtures;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;

/** What the process-level tests do to the API server directly, as a user with kubectl would. */
final class Cluster {

    static final Duration WAIT = Duration.ofSeconds(90);

    private final KubernetesClient client;

    Cluster(KubernetesClient client) {
        this.client = client;
        Fixtures.installKey(client, "vigil-system", "dev-keys", "dev.agekey", Fixtures.AGE_DEV_IDENTITY, "*");
    }

    KubernetesClient client() {
        return client;
    }

    void namespace(String name) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
                .createOr(r -> r.update());
    }

    /**
     * Creates or replaces the SealedSecret ns/name with a document holding these values. The edit races the
     * operator's status updates; a 409 Conflict means "read it again", as kubectl edit would, and is retried.
     */
    void seal(String ns, String name, Map<String, String> values) {
        SealedSecret sealed = Fixtures.sealedSecret(ns, name, Fixtures.sealedManifest(ns, name, values));
        var resource = client.resources(SealedSecret.class).inNamespace(ns).withName(name);
        if (resource.get() == null) {
            resource.create(sealed);
            return;
        }
        for (int attempt = 1; ; attempt++) {
            try {
                resource.edit(existing -> {
                    existing.getSpec().document = sealed.getSpec().document;
                    return existing;
                });
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt == CONFLICT_RETRIES) {
                    throw e;
                }
            }
        }
    }

    /** Edits retried on 409 Conflict before giving up. */
    static final int CONFLICT_RETRIES = 10;

    Secret secret(String ns, String name) {
        return client.secrets().inNamespace(ns).withName(name).get();
    }

    static String value(Secret secret, String key) {
        if (secret == null || secret.getData() == null || secret.getData().get(key) == null) {
            return null;
        }
        return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
    }

    void awaitValue(String ns, String name, String key, String expected) {
        Awaitility.await().atMost(WAIT).until(() -> expected.equals(value(secret(ns, name), key)));
    }

    /** Requests that change something: everything but GET (lists and watches included). */
    static List<String> writes(Relay relay) {
        return relay.requests().stream().filter(r -> !r.startsWith("GET ")).toList();
    }

    /** The marker value must appear in none of the texts (logs, metrics). */
    static void assertNoCleartext(String... texts) {
        for (String text : texts) {
            assertThat(text).doesNotContain(Fixtures.MARKER);
        }
    }
}
