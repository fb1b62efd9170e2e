package dev.vigil.probe.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.grade.Grade;
import dev.vigil.grade.observatory.HstsPreloadList;
import dev.vigil.grade.service.ControlResult;
import dev.vigil.grade.service.GradePolicy;
import dev.vigil.grade.service.ServiceGrade;
import dev.vigil.grade.service.ServiceGrader;
import dev.vigil.testsupport.BcTlsServer;
import dev.vigil.testsupport.Findings;
import dev.vigil.testsupport.OcspResponses;
import dev.vigil.testsupport.TestPki;
import dev.vigil.testsupport.TlsEndpoints;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.tls.NamedGroup;
import org.bouncycastle.tls.ProtocolVersion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Certificate facts a client would act on, each against a real server: nginx (backdated leaves under a rotated
 * intermediate, expiry, TLS 1.3 with CCM only, an RSA and an ECDSA certificate side by side, a stapled revocation)
 * and a Bouncy Castle TLS server stapling OCSP responses the test signs (good, revoked, stale, forged).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CertificateFactsTest {

    static final Instant NOW = Instant.now();

    TestPki pki;
    TlsScanner scanner;
    TlsEndpoints nginx;
    Map<String, TlsEndpoints.Endpoint> endpoints = new HashMap<>();
    TestPki.Issued intermediate;
    TestPki.Issued leaf;
    Path dir;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        this.dir = dir;
        pki = new TestPki();
        scanner = new TlsScanner(TlsScanner.Config.defaults().withExtraCas(List.of(pki.ca())));
        nginx = new TlsEndpoints(dir);
        // A freshly rotated intermediate (valid since an hour ago) over a leaf backdated 30 days: issued before its issuer.
        intermediate = pki.issue("Rotated Intermediate", List.of(), "RSA", 2048, NOW.minus(Duration.ofHours(1)),
                NOW.plus(Duration.ofDays(365)), null, true, null);
        leaf = pki.issue("site.test", List.of("site.test"), "RSA", 2048, NOW.minus(Duration.ofDays(30)), NOW.plus(Duration.ofDays(60)),
                intermediate, false, null);
        var expiredLeaf = pki.issue("site.test", List.of("site.test"), "RSA", 2048, NOW.minus(Duration.ofDays(90)),
                NOW.minus(Duration.ofDays(1)), null, false, null);
        var expiredIntermediate = pki.issue("Expired Intermediate", List.of(), "RSA", 2048, NOW.minus(Duration.ofDays(400)),
                NOW.minus(Duration.ofDays(2)), null, true, null);
        var underExpired = pki.issue("site.test", List.of("site.test"), "RSA", 2048, NOW.minus(Duration.ofDays(10)),
                NOW.plus(Duration.ofDays(60)), expiredIntermediate, false, null);
        var ec = pki.issue("site.test", List.of("site.test"), "EC", 256, NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(60)),
                null, false, null);
        var rsa = pki.issue("site.test", List.of("site.test"), "RSA", 2048, NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(60)),
                null, false, null);

        Path backdated = pem("backdated.crt", leaf.certificate(), intermediate.certificate());
        Path backdatedKey = pem("backdated.key", leaf.key());
        endpoints.put("backdated", nginx.add("backdated", "site.test", backdated, backdatedKey, "    ssl_protocols TLSv1.2 TLSv1.3;"));
        endpoints.put("expired-leaf", nginx.add("expired-leaf", "site.test", pem("expired.crt", expiredLeaf.certificate()),
                pem("expired.key", expiredLeaf.key()), "    ssl_protocols TLSv1.2 TLSv1.3;"));
        endpoints.put("expired-intermediate", nginx.add("expired-intermediate", "site.test",
                pem("under-expired.crt", underExpired.certificate(), expiredIntermediate.certificate()),
                pem("under-expired.key", underExpired.key()), "    ssl_protocols TLSv1.2 TLSv1.3;"));
        endpoints.put("ccm-only", nginx.add("ccm-only", "site.test", backdated, backdatedKey,
                "    ssl_protocols TLSv1.3;\n    ssl_conf_command Ciphersuites TLS_AES_128_CCM_SHA256:TLS_AES_128_CCM_8_SHA256;"));
        Path ecCrt = pem("ec.crt", ec.certificate());
        Path ecKey = pem("ec.key", ec.key());
        endpoints.put("dual", nginx.add("dual", "site.test", pem("rsa.crt", rsa.certificate()), pem("rsa.key", rsa.key()),
                "    ssl_certificate " + ecCrt + ";\n    ssl_certificate_key " + ecKey + ";\n    ssl_protocols TLSv1.2 TLSv1.3;"));
        endpoints.put("dual-tls13", nginx.add("dual-tls13", "site.test", dir.resolve("rsa.crt"), dir.resolve("rsa.key"),
                "    ssl_certificate " + ecCrt + ";\n    ssl_certificate_key " + ecKey + ";\n    ssl_protocols TLSv1.3;"));
        endpoints.put("dual-expired-rsa", nginx.add("dual-expired-rsa", "site.test", dir.resolve("expired.crt"), dir.resolve("expired.key"),
                "    ssl_certificate " + ecCrt + ";\n    ssl_certificate_key " + ecKey + ";\n    ssl_protocols TLSv1.2 TLSv1.3;"));
        byte[] revoked = OcspResponses.response(leaf.certificate(), intermediate.certificate(), intermediate.key(),
                OcspResponses.Status.REVOKED, NOW.minus(Duration.ofHours(1)), NOW.plus(Duration.ofDays(3)));
        Path revokedFile = Files.write(dir.resolve("revoked.der"), revoked);
        endpoints.put("nginx-revoked", nginx.add("nginx-revoked", "site.test", backdated, backdatedKey,
                "    ssl_protocols TLSv1.2 TLSv1.3;\n    ssl_stapling on;\n    ssl_stapling_file " + revokedFile + ";"));
        nginx.start();
    }

    Path pem(String name, Object... objects) throws Exception {
        return TestPki.writePem(dir.resolve(name), objects);
    }

    @AfterAll
    void stop() throws Exception {
        nginx.close();
    }

    TlsScanResult scan(String endpoint) throws Exception {
        return scan(endpoints.get(endpoint).port());
    }

    TlsScanResult scan(int port) throws Exception {
        return scanner.scan(new TlsTarget("site.test", port, Optional.of(InetAddress.getByName("127.0.0.1"))));
    }

    @Test
    void backdatedLeafUnderAFreshlyRotatedIntermediateIsTrusted() throws Exception {
        assertThat(leaf.certificate().getNotBefore()).as("the leaf predates its issuer").isBefore(intermediate.certificate().getNotBefore());
        CertificateFacts c = scan("backdated").certificate();
        assertThat(c.trustProblem()).isEmpty();
        assertThat(c.trusted()).isTrue();
        assertThat(c.expired()).isFalse();
        assertThat(c.notYetValid()).isFalse();
        assertThat(c.chainComplete()).isTrue();
    }

    @Test
    void expiryAndTrustAreSeparateFactsDecidedAtTheCurrentTime() throws Exception {
        CertificateFacts expiredLeaf = scan("expired-leaf").certificate();
        assertThat(expiredLeaf.expired()).isTrue();
        assertThat(expiredLeaf.trusted()).as("the leaf's own dates are the expiry control's fact").isTrue();

        CertificateFacts underExpiredIntermediate = scan("expired-intermediate").certificate();
        assertThat(underExpiredIntermediate.expired()).isFalse();
        assertThat(underExpiredIntermediate.trusted()).as("a client refuses a path through an expired intermediate").isFalse();
        assertThat(underExpiredIntermediate.trustProblem()).hasValueSatisfying(p -> assertThat(p).containsIgnoringCase("valid"));
    }

    @Test
    void tls13ServerWithOnlyCcmSuitesStillShowsItsCertificate() throws Exception {
        TlsScanResult r = scan("ccm-only");
        assertThat(r.protocols().keySet()).containsExactly(TlsProtocol.TLSv1_3);
        assertThat(r.protocols().get(TlsProtocol.TLSv1_3).suites())
                .containsExactlyInAnyOrder("TLS_AES_128_CCM_SHA256", "TLS_AES_128_CCM_8_SHA256");
        CertificateFacts c = r.certificate();
        assertThat(c.present()).isTrue();
        assertThat(c.trusted()).isTrue();
        assertThat(c.hostnameMatches()).isTrue();
        assertThat(c.keyType()).isEqualTo("RSA");
        assertThat(c.keyBits()).isEqualTo(2048);
        assertThat(c.notAfter()).contains(leaf.certificate().getNotAfter().toInstant());
    }

    @Test
    void dualCertificateServerShowsBothCertificates() throws Exception {
        for (String endpoint : List.of("dual", "dual-tls13")) {
            TlsScanResult r = scan(endpoint);
            assertThat(r.certificates()).as(endpoint).hasSize(2);
            assertThat(r.certificate().keyType()).as("ECDSA first, as a browser gets it").isEqualTo("EC");
            assertThat(r.otherCertificates()).singleElement().satisfies(other -> {
                assertThat(other.keyType()).isEqualTo("RSA");
                assertThat(other.keyBits()).isEqualTo(2048);
                assertThat(other.trusted()).isTrue();
                assertThat(other.hostnameMatches()).isTrue();
            });
        }
        assertThat(scan("backdated").otherCertificates()).as("one certificate, one entry").isEmpty();
    }

    ServiceGrade grade(TlsScanResult scan) {
        return new ServiceGrader(HstsPreloadList.empty()).grade(Findings.service(NOW, scan, Findings.https("site.test",
                Findings.PERFECT_HEADERS)), GradePolicy.defaults(), List.of(), "site.test", NOW);
    }

    static ControlResult control(ServiceGrade grade, String name) {
        return grade.controls().stream().filter(c -> c.control().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void theWeakerOfTwoCertificatesCounts() throws Exception {
        TlsScanResult r = scan("dual-expired-rsa");
        assertThat(r.certificate().keyType()).isEqualTo("EC");
        assertThat(r.certificate().expired()).isFalse();
        assertThat(r.otherCertificates()).singleElement().satisfies(rsa -> assertThat(rsa.expired()).isTrue());
        ServiceGrade grade = grade(r);
        assertThat(control(grade, "certificate-expiry").failing()).isTrue();
        assertThat(control(grade, "certificate-expiry").detail()).isEqualTo("RSA 2048 certificate: certificate expired");
        assertThat(grade.grade()).contains(Grade.F);
        assertThat(grade(scan("dual")).failing()).as("both certificates sound").noneMatch(c -> c.control().startsWith("certificate-"));
    }

    @Test
    void aStapledRevocationCapsTheGradeAtF() throws Exception {
        ServiceGrade grade = grade(scan("nginx-revoked"));
        ControlResult revocation = control(grade, "certificate-revocation");
        assertThat(revocation.failing()).isTrue();
        assertThat(revocation.detail()).startsWith("certificate revoked: stapled OCSP revoked since");
        assertThat(grade.grade()).contains(Grade.F);
        assertThat(grade.capReasons()).anyMatch(c -> c.startsWith("revoked certificate"));
        assertThat(control(grade(scan("backdated")), "certificate-revocation").detail()).isEqualTo("no OCSP staple");
    }

    @Test
    void aStaleOrForgedStapleIsAFindingThatCapsNothing() throws Exception {
        byte[] stale = signed(OcspResponses.Status.GOOD, NOW.minus(Duration.ofDays(12)), NOW.minus(Duration.ofDays(5)));
        try (BcTlsServer server = staplingServer(ProtocolVersion.TLSv13, stale)) {
            ServiceGrade grade = grade(scan(server.port()));
            ControlResult revocation = control(grade, "certificate-revocation");
            assertThat(revocation.failing()).isTrue();
            assertThat(revocation.cap()).isEmpty();
            assertThat(revocation.detail()).contains("STALE");
            assertThat(grade.grade()).contains(Grade.A_PLUS);
        }
    }

    @Test
    void nginxStaplingARevocationIsReported() throws Exception {
        for (int attempt = 0; attempt < 2; attempt++) {
            // nginx loads the staple file at start; both TLS 1.2 and 1.3 clients get it
            CertificateFacts c = scan("nginx-revoked").certificate();
            assertThat(c.ocspStapled()).isTrue();
            assertThat(c.ocsp()).hasValueSatisfying(o -> {
                assertThat(o.status()).isEqualTo(OcspStaple.REVOKED);
                assertThat(o.verified()).isTrue();
                assertThat(o.revoked()).isTrue();
                assertThat(o.revocationReason()).contains("keyCompromise");
            });
        }
    }

    /** A Bouncy Castle server with the backdated chain, stapling {@code staple}, speaking {@code version}. */
    BcTlsServer staplingServer(ProtocolVersion version, byte[] staple) throws Exception {
        return new BcTlsServer(new BcTlsServer.Settings(List.of(leaf.certificate(), intermediate.certificate()), leaf.key(),
                new ProtocolVersion[] {version}, new int[] {NamedGroup.x25519, NamedGroup.secp256r1}, Optional.of(staple)));
    }

    byte[] signed(OcspResponses.Status status, Instant thisUpdate, Instant nextUpdate) {
        return OcspResponses.response(leaf.certificate(), intermediate.certificate(), intermediate.key(), status, thisUpdate, nextUpdate);
    }

    @Test
    void staplesFromABouncyCastleServerAreReadAndChecked() throws Exception {
        var forger = KeyPairGenerator.getInstance("RSA");
        forger.initialize(2048);
        byte[] good = signed(OcspResponses.Status.GOOD, NOW.minus(Duration.ofHours(2)), NOW.plus(Duration.ofDays(4)));
        byte[] revoked = signed(OcspResponses.Status.REVOKED, NOW.minus(Duration.ofHours(2)), NOW.plus(Duration.ofDays(4)));
        byte[] stale = signed(OcspResponses.Status.GOOD, NOW.minus(Duration.ofDays(12)), NOW.minus(Duration.ofDays(5)));
        byte[] unknown = signed(OcspResponses.Status.UNKNOWN, NOW.minus(Duration.ofHours(2)), NOW.plus(Duration.ofDays(4)));
        byte[] forged = OcspResponses.response(leaf.certificate(), intermediate.certificate(), forger.generateKeyPair().getPrivate(),
                OcspResponses.Status.REVOKED, NOW.minus(Duration.ofHours(2)), NOW.plus(Duration.ofDays(4)));
        for (ProtocolVersion version : List.of(ProtocolVersion.TLSv12, ProtocolVersion.TLSv13)) {
            String v = version.toString();
            try (BcTlsServer server = staplingServer(version, good)) {
                OcspStaple o = scan(server.port()).certificate().ocsp().orElseThrow(() -> new AssertionError(v + ": no staple read"));
                assertThat(o.status()).as(v).isEqualTo(OcspStaple.GOOD);
                assertThat(o.verified()).as(v).isTrue();
                assertThat(o.stale()).as(v).isFalse();
                assertThat(o.problem()).as(v).isEmpty();
                assertThat(o.producedAt()).as(v).isPresent();
                assertThat(o.nextUpdate()).as(v).isPresent();
            }
            try (BcTlsServer server = staplingServer(version, revoked)) {
                OcspStaple o = scan(server.port()).certificate().ocsp().orElseThrow();
                assertThat(o.revoked()).as(v).isTrue();
                assertThat(o.revokedAt()).as(v).isPresent();
            }
            try (BcTlsServer server = staplingServer(version, stale)) {
                OcspStaple o = scan(server.port()).certificate().ocsp().orElseThrow();
                assertThat(o.status()).as(v).isEqualTo(OcspStaple.GOOD);
                assertThat(o.stale()).as(v).isTrue();
                assertThat(o.problem()).as(v).hasValueSatisfying(p -> assertThat(p).startsWith("stale"));
            }
            try (BcTlsServer server = staplingServer(version, unknown)) {
                assertThat(scan(server.port()).certificate().ocsp().orElseThrow().status()).as(v).isEqualTo(OcspStaple.UNKNOWN);
            }
            try (BcTlsServer server = staplingServer(version, forged)) {
                OcspStaple o = scan(server.port()).certificate().ocsp().orElseThrow();
                assertThat(o.status()).as(v).isEqualTo(OcspStaple.REVOKED);
                assertThat(o.signature()).as(v).isEqualTo(OcspStaple.SIGNATURE_INVALID);
                assertThat(o.revoked()).as(v + ": a forged revocation is not believed").isFalse();
            }
        }
    }
}
