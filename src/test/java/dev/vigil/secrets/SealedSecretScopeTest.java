package dev.vigil.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.kube.Conditions;
import dev.vigil.sops.SopsDecryptor;
import dev.vigil.sops.SopsFormat;
import dev.vigil.sops.SopsKeyring;
import dev.vigil.testsupport.Fixtures;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A tenant with create rights in one namespace, trying to get another team's committed document opened
 * into a Secret it can read. Each attack edits a sealed document the way an attacker would, checks that
 * the Sops MAC still verifies (so only the binding rules stand in the way), and asserts that no Secret
 * holding the cleartext appears in any namespace.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class SealedSecretScopeTest {

    static final String OPERATOR_NS = SealedSecretReconcilerTest.OPERATOR_NS;
    static final Duration WAIT = SealedSecretReconcilerTest.WAIT;

    @Inject
    KubernetesClient client;

    /** The attacker's namespace. */
    String ns;
    /** A value only the victim's document holds. */
    String secretValue;

    @BeforeEach
    void namespaces() {
        ns = "tenant-" + UUID.randomUUID().toString().substring(0, 8);
        secretValue = "victim-" + UUID.randomUUID();
        createNamespace(ns);
        // The usual install: one key Secret serving every namespace.
        Fixtures.installKey(client, OPERATOR_NS, "dev-keys", "dev.agekey", Fixtures.AGE_DEV_IDENTITY, "*");
    }

    @Test
    void renamedClearTextBindingKeysDoNotMakeACopyUnbound() throws Exception {
        // A plain-sops document of team "shop", binding in clear text, as committed to their repository.
        String victims = Fixtures.clearBindingManifest("shop", "db", Map.of("password", secretValue));
        // Rename the binding keys: keys are not in the MAC, so the document still verifies and now names no target.
        String attack = victims.replace("    namespace: shop\n", "    nsx: shop\n").replace("    name: db\n", "    nm: db\n");
        assertThat(attack).isNotEqualTo(victims);
        assertMacStillVerifies(attack);

        client.resource(Fixtures.sealedSecret(ns, "db", attack)).create();

        SealedSecret refused = awaitReason("db", "Unbound");
        assertThat(message(refused)).contains("dev-keys/dev.agekey").contains("allowed-namespaces");
        assertNoSecretAnywhereHolds(secretValue);
    }

    @Test
    void reSplitClearTextBindingValuesDoNotRetargetACopy() throws Exception {
        // name "db" + namespace "s-<tenant>" concatenate to "dbs-<tenant>": the MAC sees only that concatenation,
        // so "x: dbs-" + "namespace: <tenant>" verifies just the same and names the attacker's namespace.
        String victimNs = "s-" + ns;
        createNamespace(victimNs);
        String victims = Fixtures.clearBindingManifest(victimNs, "db", Map.of("password", secretValue));
        String attack = victims.replace("    name: db\n    namespace: " + victimNs + "\n", "    x: dbs-\n    namespace: " + ns + "\n");
        assertThat(attack).isNotEqualTo(victims);
        assertMacStillVerifies(attack);

        client.resource(Fixtures.sealedSecret(ns, "db", attack)).create();

        SealedSecret refused = awaitReason("db", "Unbound");
        assertThat(message(refused)).contains("metadata.namespace").contains("clear text");
        assertNoSecretAnywhereHolds(secretValue);
    }

    @Test
    void aCopyOfABoundDocumentIsRefusedInAnotherNamespace() {
        String victimNs = "shop-" + UUID.randomUUID().toString().substring(0, 8);
        createNamespace(victimNs);
        String victims = Fixtures.sealedManifest(victimNs, "db", Map.of("password", secretValue));
        assertThat(victims).doesNotContain("namespace: " + victimNs); // the binding is encrypted

        client.resource(Fixtures.sealedSecret(ns, "db", victims)).create();

        SealedSecret refused = awaitReason("db", "ScopeMismatch");
        assertThat(message(refused)).contains(ns).doesNotContain(victimNs);
        assertNoSecretAnywhereHolds(secretValue);
    }

    @Test
    void anUnboundDocumentOpensOnlyWhereItsRestrictedKeyServes() {
        // A key dedicated to one team, and an unbound document encrypted for it (e.g. a dotenv made with plain sops).
        Fixtures.installKey(client, OPERATOR_NS, "team-key", "team.agekey", Fixtures.resource("/sops/keys/age-isindir.txt"), ns);
        String unbound = Fixtures.unboundManifestFor(Fixtures.AGE_ISINDIR_RECIPIENT, Map.of("password", secretValue));
        String otherTenant = "other-" + UUID.randomUUID().toString().substring(0, 8);
        createNamespace(otherTenant);

        client.resource(Fixtures.sealedSecret(ns, "db", unbound)).create();
        client.resource(Fixtures.sealedSecret(otherTenant, "db", unbound)).create();

        awaitReason("db", "Decrypted");
        SealedSecret elsewhere = awaitReason(otherTenant, "db", "NoMatchingKey");
        assertThat(message(elsewhere)).doesNotContain(secretValue);
        assertThat(secretsHolding(secretValue)).extracting(s -> s.getMetadata().getNamespace() + "/" + s.getMetadata().getName())
                .containsExactly(ns + "/db");
    }

    @Test
    void anUnboundDocumentOpenedByAKeyServingEveryNamespaceIsRefused() {
        String unbound = Fixtures.unboundManifestFor(Fixtures.AGE_DEV_RECIPIENT, Map.of("password", secretValue));

        client.resource(Fixtures.sealedSecret(ns, "db", unbound)).create();

        SealedSecret refused = awaitReason("db", "Unbound");
        assertThat(message(refused)).contains("no namespace").contains("dev-keys/dev.agekey");
        assertNoSecretAnywhereHolds(secretValue);
    }

    @Test
    void aKeySecretWithoutTheAnnotationServesNoNamespace() {
        Fixtures.installKey(client, OPERATOR_NS, "forgotten", "dev2.agekey", Fixtures.resource("/sops/keys/age-dev-2.txt"), null);
        client.resource(Fixtures.sealedSecret(ns, "db",
                Fixtures.sealedManifestFor(Fixtures.AGE_DEV2_RECIPIENT, ns, "db", Map.of("password", secretValue)))).create();

        SealedSecret refused = awaitReason("db", "NoMatchingKey");
        assertThat(message(refused)).contains("forgotten").contains(KeySecrets.ALLOWED_NAMESPACES);
        assertNoSecretAnywhereHolds(secretValue);
    }

    private void assertMacStillVerifies(String document) throws Exception {
        SopsKeyring keys = SopsKeyring.empty().withAgeIdentities(Fixtures.AGE_DEV_IDENTITY, "dev");
        SopsDecryptor.decrypt(document.getBytes(StandardCharsets.UTF_8), SopsFormat.YAML, keys); // throws on a MAC mismatch
    }

    private void assertNoSecretAnywhereHolds(String value) {
        assertThat(secretsHolding(value)).as("Secrets holding the victim's cleartext").isEmpty();
    }

    private List<Secret> secretsHolding(String value) {
        return client.secrets().inAnyNamespace().list().getItems().stream()
                .filter(s -> s.getData() != null && s.getData().values().stream()
                        .anyMatch(v -> new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8).contains(value)))
                .toList();
    }

    private void createNamespace(String name) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
                .createOr(r -> r.update());
    }

    private SealedSecret awaitReason(String name, String reason) {
        return awaitReason(ns, name, reason);
    }

    private SealedSecret awaitReason(String namespace, String name, String reason) {
        return await().atMost(WAIT).until(() -> client.resources(SealedSecret.class).inNamespace(namespace).withName(name).get(),
                s -> s != null && s.getStatus() != null
                        && Conditions.reason(s.getStatus().conditions, "Ready").map(reason::equals).orElse(false)
                        && s.getMetadata().getGeneration().equals(s.getStatus().observedGeneration));
    }

    private static String message(SealedSecret sealed) {
        return Conditions.find(sealed.getStatus().conditions, "Ready").map(Condition::getMessage).orElseThrow();
    }
}
