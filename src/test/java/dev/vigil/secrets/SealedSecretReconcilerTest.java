package dev.vigil.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.kube.Conditions;
import dev.vigil.testsupport.Fixtures;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The SealedSecret flow end to end against the Fabric8 mock API server (CRUD mode), with documents
 * made by real sops/age (fixtures) and by Vigil's own encryptor (for controlled cleartext).
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class SealedSecretReconcilerTest {

    static final String OPERATOR_NS = "vigil-system";
    static final Duration WAIT = Duration.ofSeconds(20);
    static final LogCapture LOGS = new LogCapture();

    @Inject
    KubernetesClient client;

    @Inject
    io.micrometer.core.instrument.MeterRegistry registry;

    @Inject
    SealedSecretSettings settings;

    @Inject
    io.javaoperatorsdk.operator.Operator operator;

    @Inject
    dev.vigil.kube.OperatorNamespace operatorNamespace;

    @ConfigProperty(name = "quarkus.http.test-port", defaultValue = "8081")
    int httpPort;

    String ns;

    @BeforeAll
    static void captureLogs() {
        LOGS.install();
    }

    @AfterAll
    static void releaseLogs() {
        LOGS.uninstall();
    }

    @BeforeEach
    void namespace() {
        ns = "team-" + UUID.randomUUID().toString().substring(0, 8);
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
                .createOr(r -> r.update());
        Fixtures.installKey(client, OPERATOR_NS, "dev-keys", "dev.agekey", Fixtures.AGE_DEV_IDENTITY, "*");
    }

    @Test
    void createsSecretWithDataAndOwnerReference() {
        String doc = Fixtures.sealedManifest(ns, "app-creds", Map.of("password", "pw-" + Fixtures.MARKER));
        var sealed = client.resource(Fixtures.sealedSecret(ns, "app-creds", doc)).create();

        Secret secret = awaitSecret("app-creds");
        assertThat(decoded(secret, "password")).isEqualTo("pw-" + Fixtures.MARKER);
        assertThat(secret.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(ref -> assertThat(ref.getUid()).isEqualTo(sealed.getMetadata().getUid()));
        assertThat(secret.getMetadata().getAnnotations()).containsKey(SecretWriter.REVISION_ANNOTATION);
        assertThat(secret.getMetadata().getAnnotations().get(SecretWriter.REVISION_ANNOTATION)).hasSize(64);

        SealedSecret done = awaitReason("app-creds", "Decrypted");
        assertThat(done.getStatus().dataKeys).containsExactly("password");
        assertThat(done.getStatus().openedBy).isEqualTo(Fixtures.AGE_DEV_RECIPIENT);
        assertThat(done.getStatus().secretName).isEqualTo("app-creds");
        assertThat(done.getStatus().observedGeneration).isEqualTo(done.getMetadata().getGeneration());
        assertThat(done.getStatus().lastSuccessTime).isNotBlank();
    }

    @Test
    void genuineSopsFixtureDecryptsIntoItsSecret() {
        // Flux's age-encrypted Secret manifest, made by real sops; it names itself "age" in clear text, so it is
        // unbound and opens only with a key Secret restricted to the namespaces it may go to.
        Fixtures.installKey(client, OPERATOR_NS, "flux-keys", "flux.agekey", Fixtures.resource("/sops/keys/age-flux.txt"), ns);
        client.resource(Fixtures.sealedSecret(ns, "age",
                Fixtures.resource("/sops/cases/u14-flux-age-k8s-secret/age.yaml"))).create();
        Secret secret = awaitSecret("age");
        assertThat(decoded(secret, "key")).isEqualTo("value");
    }

    @Test
    void cleartextChangeUpdatesSecretAndRollsWorkload() {
        client.resource(Fixtures.sealedSecret(ns, "db", Fixtures.sealedManifest(ns, "db", Map.of("user", "u1")))).create();
        awaitSecret("db");
        client.resource(Fixtures.deploymentUsing(ns, "web", "db")).create();
        client.resource(Fixtures.deploymentUsing(ns, "unrelated", "other-secret")).create();

        update("db", Fixtures.sealedManifest(ns, "db", Map.of("user", "u2")));

        await().atMost(WAIT).until(() -> "u2".equals(decoded(client.secrets().inNamespace(ns).withName("db").get(), "user")));
        String revision = client.secrets().inNamespace(ns).withName("db").get().getMetadata().getAnnotations()
                .get(SecretWriter.REVISION_ANNOTATION);
        await().atMost(WAIT).untilAsserted(() -> assertThat(templateAnnotations("web"))
                .containsEntry("db.secrets.vigil.dev/revision", revision));
        assertThat(templateAnnotations("unrelated")).doesNotContainKey("db.secrets.vigil.dev/revision");
    }

    @Test
    void reEncryptedSameCleartextChangesNothing() {
        Map<String, String> data = Map.of("token", "t-" + Fixtures.MARKER);
        client.resource(Fixtures.sealedSecret(ns, "tok", Fixtures.sealedManifest(ns, "tok", data))).create();
        Secret first = awaitSecret("tok");
        awaitReason("tok", "Decrypted");
        client.resource(Fixtures.deploymentUsing(ns, "api", "tok")).create();

        String reEncrypted = Fixtures.sealedManifest(ns, "tok", data);
        SealedSecret updated = update("tok", reEncrypted);
        awaitObserved("tok", updated.getMetadata().getGeneration());

        Secret after = client.secrets().inNamespace(ns).withName("tok").get();
        assertThat(after.getMetadata().getResourceVersion()).isEqualTo(first.getMetadata().getResourceVersion());
        assertThat(templateAnnotations("api")).doesNotContainKey("tok.secrets.vigil.dev/revision");
    }

    @Test
    void losingTheRevisionKeyRewritesNoSecretAndRollsNothing() throws Exception {
        client.resource(Fixtures.sealedSecret(ns, "kept", Fixtures.sealedManifest(ns, "kept", Map.of("user", "u1")))).create();
        awaitSecret("kept");
        client.resource(Fixtures.deploymentUsing(ns, "app", "kept")).create();
        update("kept", Fixtures.sealedManifest(ns, "kept", Map.of("user", "u2")));
        await().atMost(WAIT).until(() -> templateAnnotations("app").containsKey("kept.secrets.vigil.dev/revision"));
        awaitReason("kept", "Decrypted");
        Secret before = client.secrets().inNamespace(ns).withName("kept").get();
        Map<String, String> templateBefore = templateAnnotations("app");
        String oldKey = client.secrets().inNamespace(OPERATOR_NS).withName(settings.revisionKeySecret()).get()
                .getData().get(RevisionKey.DATA_KEY);

        // The revision key Secret is lost; the next operator process starts with a new key.
        client.secrets().inNamespace(OPERATOR_NS).withName(settings.revisionKeySecret()).delete();
        await().atMost(WAIT).until(() -> client.secrets().inNamespace(OPERATOR_NS).withName(settings.revisionKeySecret()).get() == null);
        SecretWriter restarted = new SecretWriter(client, new RevisionKey(client, operatorNamespace, settings));
        SealedSecret sealed = client.resources(SealedSecret.class).inNamespace(ns).withName("kept").get();
        var document = dev.vigil.sops.SopsDecryptor.decrypt(sealed.getSpec().document.getBytes(StandardCharsets.UTF_8),
                dev.vigil.sops.SopsFormat.YAML, dev.vigil.sops.SopsKeyring.empty().withAgeIdentities(Fixtures.AGE_DEV_IDENTITY, "dev"));
        SecretWriter.Result result = restarted.write(sealed, SecretPayloads.from(document, null));

        assertThat(client.secrets().inNamespace(OPERATOR_NS).withName(settings.revisionKeySecret()).get()
                .getData().get(RevisionKey.DATA_KEY)).as("a new key was made").isNotEqualTo(oldKey);
        assertThat(result.revision()).isNotEqualTo(before.getMetadata().getAnnotations().get(SecretWriter.REVISION_ANNOTATION));
        assertThat(result.changed()).isFalse();
        assertThat(result.rolledWorkloads()).isEmpty();
        Secret after = client.secrets().inNamespace(ns).withName("kept").get();
        assertThat(after.getMetadata().getResourceVersion()).isEqualTo(before.getMetadata().getResourceVersion());
        assertThat(templateAnnotations("app")).isEqualTo(templateBefore);
    }

    @Test
    @SuppressWarnings("unchecked")
    void managedSecretsAreCachedWithoutTheirData() {
        client.resource(Fixtures.sealedSecret(ns, "cached", Fixtures.sealedManifest(ns, "cached", Map.of("pin", "1234")))).create();
        awaitSecret("cached");
        awaitReason("cached", "Decrypted");
        var controller = (io.javaoperatorsdk.operator.processing.Controller<SealedSecret>) operator.getRegisteredController("sealedsecret")
                .orElseThrow();
        var managed = (io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource<Secret, SealedSecret>)
                controller.getEventSourceManager().getEventSourceFor(Secret.class, SealedSecretReconciler.MANAGED_SOURCE);
        await().atMost(WAIT).until(() -> managed.get(new io.javaoperatorsdk.operator.processing.event.ResourceID("cached", ns)).isPresent());
        assertThat(managed.list().toList()).isNotEmpty().allSatisfy(s -> {
            assertThat(s.getData()).isNull();
            assertThat(s.getStringData()).isNull();
        });
        assertThat(managed.get(new io.javaoperatorsdk.operator.processing.event.ResourceID("cached", ns)).orElseThrow()
                .getMetadata().getAnnotations()).containsKey(SecretWriter.REVISION_ANNOTATION);
    }

    @Test
    void statusAndEventsCarryNoRevision() {
        client.resource(Fixtures.sealedSecret(ns, "quiet", Fixtures.sealedManifest(ns, "quiet", Map.of("pin", "1234")))).create();
        String revision = awaitSecret("quiet").getMetadata().getAnnotations().get(SecretWriter.REVISION_ANNOTATION);
        SealedSecret done = awaitReason("quiet", "Decrypted");
        assertThat(Conditions.find(done.getStatus().conditions, "Ready").map(Condition::getMessage).orElseThrow())
                .doesNotContain(revision.substring(0, 12)).doesNotContain("revision");
        await().atMost(WAIT).until(() -> !events("quiet").isEmpty());
        assertThat(events("quiet")).allSatisfy(e -> assertThat(e.getMessage()).doesNotContain(revision.substring(0, 12)));
    }

    @Test
    void tamperedDocumentKeepsTheLastGoodSecret() {
        String good = Fixtures.sealedManifest(ns, "pay", Map.of("key", "k-" + Fixtures.MARKER));
        client.resource(Fixtures.sealedSecret(ns, "pay", good)).create();
        Secret before = awaitSecret("pay");
        awaitReason("pay", "Decrypted");

        // Flip a MAC-protected clear value: the document still parses and decrypts, but the MAC no longer matches.
        update("pay", good.replace("app.kubernetes.io/part-of: demo", "app.kubernetes.io/part-of: evil"));

        SealedSecret failed = awaitReason("pay", "MacMismatch");
        assertThat(Conditions.isTrue(failed.getStatus().conditions, "Ready")).isFalse();
        Secret after = client.secrets().inNamespace(ns).withName("pay").get();
        assertThat(after.getData()).isEqualTo(before.getData());
        assertThat(after.getMetadata().getResourceVersion()).isEqualTo(before.getMetadata().getResourceVersion());
        await().atMost(WAIT).until(() -> events("pay").stream()
                .anyMatch(e -> "Warning".equals(e.getType()) && "MacMismatch".equals(e.getReason())));
    }

    @Test
    void keyAddedLaterRecoversWithoutRestart() {
        String doc = Fixtures.sealedManifestFor(Fixtures.AGE_DEV2_RECIPIENT, ns, "late", Map.of("a", "b"));
        client.resource(Fixtures.sealedSecret(ns, "late", doc)).create();
        awaitReason("late", "NoMatchingKey");
        assertThat(client.secrets().inNamespace(ns).withName("late").get()).isNull();

        Fixtures.installKey(client, OPERATOR_NS, "dev2-keys", "dev2.agekey", Fixtures.resource("/sops/keys/age-dev-2.txt"), "*");

        awaitReason("late", "Decrypted");
        assertThat(decoded(awaitSecret("late"), "a")).isEqualTo("b");
    }

    @Test
    void keyRestrictedToOtherNamespacesIsNotUsed() {
        Fixtures.installKey(client, OPERATOR_NS, "dev2-restricted", "dev2.agekey",
                Fixtures.resource("/sops/keys/age-dev-2.txt"), "prod-*, billing");
        client.resource(Fixtures.sealedSecret(ns, "r",
                Fixtures.sealedManifestFor(Fixtures.AGE_DEV2_RECIPIENT, ns, "r", Map.of("a", "b")))).create();
        awaitReason("r", "NoMatchingKey");
    }

    @Test
    void copyIntoAnotherNamespaceIsRefused() {
        String boundElsewhere = Fixtures.sealedManifest("some-other-ns", "creds", Map.of("a", "b"));
        client.resource(Fixtures.sealedSecret(ns, "creds", boundElsewhere)).create();
        SealedSecret refused = awaitReason("creds", "ScopeMismatch");
        // The binding is encrypted, so the message names only this SealedSecret's own namespace.
        assertThat(Conditions.find(refused.getStatus().conditions, "Ready").map(Condition::getMessage).orElseThrow())
                .contains(ns).doesNotContain("some-other-ns");
        assertThat(client.secrets().inNamespace(ns).withName("creds").get()).isNull();
    }

    @Test
    void aTemplateCannotMintAServiceAccountTokenOrSetKubernetesKeys() {
        // With type service-account-token and this annotation, the token controller would fill the Secret with a
        // token of a ServiceAccount the tenant chose, written by Vigil's rights rather than the tenant's.
        SealedSecret token = Fixtures.sealedSecret(ns, "token", Fixtures.sealedManifest(ns, "token", Map.of("a", "b")));
        token.getSpec().template = new SecretTemplate();
        token.getSpec().template.type = "kubernetes.io/service-account-token";
        token.getSpec().template.annotations = Map.of("kubernetes.io/service-account.name", "admin");
        client.resource(token).create();
        SealedSecret refused = awaitReason("token", "TemplateRefused");
        assertThat(Conditions.find(refused.getStatus().conditions, "Ready").map(Condition::getMessage).orElseThrow())
                .contains("kubernetes.io/service-account-token");

        SealedSecret annotated = Fixtures.sealedSecret(ns, "annotated", Fixtures.sealedManifest(ns, "annotated", Map.of("a", "b")));
        annotated.getSpec().template = new SecretTemplate();
        annotated.getSpec().template.annotations = Map.of("kubernetes.io/service-account.name", "admin");
        client.resource(annotated).create();
        awaitReason("annotated", "TemplateRefused");

        SealedSecret labelled = Fixtures.sealedSecret(ns, "labelled", Fixtures.sealedManifest(ns, "labelled", Map.of("a", "b")));
        labelled.getSpec().template = new SecretTemplate();
        labelled.getSpec().template.labels = Map.of("node-role.kubernetes.io/control-plane", "");
        client.resource(labelled).create();
        awaitReason("labelled", "TemplateRefused");

        assertThat(client.secrets().inNamespace(ns).list().getItems()).extracting(s -> s.getMetadata().getName())
                .doesNotContain("token", "annotated", "labelled");
    }

    @Test
    void aTemplateMayUseOrdinaryTypesLabelsAndAnnotations() {
        SealedSecret tls = Fixtures.sealedSecret(ns, "web-tls", Fixtures.sealedManifest(ns, "web-tls",
                Map.of("tls.crt", "CERT", "tls.key", "KEY")));
        tls.getSpec().template = new SecretTemplate();
        tls.getSpec().template.type = "kubernetes.io/tls";
        tls.getSpec().template.labels = Map.of("app", "web");
        tls.getSpec().template.annotations = Map.of("example.com/owner", "team-web");
        client.resource(tls).create();
        Secret secret = awaitSecret("web-tls");
        assertThat(secret.getType()).isEqualTo("kubernetes.io/tls");
        assertThat(secret.getMetadata().getLabels()).containsEntry("app", "web");
    }

    @Test
    void unmanagedSecretIsNotOverwrittenUntilAdopted() {
        client.resource(new SecretBuilder().withNewMetadata().withName("legacy").withNamespace(ns).endMetadata()
                .withStringData(Map.of("old", "value")).build()).create();
        client.resource(Fixtures.sealedSecret(ns, "legacy", Fixtures.sealedManifest(ns, "legacy", Map.of("new", "v")))).create();
        awaitReason("legacy", "SecretNotOwned");
        assertThat(client.secrets().inNamespace(ns).withName("legacy").get().getData()).doesNotContainKey("new");

        client.secrets().inNamespace(ns).withName("legacy")
                .edit(s -> new SecretBuilder(s).editMetadata().addToAnnotations(SecretWriter.ADOPT_ANNOTATION, "true").endMetadata().build());
        // The Secret is not labelled as ours yet, so a change of the SealedSecret triggers the retry.
        touch("legacy");

        awaitReason("legacy", "Decrypted");
        Secret adopted = client.secrets().inNamespace(ns).withName("legacy").get();
        assertThat(decoded(adopted, "new")).isEqualTo("v");
        assertThat(adopted.getMetadata().getOwnerReferences()).hasSize(1);
    }

    /** Nothing reconciles a deleted SealedSecret: the deletion sweep drops its series. */
    @Test
    void aDeletedSealedSecretLeavesNoSeriesBehind() {
        client.resource(Fixtures.sealedSecret(ns, "short-lived", Fixtures.sealedManifest(ns, "short-lived", Map.of("k", "v")))).create();
        awaitReason("short-lived", "Decrypted");
        await().atMost(WAIT).until(() -> readySeries("short-lived") == 1);
        client.resources(SealedSecret.class).inNamespace(ns).withName("short-lived").delete();
        await().atMost(WAIT).until(() -> readySeries("short-lived") == 0);
    }

    long readySeries(String name) {
        return registry.find("vigil.sealedsecret.ready").tags("namespace", ns, "name", name).gauges().size();
    }

    @Test
    void deletedSecretIsRecreated() {
        client.resource(Fixtures.sealedSecret(ns, "gone", Fixtures.sealedManifest(ns, "gone", Map.of("k", "v")))).create();
        awaitSecret("gone");
        client.secrets().inNamespace(ns).withName("gone").delete();
        await().atMost(WAIT).until(() -> client.secrets().inNamespace(ns).withName("gone").get() != null);
    }

    @Test
    void noCleartextInLogsEventsStatusOrMetrics() throws Exception {
        String marker = "leak-" + Fixtures.MARKER;
        client.resource(Fixtures.sealedSecret(ns, "m1", Fixtures.sealedManifest(ns, "m1", Map.of("v", marker)))).create();
        client.resource(Fixtures.sealedSecret(ns, "m2", Fixtures.sealedManifest("elsewhere", "m2", Map.of("v", marker)))).create();
        String tampered = Fixtures.sealedManifest(ns, "m3", Map.of("v", marker))
                .replace("app.kubernetes.io/part-of: demo", "app.kubernetes.io/part-of: x");
        client.resource(Fixtures.sealedSecret(ns, "m3", tampered)).create();
        awaitReason("m1", "Decrypted");
        awaitReason("m2", "ScopeMismatch");
        awaitReason("m3", "MacMismatch");

        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + "/q/metrics"))
                .header("Accept", "text/plain").build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("vigil_sealedsecret_decryptions_total").contains("vigil_sealedsecret_ready");
        assertThat(metrics).doesNotContain(marker);
        assertThat(LOGS.text()).contains("m2").doesNotContain(marker);
        for (String name : List.of("m1", "m2", "m3")) {
            assertThat(client.resources(SealedSecret.class).inNamespace(ns).withName(name).get().getStatus().toString()
                    + String.valueOf(client.resources(SealedSecret.class).inNamespace(ns).withName(name).get().getStatus().conditions))
                    .doesNotContain(marker);
        }
        assertThat(events(null)).isNotEmpty().allSatisfy(e -> assertThat(e.getMessage()).doesNotContain(marker));
    }

    @Test
    void rekeyedDocumentRewritesNoSecretAndMovesTheKeyInventory(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        String newIdentity = Fixtures.resource("/sops/keys/age-dev-2.txt");
        String newRecipient = newIdentity.replaceAll("(?s).*# public key: (age1[0-9a-z]+).*", "$1");
        Fixtures.installKey(client, OPERATOR_NS, "rotation-keys", "next.agekey", newIdentity, null);
        Map<String, String> data = Map.of("token", "rot-" + Fixtures.MARKER);
        String document = Fixtures.sealedManifest(ns, "rot", data);
        client.resource(Fixtures.sealedSecret(ns, "rot", document)).create();
        client.resource(Fixtures.deploymentUsing(ns, "worker", "rot")).create();
        Secret before = awaitSecret("rot");
        awaitReason("rot", "Decrypted");
        double oldKeyBefore = await().atMost(WAIT).until(() -> keyInventory(Fixtures.AGE_DEV_RECIPIENT), v -> v >= 1);
        double newKeyBefore = keyInventory(newRecipient);

        // The user's path: the committed manifest is rekeyed in place by the CLI, then applied.
        java.nio.file.Path manifest = java.nio.file.Files.writeString(dir.resolve("rot.yaml"), "apiVersion: vigil.dev/v1alpha1\n"
                + "kind: SealedSecret\nmetadata:\n  name: rot\n  namespace: " + ns + "\nspec:\n  document: |\n"
                + document.indent(4));
        java.nio.file.Path oldKey = java.nio.file.Files.writeString(dir.resolve("old.txt"), Fixtures.AGE_DEV_IDENTITY);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int code = dev.vigil.cli.Cli.run(new String[] {"rekey", "--key", oldKey.toString(), "--add", newRecipient, "--remove",
                Fixtures.AGE_DEV_RECIPIENT, manifest.toString()}, new java.io.PrintStream(out, true), new java.io.PrintStream(out, true));
        assertThat(code).as(out.toString()).isZero();
        String rekeyed = (String) ((Map<?, ?>) ((Map<?, ?>) new org.yaml.snakeyaml.Yaml().load(
                java.nio.file.Files.readString(manifest))).get("spec")).get("document");
        assertThat(rekeyed).isNotEqualTo(document).contains(newRecipient).doesNotContain(Fixtures.AGE_DEV_RECIPIENT);
        SealedSecret updated = update("rot", rekeyed);
        awaitObserved("rot", updated.getMetadata().getGeneration());

        SealedSecret status = client.resources(SealedSecret.class).inNamespace(ns).withName("rot").get();
        assertThat(status.getStatus().openedBy).isEqualTo(newRecipient);
        Secret after = client.secrets().inNamespace(ns).withName("rot").get();
        assertThat(after.getMetadata().getResourceVersion()).isEqualTo(before.getMetadata().getResourceVersion());
        assertThat(templateAnnotations("worker")).doesNotContainKey("rot.secrets.vigil.dev/revision");
        assertThat(keyInventory(Fixtures.AGE_DEV_RECIPIENT)).isEqualTo(oldKeyBefore - 1);
        assertThat(keyInventory(newRecipient)).isEqualTo(newKeyBefore + 1);
    }

    /**
     * An admin marks the old key Secret retiring: the SealedSecret it still opens says so (condition, one Warning
     * Event), the key's inventory row turns retiring="true" with its count, a retiring key that opens nothing is a
     * row at 0, and re-encrypting to a current key clears the condition and leaves the retiring row at 0.
     */
    @Test
    void aRetiringKeyIsReportedUntilNoSealedSecretDependsOnIt() throws Exception {
        String oldRecipient = KeySecretsTest.HUMPHD_RECIPIENT;
        String oldKeys = "old-keys-" + ns;
        Fixtures.installKey(client, OPERATOR_NS, oldKeys, "old.agekey", Fixtures.resource("/sops/keys/age-humphd.txt"), ns);
        Map<String, String> data = Map.of("token", "ret-" + Fixtures.MARKER);
        client.resource(Fixtures.sealedSecret(ns, "legacy", Fixtures.sealedManifestFor(oldRecipient, ns, "legacy", data))).create();
        SealedSecret current = awaitReason("legacy", "Decrypted");
        assertThat(Conditions.find(current.getStatus().conditions, SealedSecretReconciler.KEY_RETIRING))
                .hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("False"));
        await().atMost(WAIT).until(() -> keyRow(oldRecipient, "false"), v -> v.equals(Optional.of(1.0)));

        client.secrets().inNamespace(OPERATOR_NS).withName(oldKeys).edit(k -> new SecretBuilder(k).editMetadata()
                .addToLabels(KeySecrets.RETIRING_LABEL, "true").endMetadata().build());
        Fixtures.installKey(client, OPERATOR_NS, "idle-" + ns, "idle.agekey", Fixtures.resource("/sops/keys/age-isindir.txt"), "nowhere");
        client.secrets().inNamespace(OPERATOR_NS).withName("idle-" + ns).edit(k -> new SecretBuilder(k).editMetadata()
                .addToLabels(KeySecrets.RETIRING_LABEL, "true").endMetadata().build());

        SealedSecret retiring = await().atMost(WAIT).until(() -> client.resources(SealedSecret.class).inNamespace(ns)
                .withName("legacy").get(), s -> Conditions.isTrue(s.getStatus().conditions, SealedSecretReconciler.KEY_RETIRING));
        Condition condition = Conditions.find(retiring.getStatus().conditions, SealedSecretReconciler.KEY_RETIRING).orElseThrow();
        assertThat(condition.getReason()).isEqualTo("RetiringKey");
        assertThat(condition.getMessage()).contains(oldRecipient, oldKeys, KeySecrets.RETIRING_LABEL).doesNotContain(Fixtures.MARKER);
        assertThat(Conditions.isTrue(retiring.getStatus().conditions, "Ready")).isTrue();
        await().atMost(WAIT).until(() -> events("legacy").stream().filter(e -> "RetiringKey".equals(e.getReason())).toList(),
                list -> list.size() == 1 && "Warning".equals(list.get(0).getType()));
        await().atMost(WAIT).until(() -> keyRow(oldRecipient, "true"), v -> v.equals(Optional.of(1.0)));
        assertThat(keyRow(oldRecipient, "false")).isEmpty();
        await().atMost(WAIT).until(() -> keyRow(Fixtures.AGE_ISINDIR_RECIPIENT, "true"), v -> v.equals(Optional.of(0.0)));

        update("legacy", Fixtures.sealedManifest(ns, "legacy", data));
        await().atMost(WAIT).until(() -> client.resources(SealedSecret.class).inNamespace(ns).withName("legacy").get(),
                s -> Conditions.reason(s.getStatus().conditions, SealedSecretReconciler.KEY_RETIRING).equals(Optional.of("CurrentKey")));
        await().atMost(WAIT).until(() -> keyRow(oldRecipient, "true"), v -> v.equals(Optional.of(0.0)));
        assertThat(events("legacy").stream().filter(e -> "RetiringKey".equals(e.getReason()))).hasSize(1);
    }

    /** The vigil_decryption_key_sealedsecrets row of one key with the given retiring label, empty when absent. */
    private Optional<Double> keyRow(String key, String retiring) throws Exception {
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + "/q/metrics"))
                .header("Accept", "text/plain").build(), HttpResponse.BodyHandlers.ofString()).body();
        return metrics.lines().filter(l -> l.startsWith("vigil_decryption_key_sealedsecrets{") && l.contains("key=\"" + key + "\"")
                        && l.contains("retiring=\"" + retiring + "\""))
                .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst();
    }

    /** vigil_decryption_key_sealedsecrets for one key, 0 when the series is absent. */
    private double keyInventory(String key) throws Exception {
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + "/q/metrics"))
                .header("Accept", "text/plain").build(), HttpResponse.BodyHandlers.ofString()).body();
        return metrics.lines().filter(l -> l.startsWith("vigil_decryption_key_sealedsecrets{") && l.contains("key=\"" + key + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(0);
    }

    private SealedSecret update(String name, String document) {
        // edit() is optimistic: when the operator's status write lands between its read and its write, read again.
        return await().atMost(WAIT).ignoreExceptionsMatching(e -> e instanceof KubernetesClientException k && k.getCode() == 409)
                .until(() -> client.resources(SealedSecret.class).inNamespace(ns).withName(name).edit(s -> {
                    s.getSpec().document = document;
                    return s;
                }), s -> true);
    }

    private void touch(String name) {
        client.resources(SealedSecret.class).inNamespace(ns).withName(name).edit(s -> {
            s.getSpec().rollout = Boolean.TRUE;
            return s;
        });
    }

    private Secret awaitSecret(String name) {
        return await().atMost(WAIT).until(() -> client.secrets().inNamespace(ns).withName(name).get(), s -> s != null);
    }

    private SealedSecret awaitReason(String name, String reason) {
        return await().atMost(WAIT).until(() -> client.resources(SealedSecret.class).inNamespace(ns).withName(name).get(),
                s -> s != null && s.getStatus() != null
                        && Conditions.reason(s.getStatus().conditions, "Ready").map(reason::equals).orElse(false)
                        && s.getMetadata().getGeneration().equals(s.getStatus().observedGeneration));
    }

    private void awaitObserved(String name, Long generation) {
        await().atMost(WAIT).until(() -> client.resources(SealedSecret.class).inNamespace(ns).withName(name).get(),
                s -> s.getStatus() != null && generation.equals(s.getStatus().observedGeneration));
    }

    private Map<String, String> templateAnnotations(String deployment) {
        Deployment d = client.apps().deployments().inNamespace(ns).withName(deployment).get();
        return Optional.ofNullable(d.getSpec().getTemplate().getMetadata().getAnnotations()).orElse(Map.of());
    }

    private List<Event> events(String involvedName) {
        return client.v1().events().inNamespace(ns).list().getItems().stream()
                .filter(e -> involvedName == null || involvedName.equals(e.getInvolvedObject().getName()))
                .toList();
    }

    static String decoded(Secret secret, String key) {
        String value = secret.getData() == null ? null : secret.getData().get(key);
        return value == null ? null : new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
    }
}
