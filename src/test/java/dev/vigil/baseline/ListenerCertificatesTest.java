package dev.vigil.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.baseline.ListenerRef.SecretRef;
import dev.vigil.grade.service.CertificateExpectation;
import dev.vigil.probe.tls.Fingerprints;
import dev.vigil.testsupport.TestPki;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** TLS Secrets read on demand, one GET per new probe, only the leaf's fingerprint kept. */
@EnableKubernetesMockClient(crud = true)
class ListenerCertificatesTest {

    static KubernetesMockServer server;
    static KubernetesClient client;

    static final TestPki PKI = new TestPki();

    static ListenerRef listener(String... secrets) {
        return new ListenerRef("infra", "edge", "https", 443, "HTTPS", true,
                java.util.Arrays.stream(secrets).map(s -> new SecretRef("infra", s)).toList(), List.of());
    }

    static Secret tls(String name, byte[] crt) {
        return new SecretBuilder().withNewMetadata().withNamespace("infra").withName(name).endMetadata()
                .withType("kubernetes.io/tls").withData(Map.of("tls.crt", Base64.getEncoder().encodeToString(crt),
                        "tls.key", Base64.getEncoder().encodeToString("-----BEGIN PRIVATE KEY-----\nsecret\n".getBytes())))
                .build();
    }

    int gets() throws InterruptedException {
        int count = 0;
        while (server.takeRequest(10, java.util.concurrent.TimeUnit.MILLISECONDS) != null) {
            count++;
        }
        return count;
    }

    @Test
    void oneReadPerProbeAndOnlyTheLeafFingerprintIsKept() throws Exception {
        var first = PKI.leaf(List.of("shop.example.com"));
        var intermediateLast = PKI.ca();
        client.resource(tls("shop-tls", TestPki.pem(first.certificate(), intermediateLast))).create();
        ListenerCertificates certificates = new ListenerCertificates(client);
        gets();

        Instant probe1 = Instant.now();
        CertificateExpectation expected = certificates.expectation(listener("shop-tls"), probe1);
        assertThat(expected.fingerprints()).containsExactly(Fingerprints.sha256(first.certificate()).orElseThrow());
        assertThat(expected.configuredBy()).isEqualTo("gateway/infra/edge/https");
        assertThat(expected.problems()).isEmpty();
        assertThat(expected.toString()).doesNotContain("secret");
        certificates.expectation(listener("shop-tls"), probe1);
        certificates.expectation(listener("shop-tls"), probe1);
        assertThat(gets()).as("reconciles between two probes read nothing").isEqualTo(1);

        var renewed = PKI.leaf(List.of("shop.example.com"));
        client.resource(tls("shop-tls", TestPki.pem(renewed.certificate()))).update();
        gets();
        assertThat(certificates.expectation(listener("shop-tls"), Instant.now().plusSeconds(1)).fingerprints())
                .as("a probe after the Secret changed compares with the new certificate")
                .containsExactly(Fingerprints.sha256(renewed.certificate()).orElseThrow());
        assertThat(gets()).isEqualTo(1);
    }

    @Test
    void unreadableReferencesSayWhyWithoutValues() {
        client.resource(new SecretBuilder().withNewMetadata().withNamespace("infra").withName("no-crt").endMetadata()
                .withData(Map.of("password", Base64.getEncoder().encodeToString("hunter2".getBytes()))).build()).create();
        client.resource(tls("garbage", "-----BEGIN CERTIFICATE-----\nhunter2\n-----END CERTIFICATE-----\n".getBytes())).create();
        ListenerCertificates certificates = new ListenerCertificates(client);
        CertificateExpectation expected = certificates.expectation(listener("missing", "no-crt", "garbage"), Instant.now());
        assertThat(expected.fingerprints()).isEmpty();
        assertThat(expected.problems()).containsExactly("Secret infra/missing does not exist", "Secret infra/no-crt has no tls.crt",
                "tls.crt of Secret infra/garbage holds no certificate");
        assertThat(String.join(" ", expected.problems())).doesNotContain("hunter2");
        assertThat(expected.expects()).isTrue();
    }

    @Test
    void aListenerThatTerminatesNoTlsExpectsNothingAndReadsNothing() throws Exception {
        gets();
        ListenerRef passthrough = new ListenerRef("infra", "edge", "tls", 443, "HTTPS", false, List.of(), List.of());
        assertThat(new ListenerCertificates(client).expectation(passthrough, Instant.now())).isEqualTo(CertificateExpectation.NONE);
        ListenerRef refused = new ListenerRef("infra", "edge", "https", 443, "HTTPS", true, List.of(),
                List.of("certificateRef certs/shop-tls is not permitted: no ReferenceGrant in certs lets Gateways of infra use it"));
        assertThat(new ListenerCertificates(client).expectation(refused, Instant.now()).problems()).hasSize(1);
        assertThat(gets()).as("a reference no grant permits is never read").isZero();
    }
}
