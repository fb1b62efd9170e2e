package dev.vigil.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import org.junit.jupiter.api.Test;

class KeySecretsTest {

    @Test
    void keyWithoutRestrictionServesEveryNamespace() {
        assertThat(KeySecrets.allows(key(null), "anything")).isTrue();
    }

    @Test
    void globsRestrictNamespaces() {
        Secret key = key("prod-*, billing,team-?");
        assertThat(KeySecrets.allows(key, "prod-eu")).isTrue();
        assertThat(KeySecrets.allows(key, "billing")).isTrue();
        assertThat(KeySecrets.allows(key, "team-a")).isTrue();
        assertThat(KeySecrets.allows(key, "team-ab")).isFalse();
        assertThat(KeySecrets.allows(key, "billing-dev")).isFalse();
        assertThat(KeySecrets.allows(key, "staging")).isFalse();
    }

    @Test
    void globMetacharactersOtherThanStarAndQuestionAreLiteral() {
        assertThat(KeySecrets.allows(key("a.b"), "a.b")).isTrue();
        assertThat(KeySecrets.allows(key("a.b"), "axb")).isFalse();
    }

    private static Secret key(String allowed) {
        var builder = new SecretBuilder().withNewMetadata().withName("k").endMetadata();
        if (allowed != null) {
            builder.editMetadata().addToAnnotations(KeySecrets.ALLOWED_NAMESPACES, allowed).endMetadata();
        }
        return builder.build();
    }
}
