package dev.vigil.grade.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.probe.tls.CertificateFacts;
import dev.vigil.probe.tls.ProtocolSupport;
import dev.vigil.probe.tls.TlsProtocol;
import dev.vigil.probe.tls.TlsScanResult;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Mozilla's Server Side TLS levels judged on scan results built here (no network): the lists of the shipped
 * guidelines JSON (5.7, 5.8, 6.0), "extra fails, missing is advice", server order only where a level requires it,
 * and TLS Observatory's wording (docs/tls-evaluation.md §b).
 */
class MozillaEvaluatorTest {

    static final List<String> TLS13_SUITES = List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256");
    /** Intermediate's six TLS 1.2 suites in 5.8 and 6.0. */
    static final List<String> ECDHE_AEAD = List.of("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
    static final List<String> CURVES = List.of("x25519", "secp256r1", "secp384r1");
    /** What a current TLS 1.3 server offers: guidelines 5.8 and later list the hybrid first (advice without it). */
    static final List<String> CURVES_PQ = List.of("X25519MLKEM768", "x25519", "secp256r1", "secp384r1");

    static CertificateFacts ecdsa(long lifespanDays) {
        return new CertificateFacts(true, true, true, false, false, true, "EC", 256, Optional.of("prime256v1"), "SHA256withECDSA",
                lifespanDays, Optional.empty(), true, Optional.empty());
    }

    static CertificateFacts rsa(int bits, String signature, long lifespanDays, boolean stapled) {
        return new CertificateFacts(true, true, true, false, false, true, "RSA", bits, Optional.empty(), signature, lifespanDays,
                Optional.empty(), stapled, Optional.empty());
    }

    static ProtocolSupport support(TlsProtocol protocol, List<String> suites, String order, List<String> groups,
            Optional<Integer> minDh) {
        return new ProtocolSupport(protocol, suites, order, groups, minDh);
    }

    static ProtocolSupport tls13() {
        return support(TlsProtocol.TLSv1_3, TLS13_SUITES, "client", CURVES_PQ, Optional.empty());
    }

    static ProtocolSupport tls12(List<String> suites) {
        return support(TlsProtocol.TLSv1_2, suites, "client", CURVES, Optional.empty());
    }

    static TlsScanResult scan(CertificateFacts cert, ProtocolSupport... supports) {
        Map<TlsProtocol, ProtocolSupport> protocols = new LinkedHashMap<>();
        for (ProtocolSupport s : supports) {
            protocols.put(s.protocol(), s);
        }
        return new TlsScanResult("shop.test", 443, true, protocols, cert, 10, Duration.ZERO, List.of());
    }

    /** The modern configuration of the ssl-config-generator: TLS 1.3 only, ECDSA P-256, 90 days, stapled. */
    static TlsScanResult modern() {
        return scan(ecdsa(90), tls13());
    }

    /** The intermediate configuration with an RSA 2048 certificate (what most ingress controllers serve). */
    static TlsScanResult intermediateRsa() {
        return scan(rsa(2048, "SHA256withRSA", 365, true), tls12(ECDHE_AEAD.subList(0, 6)), tls13());
    }

    static MozillaEvaluation.Verdict verdict(TlsScanResult scan, String guidelines, String level) {
        return MozillaEvaluator.evaluate(scan, guidelines).levels().get(level);
    }

    @Test
    void modernEndpointIsModernAndFailsOldOnlyOnWhatOldForbids() {
        MozillaEvaluation m = MozillaEvaluator.evaluate(modern(), "5.8");
        assertThat(m.level()).isEqualTo("modern");
        assertThat(m.guidelines()).isEqualTo("5.8");
        assertThat(m.insecure()).isEmpty();
        assertThat(m.levels().keySet()).containsExactly("modern", "intermediate", "old");
        assertThat(m.levels().get("modern")).isEqualTo(new MozillaEvaluation.Verdict(true, List.of(), List.of()));
        // Intermediate allows TLS 1.2 but does not require it: advice only.
        assertThat(m.levels().get("intermediate")).isEqualTo(new MozillaEvaluation.Verdict(true, List.of(),
                List.of("consider enabling protocols TLSv1.2")));
        // Server order is judged on TLS 1.2 and older only (TLS 1.3 servers let clients pick ChaCha20), so a
        // TLS 1.3-only endpoint fails old on its certificate alone.
        assertThat(m.levels().get("old").failures()).containsExactly(
                "use a certificate of type rsa, not EC",
                "use a certificate with a sha256WithRSAEncryption signature, not ecdsa-with-SHA256");
        assertThat(m.levels().get("old").advice()).containsExactly("consider enabling protocols TLSv1, TLSv1.1, TLSv1.2");
    }

    @Test
    void intermediateEndpointReadsLikeTlsObservatoryForModern() {
        MozillaEvaluation m = MozillaEvaluator.evaluate(intermediateRsa(), "5.8");
        assertThat(m.level()).isEqualTo("intermediate");
        assertThat(m.levels().get("intermediate")).isEqualTo(new MozillaEvaluation.Verdict(true, List.of(), List.of()));
        assertThat(m.adviceFor("modern")).containsExactly(
                "for modern level: remove protocols TLSv1.2",
                "for modern level: remove ciphersuites " + String.join(", ", ECDHE_AEAD),
                "for modern level: use a certificate of type ecdsa, not RSA",
                "for modern level: use a certificate with a ecdsa-with-SHA256 or ecdsa-with-SHA384 or ecdsa-with-SHA512 "
                        + "signature, not sha256WithRSAEncryption",
                "for modern level: use a certificate with a lifespan of at most 90 days, not 365");
        assertThat(m.adviceFor("intermediate")).isEmpty();
        assertThat(m.adviceFor("nonsense")).isEmpty();
    }

    @Test
    void missingSuitesAreAdviceAndOnlyForProtocolsOffered() {
        // TLS 1.2 only, two of the six suites: TLS 1.3 suites are not advised (no TLS 1.3), the other four are.
        TlsScanResult scan = scan(rsa(2048, "SHA256withRSA", 200, true),
                tls12(List.of("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384")));
        MozillaEvaluation.Verdict v = verdict(scan, "5.8", "intermediate");
        assertThat(v.compliant()).isTrue();
        assertThat(v.advice()).containsExactly("consider enabling protocols TLSv1.3",
                "consider adding ciphers TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, "
                        + "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
        // TLS 1.3 only with one suite: the two missing TLS 1.3 suites are advised, no TLS 1.2 suite is.
        TlsScanResult one = scan(ecdsa(60), support(TlsProtocol.TLSv1_3, List.of("TLS_AES_256_GCM_SHA384"), "server", CURVES_PQ,
                Optional.empty()));
        assertThat(verdict(one, "5.8", "modern").advice())
                .containsExactly("consider adding ciphers TLS_AES_128_GCM_SHA256, TLS_CHACHA20_POLY1305_SHA256");
    }

    @Test
    void aTls13SuiteOutsideTheListFailsEveryLevel() {
        TlsScanResult scan = scan(ecdsa(90), support(TlsProtocol.TLSv1_3, List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_128_CCM_SHA256"),
                "server", CURVES, Optional.empty()));
        MozillaEvaluation m = MozillaEvaluator.evaluate(scan, "5.8");
        assertThat(m.level()).isEqualTo("non-compliant");
        assertThat(m.levels().get("modern").failures()).containsExactly("remove ciphersuites TLS_AES_128_CCM_SHA256");
        assertThat(m.insecure()).isEmpty();
    }

    @Test
    void serverOrderIsRequiredOnlyByOld() {
        List<String> oldSuites = List.of("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_128_CBC_SHA");
        TlsScanResult clientOrder = scan(rsa(2048, "SHA256withRSA", 300, true),
                support(TlsProtocol.TLSv1_2, oldSuites, "client", CURVES, Optional.empty()));
        TlsScanResult serverOrder = scan(rsa(2048, "SHA256withRSA", 300, true),
                support(TlsProtocol.TLSv1_2, oldSuites, "server", CURVES, Optional.empty()));
        assertThat(verdict(clientOrder, "5.8", "old").failures()).containsExactly("enforce server side ordering");
        assertThat(MozillaEvaluator.evaluate(clientOrder, "5.8").level()).isEqualTo("non-compliant");
        assertThat(MozillaEvaluator.evaluate(serverOrder, "5.8").level()).isEqualTo("old");
        // Intermediate does not care about order: its failure is the CBC suite alone.
        assertThat(verdict(clientOrder, "5.8", "intermediate").failures())
                .containsExactly("remove ciphersuites TLS_RSA_WITH_AES_128_CBC_SHA");
    }

    @Test
    void legacyProtocolsFailIntermediateButPassOld() {
        TlsScanResult scan = scan(rsa(2048, "SHA256withRSA", 300, false),
                support(TlsProtocol.TLSv1, List.of("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"), "server", CURVES, Optional.empty()),
                support(TlsProtocol.TLSv1_1, List.of("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"), "server", CURVES, Optional.empty()),
                support(TlsProtocol.TLSv1_2, List.of("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"), "server", CURVES, Optional.empty()));
        MozillaEvaluation m = MozillaEvaluator.evaluate(scan, "5.8");
        assertThat(m.level()).isEqualTo("old");
        assertThat(m.levels().get("intermediate").failures()).containsExactly("remove protocols TLSv1, TLSv1.1",
                "remove ciphersuites TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA");
        // Not stapled: advice at every level that asks for it, never a failure.
        assertThat(m.levels().get("old").advice()).contains("consider enabling OCSP stapling");
        assertThat(m.levels().get("old").failures()).isEmpty();
    }

    @Test
    void dheIsRefusedByModernAndSizedByTheOthers() {
        ProtocolSupport dhe1024 = support(TlsProtocol.TLSv1_2, List.of("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"), "server", CURVES,
                Optional.of(1024));
        TlsScanResult scan = scan(rsa(2048, "SHA256withRSA", 300, true), dhe1024);
        assertThat(verdict(scan, "5.8", "intermediate").failures()).containsExactly("use DHE of at least 2048bits");
        assertThat(verdict(scan, "5.8", "modern").failures()).contains(
                "enable Perfect Forward Secrecy with a curve of at least 256bits, don't use DHE");
        ProtocolSupport dhe2048 = support(TlsProtocol.TLSv1_2, List.of("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"), "server", CURVES,
                Optional.of(2048));
        assertThat(verdict(scan(rsa(2048, "SHA256withRSA", 300, true), dhe2048), "5.8", "intermediate").failures()).isEmpty();
        // An ffdhe group is DHE too, even without a measured modulus.
        ProtocolSupport ffdhe = support(TlsProtocol.TLSv1_3, TLS13_SUITES, "server", List.of("x25519", "ffdhe2048"), Optional.empty());
        MozillaEvaluation.Verdict modern = verdict(scan(ecdsa(90), ffdhe), "5.8", "modern");
        assertThat(modern.failures()).containsExactly("enable Perfect Forward Secrecy with a curve of at least 256bits, don't use DHE");
        assertThat(verdict(scan(ecdsa(90), ffdhe), "5.8", "intermediate").failures()).isEmpty();
    }

    @Test
    void keyExchangeGroupsMustBeListedAndLargeEnough() {
        ProtocolSupport small = support(TlsProtocol.TLSv1_3, TLS13_SUITES, "server", List.of("x25519", "secp224r1", "secp521r1"),
                Optional.empty());
        assertThat(verdict(scan(ecdsa(90), small), "5.8", "modern").failures()).containsExactly(
                "remove key exchange groups secp224r1, secp521r1", "use ECDHE of at least 256bits");
        // The hybrid post-quantum group is listed from 5.8 on, and X25519 (253 bits to OpenSSL) counts as 256.
        ProtocolSupport hybrid = support(TlsProtocol.TLSv1_3, TLS13_SUITES, "server", List.of("X25519MLKEM768", "x25519"),
                Optional.empty());
        assertThat(verdict(scan(ecdsa(90), hybrid), "5.8", "modern").failures()).isEmpty();
        assertThat(verdict(scan(ecdsa(90), hybrid), "6.0", "modern").failures()).isEmpty();
        assertThat(verdict(scan(ecdsa(90), hybrid), "5.7", "modern").failures())
                .containsExactly("remove key exchange groups X25519MLKEM768");
        ProtocolSupport x448 = support(TlsProtocol.TLSv1_3, TLS13_SUITES, "server", List.of("x448"), Optional.empty());
        assertThat(verdict(scan(ecdsa(90), x448), "5.8", "modern").failures()).containsExactly("remove key exchange groups X448");
    }

    @Test
    void certificateKeyCurveSignatureAndLifespan() {
        assertThat(verdict(scan(rsa(1024, "SHA256withRSA", 300, true), tls13()), "5.8", "intermediate").failures())
                .containsExactly("use a key size of at least 2048bits");
        assertThat(verdict(scan(rsa(2047, "SHA256withRSA", 300, true), tls13()), "5.8", "intermediate").failures())
                .containsExactly("use a key size of at least 2048bits");
        assertThat(verdict(scan(rsa(2048, "SHA256withRSA", 367, true), tls13()), "5.8", "intermediate").failures())
                .containsExactly("use a certificate with a lifespan of at most 366 days, not 367");
        assertThat(verdict(scan(rsa(2048, "SHA256withRSA", 366, true), tls13()), "5.8", "intermediate").failures()).isEmpty();
        assertThat(verdict(scan(ecdsa(91), tls13()), "5.8", "modern").failures())
                .containsExactly("use a certificate with a lifespan of at most 90 days, not 91");
        CertificateFacts p521 = new CertificateFacts(true, true, true, false, false, true, "EC", 521, Optional.of("secp521r1"),
                "SHA512withECDSA", 90, Optional.empty(), true, Optional.empty());
        assertThat(verdict(scan(p521, tls13()), "5.8", "modern").failures())
                .containsExactly("use a certificate curve of prime256v1 or secp384r1");
        assertThat(verdict(scan(rsa(2048, "SHA1withRSA", 300, true), tls13()), "5.8", "intermediate").failures())
                .containsExactly("use a certificate with a sha256WithRSAEncryption or ecdsa-with-SHA256 or ecdsa-with-SHA384 or "
                        + "ecdsa-with-SHA512 signature, not sha1WithRSAEncryption");
        CertificateFacts ed25519 = new CertificateFacts(true, true, true, false, false, true, "EdDSA", 255, Optional.empty(),
                "Ed25519", 90, Optional.empty(), true, Optional.empty());
        assertThat(verdict(scan(ed25519, tls13()), "5.8", "modern").failures()).containsExactly(
                "use a certificate of type ecdsa, not EdDSA",
                "use a certificate with a ecdsa-with-SHA256 or ecdsa-with-SHA384 or ecdsa-with-SHA512 signature, not Ed25519");
    }

    @Test
    void withoutACertificateOnlyTheHandshakeIsJudged() {
        TlsScanResult scan = scan(CertificateFacts.none(), tls13());
        assertThat(MozillaEvaluator.evaluate(scan, "5.8").level()).isEqualTo("modern");
    }

    @Test
    void insecureFindingsOverrideEveryLevel() {
        TlsScanResult scan = scan(rsa(2048, "MD5withRSA", 300, true),
                support(TlsProtocol.SSLv3, List.of("TLS_RSA_WITH_RC4_128_SHA"), "server", List.of(), Optional.empty()),
                support(TlsProtocol.TLSv1_2, List.of("TLS_RSA_WITH_RC4_128_SHA", "TLS_RSA_WITH_NULL_SHA256",
                        "TLS_RSA_EXPORT_WITH_RC4_40_MD5", "TLS_DH_anon_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_DES_CBC_SHA",
                        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"), "server", CURVES, Optional.empty()));
        MozillaEvaluation m = MozillaEvaluator.evaluate(scan, "5.8");
        assertThat(m.level()).isEqualTo("non-compliant");
        assertThat(m.insecure()).containsExactly("disable SSLv3", "remove cipher TLS_RSA_WITH_RC4_128_SHA",
                "remove cipher TLS_RSA_WITH_NULL_SHA256", "remove cipher TLS_RSA_EXPORT_WITH_RC4_40_MD5",
                "remove cipher TLS_DH_anon_WITH_AES_128_CBC_SHA", "remove cipher TLS_RSA_WITH_DES_CBC_SHA",
                "use a certificate not signed with MD5");
        // A modern endpoint with a 3DES suite is not insecure (3DES caps the grade instead), but fails modern.
        TlsScanResult tripleDes = scan(ecdsa(90), tls13(), tls12(List.of("TLS_RSA_WITH_3DES_EDE_CBC_SHA")));
        assertThat(MozillaEvaluator.evaluate(tripleDes, "5.8").insecure()).isEmpty();
    }

    @Test
    void anEndpointWithoutTlsIsNonCompliantEverywhere() {
        TlsScanResult none = new TlsScanResult("shop.test", 443, false, Map.of(), CertificateFacts.none(), 1, Duration.ZERO,
                List.of("connection refused"));
        MozillaEvaluation m = MozillaEvaluator.evaluate(none, "6.0");
        assertThat(m.level()).isEqualTo("non-compliant");
        // 6.0 dropped the old level.
        assertThat(m.levels().keySet()).containsExactly("modern", "intermediate");
        assertThat(m.levels().values()).allSatisfy(v -> assertThat(v).isEqualTo(
                new MozillaEvaluation.Verdict(false, List.of("enable TLS"), List.of())));
        assertThat(m.adviceFor("old")).isEmpty();
        assertThat(m.adviceFor("modern")).containsExactly("for modern level: enable TLS");
    }

    @Test
    void aModernEndpointThatIsInsecureIsStillNonCompliant() {
        TlsScanResult md5 = scan(new CertificateFacts(true, true, true, false, false, true, "EC", 256, Optional.of("prime256v1"),
                "MD5withECDSA", 90, Optional.empty(), true, Optional.empty()), tls13());
        assertThat(MozillaEvaluator.evaluate(md5, "5.8").level()).isEqualTo("non-compliant");
    }

    @ParameterizedTest
    @CsvSource({
            "SHA256withECDSA, ecdsa-with-SHA256",
            "SHA384withECDSA, ecdsa-with-SHA384",
            "SHA256withRSA, sha256WithRSAEncryption",
            "SHA-256withRSA, sha256WithRSAEncryption",
            "SHA1withRSA, sha1WithRSAEncryption",
            "RSASSA-PSS, rsassaPss",
            "Ed25519, Ed25519"})
    void signatureNamesAreSpelledTheOpenSslWay(String java, String openssl) {
        assertThat(MozillaEvaluator.openSslSignature(java)).isEqualTo(openssl);
    }

    @ParameterizedTest
    @CsvSource({"x25519, X25519", "x448, X448", "secp256r1, prime256v1", "secp384r1, secp384r1", "ffdhe2048, ffdhe2048"})
    void groupNamesAreSpelledTheGuidelinesWay(String bouncyCastle, String mozilla) {
        assertThat(MozillaEvaluator.mozillaGroup(bouncyCastle)).isEqualTo(mozilla);
    }

    @Test
    void guidelinesAreTheShippedJson() {
        Guidelines g = Guidelines.load("5.8");
        assertThat(g.version()).isEqualTo("5.8");
        Guidelines.Level old = g.levels().get("old");
        assertThat(old.tlsVersions()).containsExactly("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");
        assertThat(old.ciphers()).hasSize(21).endsWith("TLS_RSA_WITH_3DES_EDE_CBC_SHA");
        assertThat(old.dhParamSize()).contains(2048);
        assertThat(old.serverPreferredOrder()).isTrue();
        Guidelines.Level modern = g.levels().get("modern");
        assertThat(modern.ciphers()).isEmpty();
        assertThat(modern.dhParamSize()).isEmpty();
        assertThat(modern.rsaKeySize()).isEmpty();
        assertThat(modern.ecdhParamSize()).contains(256);
        assertThat(modern.maximumCertificateLifespan()).isEqualTo(90);
        assertThat(modern.ocspStaple()).isTrue();
        assertThat(modern.serverPreferredOrder()).isFalse();
        assertThat(Guidelines.load("5.7").levels().get("intermediate").ciphers()).hasSize(9)
                .contains("TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
        assertThat(Guidelines.load("5.8")).isSameAs(g);
        assertThat(Guidelines.VERSIONS).contains(Guidelines.DEFAULT_VERSION);
        assertThatThrownBy(() -> Guidelines.load("4.0")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown guidelines version 4.0 (known: [5.7, 5.8, 6.0])");
    }
}
