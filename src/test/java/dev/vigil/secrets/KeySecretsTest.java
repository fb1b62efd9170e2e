package dev.vigil.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import dev.vigil.sops.DecryptedDocument;
import dev.vigil.sops.SopsDecryptor;
import dev.vigil.sops.SopsEncryptor;
import dev.vigil.sops.SopsFormat;
import dev.vigil.testsupport.Fixtures;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
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

    /**
     * A document sealed to an old and a new key, with the old key's Secret retiring and first by name: the current key
     * opens it, so it does not count as depending on the retiring key.
     */
    @Test
    void currentKeysAreTriedBeforeRetiringOnesOfTheSameScope() throws Exception {
        String document = SopsEncryptor.encryptYaml(Map.<String, Object>of("stringData", Map.of("k", "v")),
                List.of(HUMPHD_RECIPIENT, Fixtures.AGE_DEV_RECIPIENT), List.of(), "^stringData$", Clock.systemUTC());
        Secret retiring = keySecret("a-old", "old.agekey", Fixtures.resource("/sops/keys/age-humphd.txt"), true);
        Secret current = keySecret("b-new", "new.agekey", Fixtures.AGE_DEV_IDENTITY, false);

        KeySecrets.Served served = KeySecrets.keyringFor("team", List.of(retiring, current));
        DecryptedDocument opened = SopsDecryptor.decrypt(document.getBytes(StandardCharsets.UTF_8), SopsFormat.YAML, served.keyring());

        assertThat(opened.keySources()).containsExactly("b-new/new.agekey");
        assertThat(opened.openedBy()).isEqualTo(Fixtures.AGE_DEV_RECIPIENT);
        assertThat(served.retiringSources()).containsExactly("a-old/old.agekey");
    }

    /** Every key held is listed, serving a namespace or not; a key is retiring only when all its key Secrets are. */
    @Test
    void inventoryListsEveryKeyAndWhetherItIsRetiring() {
        Secret retiring = keySecret("a-old", "old.agekey", Fixtures.resource("/sops/keys/age-humphd.txt"), true);
        Secret devRetiring = keySecret("c-dev-old", "dev.agekey", Fixtures.AGE_DEV_IDENTITY, true);
        Secret devCurrent = keySecret("d-dev", "dev.agekey", Fixtures.AGE_DEV_IDENTITY, false);
        Secret unannotated = new SecretBuilder(keySecret("e-idle", "idle.agekey", Fixtures.resource("/sops/keys/age-dev-2.txt"), false))
                .editMetadata().removeFromAnnotations(KeySecrets.ALLOWED_NAMESPACES).endMetadata().build();
        Secret notAKey = new SecretBuilder(keySecret("f-off", "x.agekey", Fixtures.resource("/sops/keys/age-isindir.txt"), true))
                .editMetadata().addToLabels(KeySecrets.LABEL, "false").endMetadata().build();

        assertThat(KeySecrets.inventory(List.of(retiring, devRetiring, devCurrent, unannotated, notAKey))).isEqualTo(Map.of(
                HUMPHD_RECIPIENT, true, Fixtures.AGE_DEV_RECIPIENT, false, Fixtures.AGE_DEV2_RECIPIENT, false));
    }

    static final String HUMPHD_RECIPIENT = "age1je6kjhzuhdjy3fqptpttxjh5k8q46vygzlgtpuq3030c947pc5tqz9dqvr";

    private static Secret keySecret(String name, String entry, String identity, boolean retiring) {
        var builder = new SecretBuilder().withNewMetadata().withName(name).addToLabels(KeySecrets.LABEL, "true")
                .addToAnnotations(KeySecrets.ALLOWED_NAMESPACES, "*").endMetadata()
                .withData(Map.of(entry, Base64.getEncoder().encodeToString(identity.getBytes(StandardCharsets.UTF_8))));
        if (retiring) {
            builder.editMetadata().addToLabels(KeySecrets.RETIRING_LABEL, "true").endMetadata();
        }
        return builder.build();
    }

    private static Secret key(String allowed) {
        var builder = new SecretBuilder().withNewMetadata().withName("k").addToLabels(KeySecrets.LABEL, "true").endMetadata();
        if (allowed != null) {
            builder.editMetadata().addToAnnotations(KeySecrets.ALLOWED_NAMESPACES, allowed).endMetadata();
        }
        return builder.build();
    }
}
