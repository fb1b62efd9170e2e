package dev.vigil.secrets;

import dev.vigil.kube.OperatorNamespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.HttpURLConnection;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * The per-installation HMAC key, created once in the operator's namespace and then reused. Losing it is
 * harmless: revisions change, but whether a Secret is written or a workload rolled is decided from the
 * data itself ({@link SecretWriter}).
 */
@ApplicationScoped
public class RevisionKey {

    static final String DATA_KEY = "hmac-key";

    private final KubernetesClient client;
    private final String namespace;
    private final String secretName;
    private volatile byte[] key;

    public RevisionKey(KubernetesClient client, OperatorNamespace namespace, SealedSecretSettings settings) {
        this.client = client;
        this.namespace = namespace.name();
        this.secretName = settings.revisionKeySecret();
    }

    public byte[] get() {
        byte[] current = key;
        if (current == null) {
            synchronized (this) {
                if (key == null) {
                    key = loadOrCreate();
                }
                current = key;
            }
        }
        return current;
    }

    private byte[] loadOrCreate() {
        var resource = client.secrets().inNamespace(namespace).withName(secretName);
        Secret existing = resource.get();
        if (existing != null) {
            return read(existing);
        }
        byte[] fresh = new byte[32];
        new SecureRandom().nextBytes(fresh);
        Secret secret = new SecretBuilder()
                .withNewMetadata().withName(secretName).withNamespace(namespace)
                .withLabels(Map.of("app.kubernetes.io/managed-by", "vigil")).endMetadata()
                .withData(Map.of(DATA_KEY, Base64.getEncoder().encodeToString(fresh)))
                .build();
        try {
            client.secrets().inNamespace(namespace).resource(secret).create();
            return fresh;
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
                return read(resource.get()); // another replica created it first
            }
            throw e;
        }
    }

    private byte[] read(Secret secret) {
        String encoded = secret.getData() == null ? null : secret.getData().get(DATA_KEY);
        if (encoded == null) {
            throw new InvalidKey("Secret " + namespace + "/" + secretName + " has no " + DATA_KEY + " entry");
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw new InvalidKey("the " + DATA_KEY + " entry of Secret " + namespace + "/" + secretName + " is not base64");
        }
        if (decoded.length < Revision.MIN_KEY_BYTES) {
            throw new InvalidKey("the " + DATA_KEY + " entry of Secret " + namespace + "/" + secretName + " holds "
                    + decoded.length + " bytes; at least " + Revision.MIN_KEY_BYTES + " random bytes are needed "
                    + "(delete the Secret and Vigil creates a new key)");
        }
        return decoded;
    }

    /** The revision key Secret exists but cannot serve as a key; the message says which and why, never the bytes. */
    public static final class InvalidKey extends IllegalStateException {
        InvalidKey(String message) {
            super(message);
        }
    }
}
