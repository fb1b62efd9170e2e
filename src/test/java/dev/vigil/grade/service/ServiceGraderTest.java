package dev.vigil.grade.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.grade.AcceptedRisk;
import dev.vigil.grade.Grade;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ServiceGraderTest {

    static final Instant NOW = Instant.parse("2026-11-23T00:00:00Z");
    static final ServicePolicy POLICY = new ServicePolicy("intermediate", 14, Grade.B);
    static final String HOST = "shop.example.com";

    @Test
    void goodTlsLeavesTheObservatoryGrade() {
        ServiceGrade g = grade(http(100), tls(), List.of());
        assertThat(g.grade()).contains(Grade.A_PLUS);
        assertThat(g.capReasons()).isEmpty();
        assertThat(g.failing()).isEmpty();
        assertThat(g.tlsLevel()).isEqualTo("intermediate");
    }

    @Test
    void observatoryFailuresLowerTheGradeByTheChart() {
        HttpPosture http = new HttpPosture(Optional.of(75), Optional.empty(), List.of(
                new HttpPosture.Test("content-security-policy", "csp-not-implemented", -25, false, "send a CSP")));
        ServiceGrade g = grade(http, tls(), List.of());
        assertThat(g.grade()).contains(Grade.B);
        assertThat(g.failing()).extracting(ControlResult::control).containsExactly("content-security-policy");
    }

    @Test
    void noHttpsIsF() {
        ServiceGrade g = grade(http(100), TlsPosture.unavailable(), List.of());
        assertThat(g.grade()).contains(Grade.F);
        assertThat(g.uncapped()).contains(Grade.A_PLUS);
        assertThat(g.capReasons()).containsExactly("no HTTPS → F");
    }

    @Test
    void hardCertificateFailuresAreF() {
        assertThat(grade(http(100), tls(b -> b.trusted(false)), List.of()).grade()).contains(Grade.F);
        assertThat(grade(http(100), tls(b -> b.expired(true)), List.of()).grade()).contains(Grade.F);
        assertThat(grade(http(100), tls(b -> b.hostnameMatches(false)), List.of()).grade()).contains(Grade.F);
        assertThat(grade(http(100), tls(b -> b.signatureAlgorithm("SHA1withRSA")), List.of()).grade()).contains(Grade.F);
        assertThat(grade(http(100), tls(b -> b.keyExchangeBits(512)), List.of()).grade()).contains(Grade.F);
        assertThat(grade(http(100), tls(b -> b.rc4(true)), List.of()).grade()).contains(Grade.F);
        assertThat(grade(http(100), tls(b -> b.protocols(Set.of("SSLv3", "TLSv1.2"))), List.of()).grade()).contains(Grade.F);
    }

    @Test
    void softCapsLimitTheGrade() {
        assertThat(grade(http(100), tls(b -> b.tripleDes(true)), List.of()).grade()).contains(Grade.C);
        assertThat(grade(http(100), tls(b -> b.protocols(Set.of("TLSv1", "TLSv1.1"))), List.of()).grade()).contains(Grade.C);
        assertThat(grade(http(100), tls(b -> b.protocols(Set.of("TLSv1", "TLSv1.2")).level("old")), List.of()).grade()).contains(Grade.B);
        assertThat(grade(http(100), tls(b -> b.keyExchangeBits(1024)), List.of()).grade()).contains(Grade.B);
        assertThat(grade(http(100), tls(b -> b.chainComplete(false)), List.of()).grade()).contains(Grade.B);
        assertThat(grade(http(100), tls(b -> b.notAfter(NOW.plus(Duration.ofDays(5)))), List.of()).grade()).contains(Grade.B);
        // A cap never raises a grade.
        assertThat(grade(http(50), tls(b -> b.tripleDes(true)), List.of()).grade()).contains(Grade.C);
        assertThat(grade(http(30), tls(b -> b.tripleDes(true)), List.of()).grade()).contains(Grade.D);
    }

    @Test
    void belowRequiredMozillaLevelCarriesTheAdvice() {
        ServiceGrade g = grade(http(100), tls(b -> b.level("old").advice(List.of("for intermediate level: remove protocols TLSv1"))), List.of());
        assertThat(g.grade()).contains(Grade.B);
        assertThat(g.failing()).singleElement().satisfies(c -> {
            assertThat(c.control()).isEqualTo("tls-level");
            assertThat(c.remediation()).contains("remove protocols TLSv1");
        });
    }

    @Test
    void acceptedRiskLiftsTheCapAndGivesThePenaltyBack() {
        HttpPosture http = new HttpPosture(Optional.of(75), Optional.empty(), List.of(
                new HttpPosture.Test("content-security-policy", "csp-not-implemented", -25, false, "send a CSP")));
        var risks = List.of(
                new AcceptedRisk(List.of("*.example.com"), "content-security-policy", "legacy admin UI", "sec-team", NOW.plusSeconds(3600)),
                new AcceptedRisk(List.of(HOST), "tls-ciphers", "old POS terminals", "payments", NOW.plusSeconds(3600)));
        ServiceGrade g = grade(http, tls(b -> b.tripleDes(true)), risks);
        assertThat(g.grade()).contains(Grade.A_PLUS);
        assertThat(g.score()).contains(100);
        assertThat(g.failing()).isEmpty();
        assertThat(g.controls()).filteredOn(c -> c.state() == ControlState.ACCEPTED).hasSize(2);
        assertThat(g.acceptedRisks()).hasSize(2);
    }

    @Test
    void expiredOrNonMatchingRisksDoNotApply() {
        var expired = List.of(new AcceptedRisk(List.of(HOST), "tls-ciphers", "old POS terminals", "payments", NOW.minusSeconds(1)));
        assertThat(grade(http(100), tls(b -> b.tripleDes(true)), expired).grade()).contains(Grade.C);
        var otherHost = List.of(new AcceptedRisk(List.of("other.example.com"), "tls-ciphers", "old POS terminals", "payments", NOW.plusSeconds(60)));
        assertThat(grade(http(100), tls(b -> b.tripleDes(true)), otherHost).grade()).contains(Grade.C);
        var wildcardApex = List.of(new AcceptedRisk(List.of("*.shop.example.com"), "tls-ciphers", "old POS terminals", "payments", NOW.plusSeconds(60)));
        assertThat(grade(http(100), tls(b -> b.tripleDes(true)), wildcardApex).grade()).contains(Grade.C);
    }

    @Test
    void ungradableSiteHasNoGradeButAnError() {
        ServiceGrade g = grade(new HttpPosture(Optional.empty(), Optional.of("The site seems to be down."), List.of()), tls(), List.of());
        assertThat(g.grade()).isEmpty();
        assertThat(g.error()).contains("The site seems to be down.");
        assertThat(g.belowMinimum(Grade.B)).isTrue();
    }

    private static ServiceGrade grade(HttpPosture http, TlsPosture tls, List<AcceptedRisk> risks) {
        return ServiceGrader.grade(http, tls, POLICY, risks, HOST, NOW);
    }

    private static HttpPosture http(int score) {
        return new HttpPosture(Optional.of(score), Optional.empty(), List.of());
    }

    private static TlsPosture tls() {
        return tls(b -> b);
    }

    private static TlsPosture tls(java.util.function.UnaryOperator<TlsBuilder> edit) {
        return edit.apply(new TlsBuilder()).build();
    }

    static final class TlsBuilder {
        Set<String> protocols = Set.of("TLSv1.2", "TLSv1.3");
        boolean rc4, tripleDes, expired, chainComplete = true, trusted = true, hostnameMatches = true;
        int keyExchangeBits = 3072;
        String signature = "SHA256withRSA", level = "intermediate";
        List<String> advice = List.of();
        Instant notAfter = NOW.plus(Duration.ofDays(60));

        TlsBuilder protocols(Set<String> p) { protocols = p; return this; }
        TlsBuilder rc4(boolean v) { rc4 = v; return this; }
        TlsBuilder tripleDes(boolean v) { tripleDes = v; return this; }
        TlsBuilder expired(boolean v) { expired = v; return this; }
        TlsBuilder trusted(boolean v) { trusted = v; return this; }
        TlsBuilder chainComplete(boolean v) { chainComplete = v; return this; }
        TlsBuilder hostnameMatches(boolean v) { hostnameMatches = v; return this; }
        TlsBuilder keyExchangeBits(int v) { keyExchangeBits = v; return this; }
        TlsBuilder signatureAlgorithm(String v) { signature = v; return this; }
        TlsBuilder level(String v) { level = v; return this; }
        TlsBuilder advice(List<String> v) { advice = v; return this; }
        TlsBuilder notAfter(Instant v) { notAfter = v; return this; }

        TlsPosture build() {
            return new TlsPosture(true, protocols, rc4, false, false, tripleDes, OptionalInt.of(keyExchangeBits), "RSA",
                    keyExchangeBits, trusted, chainComplete, expired, false, hostnameMatches, signature,
                    Optional.of(notAfter), level, advice);
        }
    }
}
