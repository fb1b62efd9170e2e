package dev.vigil.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeySecretsTest {

    @Test
    void keyWithoutAnnotationServesNoNamespace() {
        assertThat(KeySecrets.allows(key(null), "anything")).isFalse();
        assertThat(KeySecrets.allows(key(" "), "anything")).isFalse();
        assertThat(KeySecrets.keyringFor("anything", List.of(key(null))).unannotated()).containsExactly("k");
    }

    @Test
    void starServesEveryNamespaceAndIsUnrestricted() {
        assertThat(KeySecrets.allows(key("*"), "anything")).isTrue();
        assertThat(KeySecrets.restricted(key("*"))).isFalse();
        assertThat(KeySecrets.restricted(key("shop, *"))).isFalse();
        assertThat(KeySecrets.restricted(key("?*"))).isFalse();
        assertThat(KeySecrets.restricted(key("shop,shop-*"))).isTrue();
    }

    @Test
    void onlyTheLabelValueTrueMakesAKeySecret() {
        assertThat(KeySecrets.labelled(key("*"))).isTrue();
        Secret disabled = new SecretBuilder(key("*")).editMetadata().addToLabels(KeySecrets.LABEL, "false").endMetadata().build();
        assertThat(KeySecrets.labelled(disabled)).isFalse();
        Secret empty = new SecretBuilder(key("*")).editMetadata().addToLabels(KeySecrets.LABEL, "").endMetadata().build();
        assertThat(KeySecrets.labelled(empty)).isFalse();
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
        var builder = new SecretBuilder().withNewMetadata().withName("k").addToLabels(KeySecrets.LABEL, "true").endMetadata();
        if (allowed != null) {
            builder.editMetadata().addToAnnotations(KeySecrets.ALLOWED_NAMESPACES, allowed).endMetadata();
        }
        return builder.build();
    }
}
