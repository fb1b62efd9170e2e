package dev.vigil.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The namespace the operator runs in: where decryption keys and the revision key live and, by
 * default, the only namespace trusted to select Ingresses across namespaces.
 */
@ApplicationScoped
public class OperatorNamespace {

    private final String name;

    public OperatorNamespace(@ConfigProperty(name = "vigil.operator-namespace") Optional<String> configured,
            KubernetesClient client) {
        this.name = configured.filter(s -> !s.isBlank())
                .or(() -> Optional.ofNullable(client.getNamespace()))
                .orElse("default");
    }

    public String name() {
        return name;
    }
}
