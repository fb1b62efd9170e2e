package dev.vigil.secrets;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SecretTemplatesTest {

    static SecretPayload payload(String type) {
        return new SecretPayload(new TreeMap<>(), Optional.ofNullable(type), ScopeRules.Binding.NONE);
    }

    static SealedSecretSpec spec(String type, Map<String, String> labels, Map<String, String> annotations) {
        SealedSecretSpec spec = new SealedSecretSpec();
        spec.template = new SecretTemplate();
        spec.template.type = type;
        spec.template.labels = labels;
        spec.template.annotations = annotations;
        return spec;
    }

    @Test
    void theDocumentsOwnTypeIsCheckedToo() {
        assertThatThrownBy(() -> SecretTemplates.check(new SealedSecretSpec(), payload("kubernetes.io/service-account-token")))
                .isInstanceOf(PayloadException.class).hasMessageContaining("not allowed");
        assertThatThrownBy(() -> SecretTemplates.check(new SealedSecretSpec(), payload("bootstrap.kubernetes.io/token")))
                .isInstanceOf(PayloadException.class);
        assertThatCode(() -> SecretTemplates.check(new SealedSecretSpec(), payload(null))).doesNotThrowAnyException();
        assertThatCode(() -> SecretTemplates.check(new SealedSecretSpec(), payload("kubernetes.io/dockerconfigjson")))
                .doesNotThrowAnyException();
    }

    @Test
    void reservedDomainsAndTheirSubdomainsAreRefused() {
        for (String key : new String[] {"kubernetes.io/x", "app.kubernetes.io/managed-by", "k8s.io/x", "foo.k8s.io/y",
                "vigil.dev/decryption-key", "kubectl.kubernetes.io/last-applied-configuration"}) {
            assertThatThrownBy(() -> SecretTemplates.check(spec(null, Map.of(key, "v"), null), payload(null))).as(key)
                    .isInstanceOf(PayloadException.class);
            assertThatThrownBy(() -> SecretTemplates.check(spec(null, null, Map.of(key, "v")), payload(null))).as(key)
                    .isInstanceOf(PayloadException.class);
        }
        assertThatCode(() -> SecretTemplates.check(spec("Opaque", Map.of("app", "x", "notkubernetes.io/y", "z",
                "app.kubernetes.io/name", "web"),
                Map.of("example.com/k8s.io", "v")), payload(null))).doesNotThrowAnyException();
    }
}
