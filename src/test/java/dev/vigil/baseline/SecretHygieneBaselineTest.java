package dev.vigil.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.grade.service.SecretControls;
import dev.vigil.reports.NamespaceReport;
import dev.vigil.reports.ReportApi;
import dev.vigil.reports.ReportResult;
import dev.vigil.reports.ReportResult.Outcome;
import dev.vigil.reports.StructuralSchemaAccess;
import dev.vigil.secrets.SealedSecret;
import dev.vigil.testsupport.Fixtures;
import dev.vigil.testsupport.NginxSitesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code spec.requirements.secrets} end to end on the Fabric8 mock API server: real Sops documents (Vigil's encryptor,
 * dated in the past for stale ones) decrypted by the SealedSecret reconciler, plain Secrets of every exempt kind, a
 * real nginx behind the covered Ingress, and the PolicyReport CRD served.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(NginxSitesResource.class)
class SecretHygieneBaselineTest {

    static final Duration WAIT = Duration.ofSeconds(60);
    static final String OPERATOR_NS = "vigil-system";
    /** The value of every hand-made Secret here: it must never show in a status, report or Event. */
    static final String VALUE = "hunter2-" + Fixtures.MARKER;

    @Inject
    KubernetesClient client;

    @Inject
    io.micrometer.core.instrument.MeterRegistry registry;

    String ns;
    final List<Runnable> cleanups = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        client.apiextensions().v1().customResourceDefinitions()
                .resource(StructuralSchemaAccess.crd("/reports/wgpolicyk8s.io_policyreports.yaml")).createOr(r -> r.update());
        ns = namespace("shop", Map.of());
        Fixtures.installKey(client, OPERATOR_NS, "dev-keys", "dev.agekey", Fixtures.AGE_DEV_IDENTITY, "*");
    }

    @AfterEach
    void cleanUp() {
        cleanups.forEach(Runnable::run);
        client.resources(SecurityBaseline.class).inNamespace(ns).delete();
    }

    @Test
    void aStaleDocumentFailsSecretRotationOnItsOwnRowAndOnEveryServiceOfItsNamespace() throws Exception {
        sealed(ns, "old-creds", Instant.now().minus(Duration.ofDays(200)));
        sealed(ns, "new-creds", Instant.now().minus(Duration.ofDays(3)));
        ingress(ns, "storefront", "aplus.test");
        plain(ns, "db-password", "Opaque", Map.of(), Map.of(), Map.of("password", VALUE));
        baseline(ns, "web", spec -> {
            spec.requirements.secrets = new SecretRequirements();
            spec.requirements.secrets.maxDocumentAge = "90d";
        });

        SecurityBaseline b = await().atMost(WAIT).until(() -> get(ns, "web"), x -> graded(x)
                && x.getStatus().secrets != null && x.getStatus().secrets.sealedSecrets() == 2
                && x.getStatus().secrets.documentsAgeUnknown() == 0);
        ServiceRow row = b.getStatus().services.get(0);
        ControlRow rotation = row.failing().stream().filter(c -> c.control().equals(SecretControls.SECRET_ROTATION))
                .findFirst().orElseThrow();
        assertThat(rotation.state()).isEqualTo("fail");
        assertThat(rotation.level()).as("capped at C, below the minimum B").isEqualTo("fail");
        assertThat(rotation.detail()).isEqualTo("1 document older than 90d: old-creds");
        assertThat(rotation.remediation())
                .isEqualTo("re-encrypt (sops updatekeys / vigil rekey) and commit: 1 document older than 90d");
        assertThat(row.grade()).as("an A+ site capped by its namespace's stale document").isEqualTo("C");
        assertThat(row.compliant()).isFalse();
        assertThat(row.failing()).extracting(ControlRow::control).doesNotContain(SecretControls.SECRET_SOURCE);

        SecretHygieneStatus secrets = b.getStatus().secrets;
        assertThat(secrets.maxDocumentAge()).isEqualTo("90d");
        assertThat(secrets.documentsTooOld()).isEqualTo(1);
        assertThat(secrets.secretsChecked()).as("sealedSecretsOnly not set: no Secret read").isNull();
        assertThat(secrets.failingRows()).singleElement().satisfies(r -> {
            assertThat(r.kind()).isEqualTo("SealedSecret");
            assertThat(r.name()).isEqualTo("old-creds");
            assertThat(r.namespace()).isEqualTo(ns);
            assertThat(r.control()).isEqualTo(SecretControls.SECRET_ROTATION);
            assertThat(r.detail()).contains("200d ago (max 90d)");
        });
        // Metrics: the control is one more value of the closed control label.
        await().atMost(WAIT).until(() -> registry.find("vigil.control.failures").tag("namespace", ns)
                .tag("control", SecretControls.SECRET_ROTATION).gauge() != null);
        assertThat(registry.find("vigil.control.failures").tag("namespace", ns).tag("control", SecretControls.SECRET_ROTATION)
                .gauge().value()).isEqualTo(1.0);
        Files.createDirectories(Path.of("target"));
        // The README's excerpt and the source of src/test/resources/report/secrets-baseline.yaml.
        Files.writeString(Path.of("target", "secret-hygiene-baseline.yaml"), Serialization.asYaml(b));

        // The PolicyReport: one result per SealedSecret, the SealedSecret as resource, and the service's control.
        NamespaceReport report = await().atMost(WAIT).until(() -> report(ns),
                r -> r != null && r.results().stream().anyMatch(x -> x.rule().equals(SecretControls.SECRET_ROTATION)));
        List<ReportResult> perObject = report.results().stream().filter(r -> r.rule().equals(SecretControls.SECRET_ROTATION)
                && r.resource().get().kind().equals("SealedSecret")).toList();
        assertThat(perObject).hasSize(2).allSatisfy(r -> {
            assertThat(r.resource().get().apiVersion()).isEqualTo("vigil.dev/v1alpha1");
            assertThat(r.resource().get().uid()).isNotBlank();
            assertThat(r.category()).isEqualTo("Secrets");
        });
        assertThat(perObject).filteredOn(r -> r.resource().get().name().equals("old-creds")).singleElement()
                .satisfies(r -> assertThat(r.result()).isEqualTo(Outcome.FAIL));
        assertThat(perObject).filteredOn(r -> r.resource().get().name().equals("new-creds")).singleElement()
                .satisfies(r -> assertThat(r.result()).isEqualTo(Outcome.PASS));
        assertThat(report.results()).filteredOn(r -> r.rule().equals(SecretControls.SECRET_ROTATION)
                && r.resource().get().kind().equals("Ingress")).singleElement()
                .satisfies(r -> assertThat(r.result()).isEqualTo(Outcome.FAIL));

        // Re-encrypted and committed: the SealedSecret's change alone wakes the baseline, and the control passes.
        SealedSecret old = client.resources(SealedSecret.class).inNamespace(ns).withName("old-creds").get();
        old.getSpec().document = Fixtures.sealedManifest(ns, "old-creds", Map.of("password", "rotated"));
        client.resource(old).update();
        SecurityBaseline fresh = await().atMost(WAIT).until(() -> get(ns, "web"),
                x -> graded(x) && x.getStatus().secrets.documentsTooOld() == 0);
        assertThat(fresh.getStatus().services.get(0).failing() == null ? List.<ControlRow>of()
                : fresh.getStatus().services.get(0).failing()).extracting(ControlRow::control)
                .doesNotContain(SecretControls.SECRET_ROTATION);
        assertThat(fresh.getStatus().services.get(0).grade()).isEqualTo("A+");
        assertThat(fresh.getStatus().secrets.failingRows()).isEmpty();
        await().atMost(WAIT).until(() -> report(ns).results().stream().filter(r -> r.rule().equals(SecretControls.SECRET_ROTATION))
                .allMatch(r -> r.result() == Outcome.PASS));
    }

    @Test
    void secretsNoSealedSecretManagesFailSecretSourceAndTheExemptKindsPass() throws Exception {
        sealed(ns, "api-token", Instant.now());
        await().atMost(WAIT).until(() -> client.secrets().inNamespace(ns).withName("api-token").get() != null);
        plain(ns, "db-password", "Opaque", Map.of(), Map.of(), Map.of("password", VALUE));
        plain(ns, "builder-token", "kubernetes.io/service-account-token", Map.of(),
                Map.of("kubernetes.io/service-account.name", "builder"), Map.of("token", VALUE));
        plain(ns, "sh.helm.release.v1.shop.v3", "helm.sh/release.v1", Map.of("owner", "helm"), Map.of(),
                Map.of("release", VALUE));
        plain(ns, "storefront-tls", "kubernetes.io/tls", Map.of(), Map.of("cert-manager.io/certificate-name", "storefront"),
                Map.of("tls.crt", VALUE, "tls.key", VALUE));
        plain(ns, "registry-pull", "Opaque", Map.of("vigil.dev/exempt", "true"), Map.of(), Map.of("config", VALUE));
        // Attacks: a token type smuggling another key; Vigil's label and an owner reference to a SealedSecret of
        // another name on a hand-made Secret.
        plain(ns, "smuggled-token", "kubernetes.io/service-account-token", Map.of(), Map.of(),
                Map.of("token", VALUE, "password", VALUE));
        String apiTokenUid = client.resources(SealedSecret.class).inNamespace(ns).withName("api-token").get().getMetadata().getUid();
        client.resource(new SecretBuilder().withNewMetadata().withName("borrowed-owner").withNamespace(ns)
                .addToLabels("app.kubernetes.io/managed-by", "vigil").addNewOwnerReference().withApiVersion("vigil.dev/v1alpha1")
                .withKind("SealedSecret").withName("api-token").withUid(apiTokenUid).endOwnerReference().endMetadata()
                .addToStringData("password", VALUE).build()).create();
        ingress(ns, "storefront", "aplus.test");
        baseline(ns, "web", spec -> {
            spec.requirements.secrets = new SecretRequirements();
            spec.requirements.secrets.sealedSecretsOnly = true;
            spec.requirements.secrets.maxDocumentAge = "90d";
            spec.enforcement = new Enforcement();
            spec.enforcement.exemptSecrets = new LabelSelectorBuilder().addToMatchLabels("vigil.dev/exempt", "true").build();
        });

        SecurityBaseline b = await().atMost(WAIT).until(() -> get(ns, "web"), x -> graded(x) && x.getStatus().secrets != null
                && x.getStatus().secrets.secretsChecked() == 8);
        ControlRow source = b.getStatus().services.get(0).failing().stream()
                .filter(c -> c.control().equals(SecretControls.SECRET_SOURCE)).findFirst().orElseThrow();
        assertThat(source.detail()).isEqualTo("3 Secrets not from a SealedSecret: borrowed-owner, db-password, smuggled-token");
        assertThat(source.level()).isEqualTo("fail");
        assertThat(b.getStatus().services.get(0).grade()).isEqualTo("C");
        assertThat(b.getStatus().services.get(0).failing()).extracting(ControlRow::control)
                .doesNotContain(SecretControls.SECRET_ROTATION);
        assertThat(b.getStatus().secrets.secretsNotFromGit()).isEqualTo(3);
        assertThat(b.getStatus().secrets.documentsTooOld()).as("api-token's document is fresh").isZero();
        assertThat(b.getStatus().secrets.failingRows()).extracting(SecretRow::name)
                .containsExactly("borrowed-owner", "db-password", "smuggled-token");
        assertThat(b.getStatus().secrets.failingRows()).allSatisfy(r -> assertThat(r.kind()).isEqualTo("Secret"));

        // The source of src/test/resources/report/secrets-baseline.yaml (the checklist's golden input).
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "secret-source-baseline.yaml"), Serialization.asYaml(b));

        NamespaceReport report = await().atMost(WAIT).until(() -> report(ns),
                r -> r != null && r.results().stream().anyMatch(x -> x.rule().equals(SecretControls.SECRET_SOURCE)));
        assertThat(report.results()).filteredOn(r -> r.rule().equals(SecretControls.SECRET_SOURCE)
                && r.resource().get().kind().equals("Secret")).extracting(r -> r.resource().get().name())
                .containsExactlyInAnyOrder("borrowed-owner", "db-password", "smuggled-token");

        // Names may show; values never: not in the status, the report, or any Event.
        assertThat(Serialization.asJson(b)).doesNotContain(Fixtures.MARKER)
                .doesNotContain(Base64.getEncoder().encodeToString(VALUE.getBytes(StandardCharsets.UTF_8)));
        assertThat(Serialization.asJson(client.genericKubernetesResources(ReportApi.WGPOLICYK8S.context()).inNamespace(ns)
                .withName(ReportApi.NAME).get())).doesNotContain(Fixtures.MARKER)
                .doesNotContain(Base64.getEncoder().encodeToString(VALUE.getBytes(StandardCharsets.UTF_8)));
        assertThat(Serialization.asJson(client.v1().events().inNamespace(ns).list())).doesNotContain(Fixtures.MARKER);
    }

    @Test
    void withoutTheRequirementNoSecretControlIsJudged() throws Exception {
        sealed(ns, "old-creds", Instant.now().minus(Duration.ofDays(400)));
        plain(ns, "db-password", "Opaque", Map.of(), Map.of(), Map.of("password", VALUE));
        ingress(ns, "storefront", "aplus.test");
        baseline(ns, "web", spec -> { });

        SecurityBaseline b = await().atMost(WAIT).until(() -> get(ns, "web"), this::graded);
        await().atMost(WAIT).until(() -> client.resources(SealedSecret.class).inNamespace(ns).withName("old-creds").get()
                .getStatus().lastModified != null);
        assertThat(b.getStatus().secrets).isNull();
        assertThat(b.getStatus().services.get(0).grade()).isEqualTo("A+");
        NamespaceReport report = await().atMost(WAIT).until(() -> report(ns), r -> r != null && !r.results().isEmpty());
        assertThat(report.results()).extracting(ReportResult::rule).doesNotContainAnyElementsOf(SecretControls.NAMES);
        assertThat(report.results()).allSatisfy(r -> assertThat(r.resource().get().kind()).isEqualTo("Ingress"));
    }

    @Test
    void aTenantBaselineNeverListsOrReportsAnotherNamespacesSecrets() throws Exception {
        String label = UUID.randomUUID().toString().substring(0, 8);
        String team = namespace("team", Map.of("team", label));
        sealed(team, "team-old", Instant.now().minus(Duration.ofDays(200)));
        plain(team, "team-hand-made", "Opaque", Map.of(), Map.of(), Map.of("password", VALUE));
        ingress(team, "storefront", "aplus.test");
        sealed(ns, "own-creds", Instant.now());
        Consumer<SecurityBaselineSpec> grabby = spec -> {
            spec.namespaceSelector = new LabelSelectorBuilder().addToMatchLabels("team", label).build();
            spec.targets = List.of(target());
            spec.requirements.secrets = new SecretRequirements();
            spec.requirements.secrets.maxDocumentAge = "90d";
            spec.requirements.secrets.sealedSecretsOnly = true;
        };
        baseline(ns, "tenant", grabby);

        SecurityBaseline tenant = await().atMost(WAIT).until(() -> get(ns, "tenant"), x -> graded(x)
                && x.getStatus().secrets != null && x.getStatus().secrets.sealedSecrets() >= 1);
        // Only its own namespace: its own SealedSecret and the Secret Vigil wrote from it; nothing of the team's.
        assertThat(tenant.getStatus().secrets.sealedSecrets()).isEqualTo(1);
        assertThat(tenant.getStatus().secrets.documentsTooOld()).isZero();
        assertThat(tenant.getStatus().secrets.failingRows()).isEmpty();
        assertThat(Serialization.asJson(tenant.getStatus())).doesNotContain(team).doesNotContain("team-old")
                .doesNotContain("team-hand-made");
        assertThat(tenant.getStatus().services).extracting(ServiceRow::namespace).containsOnly(ns);

        // The operator's trusted namespace may cover the team: there both show, so the tenant's silence was the scope.
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(OPERATOR_NS).endMetadata().build())
                .createOr(r -> r.update());
        String platform = "platform-" + label;
        baseline(OPERATOR_NS, platform, spec -> {
            grabby.accept(spec);
            spec.targets = List.of();
        });
        cleanups.add(() -> client.resources(SecurityBaseline.class).inNamespace(OPERATOR_NS).withName(platform).delete());
        SecurityBaseline trusted = await().atMost(WAIT).until(() -> get(OPERATOR_NS, platform), x -> graded(x)
                && x.getStatus().secrets != null && x.getStatus().secrets.failingRows().size() >= 2);
        assertThat(trusted.getStatus().secrets.failingRows()).extracting(SecretRow::name).contains("team-old", "team-hand-made");

        NamespaceReport teamReport = await().atMost(WAIT).until(() -> report(team),
                r -> r != null && r.policies().contains(OPERATOR_NS + "/" + platform));
        assertThat(teamReport.policies()).doesNotContain(ns + "/tenant");
        assertThat(teamReport.results()).filteredOn(r -> r.resource().get().name().equals("team-hand-made"))
                .extracting(ReportResult::policy).containsOnly(OPERATOR_NS + "/" + platform);
    }

    // --- fixtures ---

    String namespace(String prefix, Map<String, String> labels) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).addToLabels(labels).endMetadata()
                .build()).create();
        return name;
    }

    void sealed(String namespace, String name, Instant modified) {
        client.resource(Fixtures.sealedSecret(namespace, name,
                Fixtures.sealedManifestModifiedAt(modified, namespace, name, Map.of("password", "sealed")))).create();
    }

    void plain(String namespace, String name, String type, Map<String, String> labels, Map<String, String> annotations,
            Map<String, String> data) {
        Map<String, String> encoded = new java.util.TreeMap<>();
        data.forEach((k, v) -> encoded.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        Secret secret = new SecretBuilder().withNewMetadata().withName(name).withNamespace(namespace).addToLabels(labels)
                .addToAnnotations(annotations).endMetadata().withType(type).withData(encoded).build();
        client.resource(secret).create();
    }

    void ingress(String namespace, String name, String host) {
        var created = client.resource(new IngressBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                .addToLabels("tier", "web").endMetadata().withNewSpec().addNewRule().withHost(host).endRule().addNewTl()
                .addToHosts(host).endTl().endSpec().build()).create();
        created.setStatus(new IngressStatusBuilder().withNewLoadBalancer().addNewIngress().withIp("127.0.0.1").endIngress()
                .endLoadBalancer().build());
        client.resource(created).updateStatus();
    }

    static ProbeTarget target() {
        ProbeTarget own = new ProbeTarget();
        own.url = "https://aplus.test:" + NginxSitesResource.nginx.httpsPort() + "/";
        own.connectAddress = "127.0.0.1";
        return own;
    }

    void baseline(String namespace, String name, Consumer<SecurityBaselineSpec> changes) {
        client.resource(NginxBaselines.of(namespace, name, changes)).create();
    }

    SecurityBaseline get(String namespace, String name) {
        return client.resources(SecurityBaseline.class).inNamespace(namespace).withName(name).get();
    }

    boolean graded(SecurityBaseline b) {
        return b != null && b.getStatus() != null && b.getStatus().services != null && !b.getStatus().services.isEmpty()
                && b.getStatus().services.stream().allMatch(r -> r.grade() != null);
    }

    NamespaceReport report(String namespace) {
        GenericKubernetesResource r = client.genericKubernetesResources(ReportApi.WGPOLICYK8S.context()).inNamespace(namespace)
                .withName(ReportApi.NAME).get();
        return r == null ? null : ReportApi.fromResource(r);
    }
}
