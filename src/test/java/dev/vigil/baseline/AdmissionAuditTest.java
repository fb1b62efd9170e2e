package dev.vigil.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.admission.Mode;
import dev.vigil.reports.ReportApi;
import dev.vigil.reports.ReportResult;
import dev.vigil.reports.StructuralSchemaAccess;
import dev.vigil.secrets.SealedSecret;
import dev.vigil.secrets.SealedSecretSpec;
import dev.vigil.testsupport.NginxSitesResource;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The background audit in the running operator on the Fabric8 mock API server: existing Secrets and
 * Ingresses of a namespace with an enforcing baseline are reported in its status, as Warning Events and in
 * {@code vigil_admission_violations}; the active exceptions are published for the policies.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(NginxSitesResource.class)
class AdmissionAuditTest {

    static final Duration WAIT = Duration.ofSeconds(40);

    @Inject
    KubernetesClient client;

    @ConfigProperty(name = "quarkus.http.test-port", defaultValue = "8081")
    int httpPort;

    String ns;

    <T extends HasMetadata> T create(String fixture, Class<T> type) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/admission/manifests/" + fixture)) {
            T object = Serialization.unmarshal(new String(in.readAllBytes(), StandardCharsets.UTF_8), type);
            object.getMetadata().setNamespace(ns);
            return client.resource(object).create();
        }
    }

    SecurityBaseline baseline(Mode mode) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/admission/manifests/baseline-deny.yaml")) {
            SecurityBaseline b = Serialization.unmarshal(new String(in.readAllBytes(), StandardCharsets.UTF_8), SecurityBaseline.class);
            b.getMetadata().setNamespace(ns);
            b.getSpec().enforcement.mode = mode;
            // Probes go nowhere (closed ports); this test is about admission.
            b.getSpec().connect.address = "127.0.0.1";
            b.getSpec().connect.httpsPort = 9;
            b.getSpec().connect.httpPort = 9;
            return b;
        }
    }

    EnforcementStatus enforcement() {
        SecurityBaseline b = client.resources(SecurityBaseline.class).inNamespace(ns).withName("web").get();
        return b == null || b.getStatus() == null ? null : b.getStatus().enforcement;
    }

    List<Event> events(String involved) {
        return client.v1().events().inNamespace(ns).list().getItems().stream()
                .filter(e -> involved.equals(e.getInvolvedObject().getName()) && "AdmissionViolation".equals(e.getReason()))
                .toList();
    }

    String metrics() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + "/q/metrics"))
                .header("Accept", "text/plain").build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The results of the admission rules in the namespace's PolicyReport (none while there is no report). */
    List<ReportResult> admissionResults(String namespace) {
        GenericKubernetesResource r = client.genericKubernetesResources(ReportApi.WGPOLICYK8S.context()).inNamespace(namespace)
                .withName(ReportApi.NAME).get();
        return r == null ? List.of() : ReportApi.fromResource(r).results().stream().filter(x -> "Admission".equals(x.category())).toList();
    }

    @Test
    void existingObjectsAreAuditedIntoStatusEventsAndMetrics() throws Exception {
        ns = "audit-" + UUID.randomUUID().toString().substring(0, 8);
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        client.apiextensions().v1().customResourceDefinitions()
                .resource(StructuralSchemaAccess.crd("/reports/wgpolicyk8s.io_policyreports.yaml")).createOr(r -> r.update());
        create("secret-by-hand.yaml", Secret.class);
        create("secret-helm-release.yaml", Secret.class);
        create("secret-exempt-label.yaml", Secret.class);
        create("ingress-tls.yaml", Ingress.class);
        create("ingress-admin-without-tls.yaml", Ingress.class);
        create("ingress-ssl-redirect-off.yaml", Ingress.class);
        // A Secret Vigil wrote for a SealedSecret (owner reference with its UID), and one that only claims to be.
        SealedSecret sealed = new SealedSecret();
        sealed.getMetadata().setName("api-token");
        sealed.getMetadata().setNamespace(ns);
        sealed.setSpec(new SealedSecretSpec());
        sealed.getSpec().document = "not a sops document";
        sealed = client.resource(sealed).create();
        Secret fromGit = Serialization.unmarshal(getClass().getResourceAsStream("/admission/manifests/secret-from-sealedsecret.yaml"),
                Secret.class);
        fromGit.getMetadata().setNamespace(ns);
        fromGit.getMetadata().setOwnerReferences(List.of(new OwnerReferenceBuilder().withApiVersion("vigil.dev/v1alpha1")
                .withKind("SealedSecret").withName("api-token").withUid(sealed.getMetadata().getUid()).withController(true).build()));
        client.resource(fromGit).create();
        Secret claims = Serialization.unmarshal(getClass().getResourceAsStream("/admission/manifests/secret-from-sealedsecret.yaml"),
                Secret.class);
        claims.getMetadata().setNamespace(ns);
        claims.getMetadata().setName("claims-to-be-vigils");
        client.resource(claims).create();

        client.resource(baseline(Mode.Warn)).create();

        await().atMost(WAIT).until(() -> enforcement() != null && enforcement().violations != null);
        EnforcementStatus status = enforcement();
        assertThat(status.violations).isEqualTo(4);
        assertThat(status.byRule).isEqualTo(Map.of("secrets-from-git", 2, "tls-for-every-host", 1, "no-downgrade-switches", 1));
        assertThat(status.objects).extracting(r -> r.kind() + "/" + r.name() + " " + r.rule())
                .containsExactlyInAnyOrder("Secret/db-credentials secrets-from-git", "Secret/claims-to-be-vigils secrets-from-git",
                        "Ingress/admin tls-for-every-host", "Ingress/checkout no-downgrade-switches");
        assertThat(status.objects).allSatisfy(r -> assertThat(r.message()).contains("mode Warn").doesNotContain("aHVudGVyMg==", "czNjcjN0"));
        // Only the unexpired exception is published for the policies.
        assertThat(status.activeExceptions).singleElement().satisfies(e -> {
            assertThat(e.hosts()).containsExactly("legacy.shop.example");
            assertThat(e.control()).isEqualTo("https");
        });
        assertThat(status.lastAuditTime).isNotNull();
        // The source of src/test/resources/report/admission-baseline.yaml (the checklist's golden input).
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "admission-baseline.yaml"),
                Serialization.asYaml(client.resources(SecurityBaseline.class).inNamespace(ns).withName("web").get()));

        await().atMost(WAIT).until(() -> events("db-credentials").size() == 1 && events("admin").size() == 1
                && events("checkout").size() == 1);
        assertThat(events("db-credentials").get(0).getType()).isEqualTo("Warning");
        assertThat(events("db-credentials").get(0).getMessage()).contains("must come from git").doesNotContain("aHVudGVyMg==");
        assertThat(events("api-token")).isEmpty();
        assertThat(events("storefront")).isEmpty();

        // The same four objects in the namespace's PolicyReport, each a fail result of its rule with the object as resource.
        await().atMost(WAIT).until(() -> admissionResults(ns).size() == 4);
        assertThat(admissionResults(ns))
                .allSatisfy(r -> {
                    assertThat(r.result()).isEqualTo(ReportResult.Outcome.FAIL);
                    assertThat(r.properties()).containsEntry("mode", "Warn");
                    assertThat(r.message()).doesNotContain("aHVudGVyMg==", "czNjcjN0");
                })
                .extracting(r -> r.resource().get().kind() + "/" + r.resource().get().name() + " " + r.rule())
                .containsExactlyInAnyOrder("Secret/db-credentials secrets-from-git", "Secret/claims-to-be-vigils secrets-from-git",
                        "Ingress/admin tls-for-every-host", "Ingress/checkout no-downgrade-switches");

        String metrics = metrics();
        assertThat(metrics).containsPattern("vigil_admission_violations\\{mode=\"Warn\",namespace=\"" + ns
                + "\",rule=\"secrets-from-git\",?\\} 2\\.0")
                .containsPattern("vigil_admission_violations\\{mode=\"Warn\",namespace=\"" + ns + "\",rule=\"tls-for-every-host\",?\\} 1\\.0");

        // The hand-made Secret gets the exempt label, and Deny is turned on: audited again at once.
        client.secrets().inNamespace(ns).withName("db-credentials").edit(s -> {
            s.getMetadata().setLabels(Map.of("vigil.dev/exempt", "true"));
            return s;
        });
        client.resources(SecurityBaseline.class).inNamespace(ns).withName("web").edit(b -> {
            b.getSpec().enforcement.mode = Mode.Deny;
            return b;
        });
        await().atMost(WAIT).untilAsserted(() -> {
            SecurityBaseline b = client.resources(SecurityBaseline.class).inNamespace(ns).withName("web").get();
            assertThat(b.getStatus().enforcement.objects).as("generation " + b.getMetadata().getGeneration() + " audited "
                    + b.getStatus().enforcement.lastAuditTime).hasSize(3)
                    .allSatisfy(r -> assertThat(r.message()).contains("mode Deny"));
        });
        await().atMost(WAIT).until(() -> java.util.regex.Pattern.compile("vigil_admission_violations\\{mode=\"Deny\",namespace=\""
                + ns + "\",rule=\"secrets-from-git\",?\\} 1\\.0").matcher(metrics()).find());
        assertThat(metrics()).doesNotContain("mode=\"Warn\",namespace=\"" + ns + "\"");

        // Without spec.enforcement the baseline is left alone again.
        client.resources(SecurityBaseline.class).inNamespace(ns).withName("web").edit(b -> {
            b.getSpec().enforcement = null;
            return b;
        });
        await().atMost(WAIT).until(() -> enforcement() == null);
        await().atMost(WAIT).until(() -> !metrics().contains("namespace=\"" + ns + "\",rule="));
    }
}
