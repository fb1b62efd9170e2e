package dev.vigil.grade.service;

import static dev.vigil.testsupport.Findings.PERFECT_HEADERS;
import static dev.vigil.testsupport.Findings.perfectWithout;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.grade.AcceptedRisk;
import dev.vigil.grade.Grade;
import dev.vigil.grade.observatory.HstsPreloadList;
import dev.vigil.grade.observatory.ObservatoryAlgorithm;
import dev.vigil.probe.ProbeFailure;
import dev.vigil.probe.ServiceFindings;
import dev.vigil.probe.tls.TlsProtocol;
import dev.vigil.probe.tls.TlsScanResult;
import dev.vigil.testsupport.Findings;
import dev.vigil.testsupport.Findings.TlsBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The one grading path, on findings built by hand: Observatory score, TLS caps, levels, accepted risks. */
class ServiceGraderTest {

    static final Instant NOW = Instant.parse("2026-11-23T00:00:00Z");
    static final GradePolicy POLICY = GradePolicy.defaults();
    static final String HOST = "shop.example.com";
    static final ServiceGrader GRADER = new ServiceGrader(HstsPreloadList.empty());

    @Test
    void goodTlsLeavesTheObservatoryGrade() {
        ServiceGrade g = grade(PERFECT_HEADERS, tls(b -> b), List.of());
        assertThat(g.grade()).contains(Grade.A_PLUS);
        assertThat(g.score()).contains(110);
        assertThat(g.capReasons()).isEmpty();
        assertThat(g.failing()).isEmpty();
        assertThat(g.tlsLevel()).isEqualTo("intermediate");
        assertThat(g.algorithm()).isEqualTo(ObservatoryAlgorithm.V4);
        assertThat(g.compliant()).isTrue();
    }

    @Test
    void observatoryFailuresLowerTheGradeByTheChart() {
        ServiceGrade g = grade(perfectWithout("Content-Security-Policy"), tls(b -> b), List.of());
        assertThat(g.score()).contains(75);
        assertThat(g.grade()).contains(Grade.B);
        assertThat(g.failing()).extracting(ControlResult::control).containsExactly("content-security-policy");
        assertThat(g.failing().get(0).penalty()).isEqualTo(-25);
        assertThat(g.failing().get(0).level()).isEqualTo(ControlLevel.WARN);
    }

    @Test
    void noHttpsIsF() {
        ServiceGrade g = grade(PERFECT_HEADERS, Findings.noTls(HOST), List.of());
        assertThat(g.grade()).contains(Grade.F);
        assertThat(g.uncapped()).contains(Grade.A_PLUS);
        assertThat(g.capReasons()).containsExactly("no HTTPS → F");
        assertThat(g.failing()).singleElement().satisfies(c -> assertThat(c.level()).isEqualTo(ControlLevel.FAIL));
        assertThat(g.compliant()).isFalse();
    }

    @Test
    void hardCertificateFailuresAreF() {
        assertThat(grade(PERFECT_HEADERS, tls(b -> b.trusted(false)), List.of()).grade()).contains(Grade.F);
        assertThat(grade(PERFECT_HEADERS, tls(b -> b.expired(true)), List.of()).grade()).contains(Grade.F);
        assertThat(grade(PERFECT_HEADERS, tls(b -> b.hostnameMatches(false)), List.of()).grade()).contains(Grade.F);
        assertThat(grade(PERFECT_HEADERS, tls(b -> b.signature("SHA1withRSA")), List.of()).grade()).contains(Grade.F);
        assertThat(grade(PERFECT_HEADERS, tls(b -> b.key("RSA", 512)), List.of()).grade()).contains(Grade.F);
        assertThat(grade(PERFECT_HEADERS, tls(b -> b.suite("TLS_RSA_WITH_RC4_128_SHA")), List.of()).grade()).contains(Grade.F);
        assertThat(grade(PERFECT_HEADERS, tls(b -> b.offering(TlsProtocol.SSLv3)), List.of()).grade()).contains(Grade.F);
    }

    @Test
    void softCapsLimitTheGrade() {
        assertThat(grade(PERFECT_HEADERS, tls(b -> b.suite("TLS_RSA_WITH_3DES_EDE_CBC_SHA")), List.of()).grade()).contains(Grade.C);
        assertThat(grade(PERFECT_HEADERS, tls(b -> b.only(TlsProtocol.TLSv1, TlsProtocol.TLSv1_1)), List.of()).grade()).contains(Grade.C);
        assertThat(grade(PERFECT_HEADERS, tls(b -> b.offering(TlsProtocol.TLSv1)), List.of()).grade()).contains(Grade.B);
        assertThat(grade(PERFECT_HEADERS, tls(b -> b.dhBits(1024)), List.of()).grade()).contains(Grade.B);
        assertThat(grade(PERFECT_HEADERS, tls(b -> b.chainComplete(false)), List.of()).grade()).contains(Grade.B);
        assertThat(grade(PERFECT_HEADERS, tls(b -> b.notAfter(NOW.plus(Duration.ofDays(5)))), List.of()).grade()).contains(Grade.B);
        // A cap never raises a grade: 50 (C) and 30 (D) stay where the chart puts them.
        List<String> fifty = perfectWithout("Content-Security-Policy", "Strict-Transport-Security", "X-Content-Type-Options");
        assertThat(grade(fifty, tls(b -> b.suite("TLS_RSA_WITH_3DES_EDE_CBC_SHA")), List.of()).grade()).contains(Grade.C);
        List<String> thirty = perfectWithout("Content-Security-Policy", "Strict-Transport-Security", "X-Content-Type-Options",
                "X-Frame-Options");
        assertThat(grade(thirty, tls(b -> b.suite("TLS_RSA_WITH_3DES_EDE_CBC_SHA")), List.of()).grade()).contains(Grade.D);
    }

    @Test
    void belowRequiredMozillaLevelCarriesTheAdvice() {
        ServiceGrade g = grade(PERFECT_HEADERS, tls(b -> b.offering(TlsProtocol.TLSv1)), List.of());
        assertThat(g.grade()).contains(Grade.B);
        assertThat(g.tlsLevel()).isEqualTo("old");
        assertThat(g.failing()).anySatisfy(c -> {
            assertThat(c.control()).isEqualTo("tls-level");
            assertThat(c.remediation()).contains("remove protocols TLSv1");
        });
    }

    @Test
    void belowRequiredMozillaLevelNamesTheIngressNginxKeysOfTheGuidelinesInForce() {
        ServiceGrade current = grade(PERFECT_HEADERS, tls(b -> b.offering(TlsProtocol.TLSv1)), List.of());
        assertThat(current.failing()).filteredOn(c -> c.control().equals("tls-level")).singleElement().satisfies(c -> assertThat(c.remediation())
                .startsWith("ingress-nginx ConfigMap: ssl-protocols: \"TLSv1.2 TLSv1.3\", ssl-ciphers: \"ECDHE-ECDSA-AES128-GCM-SHA256:")
                .contains("ssl-ecdh-curve: \"X25519MLKEM768:X25519:prime256v1:secp384r1\", ssl-session-tickets: \"false\"")
                .contains("(Mozilla intermediate, guidelines 5.8; nginx, HAProxy, Envoy: vigil tls-config --level intermediate --guidelines 5.8)")
                .endsWith("— for intermediate level: remove protocols TLSv1"));

        // 5.7 still lists DHE suites and the X25519-first groups: the fix follows the version the baseline pins
        GradePolicy pinned = POLICY.withTls(dev.vigil.grade.tls.MozillaLevel.INTERMEDIATE, dev.vigil.grade.tls.GuidelinesVersion.V5_7);
        ServiceGrade old = GRADER.grade(Findings.service(NOW, tls(b -> b.offering(TlsProtocol.TLSv1)), Findings.https(HOST, PERFECT_HEADERS)),
                pinned, List.of(), HOST, NOW);
        assertThat(old.failing()).filteredOn(c -> c.control().equals("tls-level")).singleElement().satisfies(c -> assertThat(c.remediation())
                .contains("DHE-RSA-AES128-GCM-SHA256").contains("ssl-dh-param: \"ingress-nginx/dhparam\"")
                .contains("ssl-ecdh-curve: \"X25519:prime256v1:secp384r1\"").contains("--guidelines 5.7"));
    }

    @Test
    void acceptedRiskLiftsTheCapAndGivesThePenaltyBack() {
        var risks = List.of(
                new AcceptedRisk(List.of("*.example.com"), "content-security-policy", "legacy admin UI", "sec-team", NOW.plusSeconds(3600)),
                new AcceptedRisk(List.of(HOST), "tls-ciphers", "old POS terminals", "payments", NOW.plusSeconds(3600)),
                new AcceptedRisk(List.of(HOST), "tls-level", "old POS terminals", "payments", NOW.plusSeconds(3600)));
        ServiceGrade g = grade(perfectWithout("Content-Security-Policy"), tls(b -> b.suite("TLS_RSA_WITH_3DES_EDE_CBC_SHA")), risks);
        assertThat(g.score()).contains(100);
        assertThat(g.grade()).contains(Grade.A_PLUS);
        assertThat(g.failing()).isEmpty();
        assertThat(g.controls()).filteredOn(c -> c.state() == ControlState.ACCEPTED).hasSize(3);
        assertThat(g.acceptedRisks()).hasSize(3);
    }

    @Test
    void expiredOrNonMatchingRisksDoNotApply() {
        UnaryOperator<TlsBuilder> tripleDes = b -> b.suite("TLS_RSA_WITH_3DES_EDE_CBC_SHA");
        var expired = List.of(new AcceptedRisk(List.of(HOST), "tls-ciphers", "old POS terminals", "payments", NOW.minusSeconds(1)));
        assertThat(grade(PERFECT_HEADERS, tls(tripleDes), expired).grade()).contains(Grade.C);
        var otherHost = List.of(new AcceptedRisk(List.of("other.example.com"), "tls-ciphers", "old POS terminals", "payments", NOW.plusSeconds(60)));
        assertThat(grade(PERFECT_HEADERS, tls(tripleDes), otherHost).grade()).contains(Grade.C);
        var wildcardApex = List.of(new AcceptedRisk(List.of("*.shop.example.com"), "tls-ciphers", "old POS terminals", "payments", NOW.plusSeconds(60)));
        assertThat(grade(PERFECT_HEADERS, tls(tripleDes), wildcardApex).grade()).contains(Grade.C);
    }

    @Test
    void ungradableSiteHasNoGradeButAnError() {
        ServiceGrade g = GRADER.grade(Findings.service(NOW, tls(b -> b), Findings.down(HOST)), POLICY, List.of(), HOST, NOW);
        assertThat(g.grade()).isEmpty();
        assertThat(g.error()).map(ProbeFailure::message).contains("The site seems to be down.");
        assertThat(g.error()).map(ProbeFailure::reason).contains(ProbeFailure.UNGRADABLE);
        assertThat(g.belowMinimum()).isTrue();
        assertThat(g.compliant()).isFalse();
    }

    @Test
    void aFailedProbeHasNoControlsOnlyItsError() {
        ServiceFindings failed = ServiceFindings.failed(NOW, ProbeFailure.TIMEOUT, "no answer within the probe budget of 5s");
        ServiceGrade g = GRADER.grade(failed, POLICY, List.of(), HOST, NOW);
        assertThat(g.grade()).isEmpty();
        assertThat(g.controls()).isEmpty();
        assertThat(g.error()).map(ProbeFailure::reason).contains(ProbeFailure.TIMEOUT);
    }

    @Test
    void controlLevelsDecideComplianceLikeTestsInASuite() {
        // Missing CSP is only a warning by default: the grade (B) meets the minimum B, so the service is compliant.
        List<String> noCsp = perfectWithout("Content-Security-Policy");
        assertThat(grade(noCsp, tls(b -> b), List.of()).compliant()).isTrue();

        // Set to fail, the same finding makes it non-compliant at the same grade.
        GradePolicy strict = new GradePolicy(POLICY.tlsLevel(), POLICY.guidelines(), 14, POLICY.algorithm(), Grade.B,
                Map.of("content-security-policy", ControlLevel.FAIL));
        ServiceGrade failing = GRADER.grade(Findings.service(NOW, tls(b -> b), Findings.https(HOST, noCsp)), strict, List.of(), HOST, NOW);
        assertThat(failing.grade()).contains(Grade.B);
        assertThat(failing.belowMinimum()).isFalse();
        assertThat(failing.compliant()).isFalse();

        // Ignored, the control is dropped and its penalty given back: 75 + 25 = 100, A+.
        GradePolicy lenient = new GradePolicy(POLICY.tlsLevel(), POLICY.guidelines(), 14, POLICY.algorithm(), Grade.B,
                Map.of("content-security-policy", ControlLevel.IGNORE, "certificate-chain", ControlLevel.IGNORE));
        ServiceGrade ignored = GRADER.grade(Findings.service(NOW, tls(b -> b.chainComplete(false)), Findings.https(HOST, noCsp)),
                lenient, List.of(), HOST, NOW);
        assertThat(ignored.score()).contains(100);
        assertThat(ignored.grade()).contains(Grade.A_PLUS);
        assertThat(ignored.controls()).extracting(ControlResult::control).doesNotContain("content-security-policy", "certificate-chain");

        // By default a cap below the minimum makes the control fail; one at or above it only warns.
        ServiceGrade expired = grade(PERFECT_HEADERS, tls(b -> b.expired(true)), List.of());
        assertThat(expired.failing()).singleElement().satisfies(c -> assertThat(c.level()).isEqualTo(ControlLevel.FAIL));
        ServiceGrade chain = grade(PERFECT_HEADERS, tls(b -> b.chainComplete(false)), List.of());
        assertThat(chain.failing()).singleElement().satisfies(c -> assertThat(c.level()).isEqualTo(ControlLevel.WARN));
        assertThat(chain.compliant()).isTrue();
    }

    @Test
    void theAlgorithmIsRecordedAndScoresDiffer() {
        ServiceGrade v6 = GRADER.grade(Findings.service(NOW, tls(b -> b), Findings.https(HOST, PERFECT_HEADERS)),
                POLICY.withAlgorithm(ObservatoryAlgorithm.V6), List.of(), HOST, NOW);
        assertThat(v6.algorithm()).isEqualTo(ObservatoryAlgorithm.V6);
        assertThat(v6.controls()).extracting(ControlResult::control).contains("cross-origin-opener-policy");
        assertThat(grade(PERFECT_HEADERS, tls(b -> b), List.of()).controls()).extracting(ControlResult::control)
                .doesNotContain("cross-origin-opener-policy");
    }

    @Test
    void theServedCertificateMustBeTheOneConfigured() {
        String configured = "a".repeat(64);
        String stale = "b".repeat(64);
        CertificateExpectation listener = new CertificateExpectation("gateway/infra/edge/https", List.of(configured), List.of());
        ServiceGrade same = GRADER.grade(Findings.service(NOW, tls(b -> b.leafSha256(configured)), Findings.https(HOST, PERFECT_HEADERS)),
                POLICY, List.of(), HOST, listener, NOW);
        assertThat(same.grade()).contains(Grade.A_PLUS);
        assertThat(same.controls()).filteredOn(c -> c.control().equals("certificate-configured")).singleElement()
                .satisfies(c -> assertThat(c.state()).isEqualTo(ControlState.PASS));

        ServiceGrade other = GRADER.grade(Findings.service(NOW, tls(b -> b.leafSha256(stale)), Findings.https(HOST, PERFECT_HEADERS)),
                POLICY, List.of(), HOST, listener, NOW);
        assertThat(other.grade()).as("a trusted, valid, but unconfigured certificate: drift, capped at B").contains(Grade.B);
        assertThat(other.capReasons()).containsExactly("certificate not the one configured → B");
        assertThat(other.failing()).singleElement().satisfies(c -> {
            assertThat(c.control()).isEqualTo("certificate-configured");
            assertThat(c.detail()).contains("bbbbbbbbbbbbbbbb").contains("aaaaaaaaaaaaaaaa").contains("gateway/infra/edge/https")
                    .doesNotContain(stale);
        });
        assertThat(other.compliant()).as("B meets the default minimum: warn level").isTrue();
        GradePolicy strict = new GradePolicy(POLICY.tlsLevel(), POLICY.guidelines(), POLICY.minCertificateDays(), POLICY.algorithm(),
                POLICY.minimumGrade(), Map.of("certificate-configured", ControlLevel.FAIL));
        assertThat(GRADER.grade(Findings.service(NOW, tls(b -> b.leafSha256(stale)), Findings.https(HOST, PERFECT_HEADERS)),
                strict, List.of(), HOST, listener, NOW).compliant()).isFalse();

        CertificateExpectation unreadable = new CertificateExpectation("gateway/infra/edge/https", List.of(),
                List.of("Secret infra/edge-tls does not exist"));
        ServiceGrade missing = GRADER.grade(Findings.service(NOW, tls(b -> b.leafSha256(stale)), Findings.https(HOST, PERFECT_HEADERS)),
                POLICY, List.of(), HOST, unreadable, NOW);
        assertThat(missing.failing()).singleElement().satisfies(c -> assertThat(c.detail()).contains("does not exist"));

        ServiceGrade nothingExpected = grade(PERFECT_HEADERS, tls(b -> b.leafSha256(stale)), List.of());
        assertThat(nothingExpected.controls()).extracting(ControlResult::control).doesNotContain("certificate-configured");
        assertThat(ControlCatalog.known("certificate-configured")).isTrue();
    }

    private static ServiceGrade grade(List<String> headers, TlsScanResult tls, List<AcceptedRisk> risks) {
        return GRADER.grade(Findings.service(NOW, tls, Findings.https(HOST, headers)), POLICY, risks, HOST, NOW);
    }

    private static TlsScanResult tls(UnaryOperator<TlsBuilder> edit) {
        return Findings.tls(HOST, NOW, edit);
    }

}
