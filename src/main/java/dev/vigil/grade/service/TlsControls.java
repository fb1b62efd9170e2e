package dev.vigil.grade.service;

import dev.vigil.grade.Grade;
import dev.vigil.grade.tls.Guidelines;
import dev.vigil.grade.tls.MozillaEvaluation;
import dev.vigil.grade.tls.OpenSslVersion;
import dev.vigil.grade.tls.TlsConfigGenerator;
import dev.vigil.grade.tls.TlsConfiguration;
import dev.vigil.probe.tls.CertificateFacts;
import dev.vigil.probe.tls.CipherSuites;
import dev.vigil.probe.tls.Fingerprints;
import dev.vigil.probe.tls.ProtocolSupport;
import dev.vigil.probe.tls.TlsProtocol;
import dev.vigil.probe.tls.TlsScanResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The TLS and certificate controls of a service, read straight from the scan and its Mozilla evaluation,
 * each with the grade cap it imposes while failing (README, "Controls and grade caps").
 */
final class TlsControls {

    static final String HTTPS = "https";
    static final String CERTIFICATE_TRUST = "certificate-trust";
    static final String CERTIFICATE_CHAIN = "certificate-chain";
    static final String CERTIFICATE_EXPIRY = "certificate-expiry";
    static final String CERTIFICATE_HOSTNAME = "certificate-hostname";
    static final String CERTIFICATE_CONFIGURED = "certificate-configured";
    static final String CERTIFICATE_KEY = "certificate-key";
    static final String CERTIFICATE_SIGNATURE = "certificate-signature";
    static final String CERTIFICATE_REVOCATION = "certificate-revocation";
    static final String TLS_PROTOCOLS = "tls-protocols";
    static final String TLS_CIPHERS = "tls-ciphers";
    static final String TLS_LEVEL = "tls-level";

    private TlsControls() {
    }

    static List<ControlResult> of(Optional<TlsScanResult> scan, Optional<MozillaEvaluation> mozilla, GradePolicy policy,
            Instant now) {
        return of(scan, mozilla, policy, CertificateExpectation.NONE, now);
    }

    static List<ControlResult> of(Optional<TlsScanResult> scan, Optional<MozillaEvaluation> mozilla, GradePolicy policy,
            CertificateExpectation expected, Instant now) {
        List<ControlResult> checks = new ArrayList<>();
        if (scan.isEmpty() || mozilla.isEmpty()) {
            checks.add(ControlResult.fail(HTTPS, "no HTTPS answer", "serve the site over HTTPS (Ingress spec.tls with a certificate)",
                    new Cap(Grade.F, "no HTTPS")));
            return checks;
        }
        TlsScanResult tls = scan.get();
        List<CertificateFacts> certs = tls.certificates();
        checks.add(ControlResult.pass(HTTPS, "HTTPS available"));
        // A server with several certificates (RSA and ECDSA) is judged on each: the weaker one counts.
        checks.add(weakest(certs, TlsControls::trust));
        checks.add(weakest(certs, TlsControls::chain));
        checks.add(weakest(certs, c -> expiry(c, policy, now)));
        checks.add(weakest(certs, c -> c.present() && c.hostnameMatches() ? ControlResult.pass(CERTIFICATE_HOSTNAME, "name matches")
                : ControlResult.fail(CERTIFICATE_HOSTNAME, "certificate does not cover the host",
                        "issue a certificate whose SAN lists this host", new Cap(Grade.F, "host name mismatch"))));
        if (expected.expects()) {
            // A dual-certificate server must serve referenced certificates only: one stale certificate counts.
            checks.add(weakest(certs, c -> configured(c, expected)));
        }
        checks.add(key(tls));
        checks.add(weakest(certs, TlsControls::signature));
        checks.add(weakest(certs, c -> revocation(c, now)));
        checks.add(protocols(tls));
        checks.add(ciphers(tls));
        String achieved = mozilla.get().level();
        String required = policy.tlsLevel().label();
        List<String> advice = mozilla.get().adviceFor(required).stream().filter(a -> !a.contains("consider")).toList();
        checks.add(policy.tlsLevel().metBy(achieved)
                ? ControlResult.pass(TLS_LEVEL, "Mozilla " + achieved)
                : ControlResult.fail(TLS_LEVEL, "Mozilla " + achieved + ", required " + required, levelRemediation(policy, advice),
                        new Cap(Grade.B, "below the required Mozilla level")));
        return checks;
    }

    /**
     * The fix for a service below its required Mozilla level, on one line: the ingress-nginx ConfigMap keys of the
     * configuration that meets the level under the guidelines in force (the generator's, for an OpenSSL that has every
     * group the guidelines list), the command printing the nginx, HAProxy and Envoy equivalents, then what the scan
     * found wrong ("for intermediate level: remove protocols TLSv1").
     */
    static String levelRemediation(GradePolicy policy, List<String> advice) {
        String version = policy.guidelines().label();
        String required = policy.tlsLevel().label();
        String fix;
        if (Guidelines.load(version).level(policy.tlsLevel()).isPresent()) {
            TlsConfiguration config = TlsConfiguration.of(version, policy.tlsLevel(), OpenSslVersion.DEFAULT);
            fix = "ingress-nginx ConfigMap: " + TlsConfigGenerator.ingressNginxTlsLine(config) + " (Mozilla " + required
                    + ", guidelines " + version + "; nginx, HAProxy, Envoy: " + config.command(Optional.empty()) + ")";
        } else {
            // BaselinePolicy and the CLI refuse such a policy; kept total for a policy built by hand
            fix = "apply Mozilla's " + required + " configuration";
        }
        return advice.isEmpty() ? fix : fix + " — " + String.join("; ", advice);
    }

    /**
     * The result for the weakest of several certificates: a failure with the lowest cap, else any failure, else the
     * first result. With more than one certificate the detail names which one ("RSA 2048: …").
     */
    static ControlResult weakest(List<CertificateFacts> certs, java.util.function.Function<CertificateFacts, ControlResult> control) {
        ControlResult worst = null;
        CertificateFacts worstCert = null;
        for (CertificateFacts cert : certs) {
            ControlResult r = control.apply(cert);
            if (worst == null || worse(r, worst)) {
                worst = r;
                worstCert = cert;
            }
        }
        if (certs.size() < 2 || !worst.failing()) {
            return worst;
        }
        return new ControlResult(worst.control(), worst.state(), worstCert.label() + " certificate: " + worst.detail(),
                worst.remediation(), worst.cap(), worst.penalty(), worst.level());
    }

    private static boolean worse(ControlResult candidate, ControlResult current) {
        if (candidate.failing() != current.failing()) {
            return candidate.failing();
        }
        Grade a = candidate.cap().map(Cap::grade).orElse(Grade.values()[Grade.values().length - 1]);
        Grade b = current.cap().map(Cap::grade).orElse(Grade.values()[Grade.values().length - 1]);
        return a.below(b);
    }

    private static ControlResult trust(CertificateFacts cert) {
        return cert.present() && cert.trusted()
                ? ControlResult.pass(CERTIFICATE_TRUST, cert.completedViaAia() ? "chain trusted (complete via AIA)" : "chain trusted")
                : ControlResult.fail(CERTIFICATE_TRUST, "certificate not trusted" + cert.trustProblem().map(p -> ": " + p).orElse(""),
                        "use a certificate from a trusted CA (e.g. cert-manager with an ACME issuer)", new Cap(Grade.F, "untrusted certificate"));
    }

    private static ControlResult chain(CertificateFacts cert) {
        if (cert.present() && cert.chainComplete()) {
            return ControlResult.pass(CERTIFICATE_CHAIN, "chain complete");
        }
        String detail = cert.completedViaAia()
                ? "intermediate certificates missing — complete via AIA (clients that do not fetch AIA, such as curl, OpenSSL and Firefox without its preload, fail)"
                : "intermediate certificates missing";
        return ControlResult.fail(CERTIFICATE_CHAIN, detail, "serve the full chain (leaf + intermediates) in the TLS Secret's tls.crt",
                new Cap(Grade.B, "incomplete chain"));
    }

    private static ControlResult signature(CertificateFacts cert) {
        String signature = cert.signatureAlgorithm().toUpperCase(Locale.ROOT).replace("-", "");
        return signature.contains("MD5") || signature.contains("SHA1")
                ? ControlResult.fail(CERTIFICATE_SIGNATURE, "signed with " + cert.signatureAlgorithm(),
                        "reissue the certificate with a SHA-256 signature", new Cap(Grade.F, "weak certificate signature"))
                : ControlResult.pass(CERTIFICATE_SIGNATURE, cert.signatureAlgorithm());
    }

    /**
     * The stapled OCSP response: a revocation the issuer signed caps at F (a client that reads the staple refuses the
     * connection); a stale, unverifiable, unknown or unreadable staple is a finding without a cap. No staple passes
     * (stapling itself is Mozilla advice).
     */
    static ControlResult revocation(CertificateFacts cert, Instant now) {
        if (cert.ocsp().isEmpty()) {
            return ControlResult.pass(CERTIFICATE_REVOCATION, cert.ocspStapled() ? "OCSP stapled" : "no OCSP staple");
        }
        var staple = cert.ocsp().get();
        if (staple.revoked()) {
            return ControlResult.fail(CERTIFICATE_REVOCATION, "certificate revoked: " + staple.describe(),
                    "replace the certificate now (issue a new one; cert-manager: delete the Secret or renew the Certificate)",
                    new Cap(Grade.F, "revoked certificate"));
        }
        if (staple.problem().isPresent() || !"good".equals(staple.status())) {
            return ControlResult.finding(CERTIFICATE_REVOCATION, staple.describe()
                    + staple.problem().map(p -> " (" + p + ")").orElse(""),
                    "fix OCSP stapling: the server must refresh the response from the CA's responder before its next update "
                            + "(nginx: ssl_stapling on; ssl_stapling_verify on; a resolver that reaches the responder)");
        }
        return ControlResult.pass(CERTIFICATE_REVOCATION, staple.describe());
    }

    private static ControlResult expiry(CertificateFacts cert, GradePolicy policy, Instant now) {
        if (cert.expired() || cert.notYetValid()) {
            return ControlResult.fail(CERTIFICATE_EXPIRY, cert.expired() ? "certificate expired" : "certificate not yet valid",
                    "renew the certificate (cert-manager renews before expiry)",
                    new Cap(Grade.F, cert.expired() ? "expired certificate" : "certificate not yet valid"));
        }
        if (cert.notAfter().isPresent()) {
            long days = Duration.between(now, cert.notAfter().get()).toDays();
            if (days < policy.minCertificateDays()) {
                return ControlResult.fail(CERTIFICATE_EXPIRY, days + " days left, minimum " + policy.minCertificateDays(),
                        "renew the certificate now", new Cap(Grade.B, "certificate expires within " + policy.minCertificateDays() + " days"));
            }
            return ControlResult.pass(CERTIFICATE_EXPIRY, days + " days left");
        }
        return ControlResult.pass(CERTIFICATE_EXPIRY, "valid");
    }

    /**
     * Whether the served leaf is one the configuration references. A mismatch means a default or stale certificate is
     * served — what the team manages (and renews) is not what users get. Capped at B, not F: the served certificate's
     * own faults (trust, name, dates) are judged by the other controls, which cap at F; a baseline that wants the
     * drift to fail sets the control's level to {@code fail}.
     */
    private static ControlResult configured(CertificateFacts cert, CertificateExpectation expected) {
        Cap cap = new Cap(Grade.B, "certificate not the one configured");
        String served = cert.leafSha256().map(Fingerprints::shortForm).orElse("unknown");
        if (cert.leafSha256().isPresent() && expected.fingerprints().contains(cert.leafSha256().get())) {
            return ControlResult.pass(CERTIFICATE_CONFIGURED, "serves the certificate " + expected.configuredBy() + " references ("
                    + served + ")");
        }
        String why = expected.fingerprints().isEmpty()
                ? expected.configuredBy() + " references no readable certificate: " + String.join("; ", expected.problems())
                : "serves " + served + ", " + expected.configuredBy() + " references "
                        + String.join(", ", expected.fingerprints().stream().map(Fingerprints::shortForm).toList())
                        + (expected.problems().isEmpty() ? "" : " (" + String.join("; ", expected.problems()) + ")");
        String fix = expected.fingerprints().isEmpty()
                ? "make the referenced TLS Secret exist with a tls.crt (cross-namespace: a ReferenceGrant in its namespace)"
                : "check the Gateway's listener status (ResolvedRefs, Programmed) and the controller's logs: it serves a default or stale certificate";
        return ControlResult.fail(CERTIFICATE_CONFIGURED, why, fix, cap);
    }

    /** RSA-equivalent bits of the weakest key exchange: the server's RSA key and the smallest DH group offered. */
    static OptionalInt weakestKeyExchangeBits(TlsScanResult tls) {
        int weakest = Integer.MAX_VALUE;
        for (CertificateFacts cert : tls.certificates()) {
            if (cert.present() && "RSA".equals(cert.keyType())) {
                weakest = Math.min(weakest, cert.keyBits());
            }
        }
        for (ProtocolSupport support : tls.protocols().values()) {
            if (support.minDhBits().isPresent()) {
                weakest = Math.min(weakest, support.minDhBits().get());
            }
        }
        return weakest == Integer.MAX_VALUE ? OptionalInt.empty() : OptionalInt.of(weakest);
    }

    private static ControlResult key(TlsScanResult tls) {
        OptionalInt weakest = weakestKeyExchangeBits(tls);
        String what = String.join(" + ", tls.certificates().stream().map(c -> c.keyType() + " " + c.keyBits()).toList())
                + (weakest.isPresent() ? ", weakest key exchange " + weakest.getAsInt() + " bits" : "");
        String fix = "use an ECDSA P-256 or RSA 2048+ key and 2048+ bit DH parameters";
        int bits = weakest.orElse(Integer.MAX_VALUE);
        if (bits < 1024) {
            return ControlResult.fail(CERTIFICATE_KEY, what, fix, new Cap(Grade.F, "insecure key exchange"));
        }
        if (bits < 2048) {
            return ControlResult.fail(CERTIFICATE_KEY, what, fix, new Cap(Grade.B, "weak key exchange"));
        }
        return ControlResult.pass(CERTIFICATE_KEY, what);
    }

    private static ControlResult protocols(TlsScanResult tls) {
        Set<String> offered = new LinkedHashSet<>();
        tls.protocols().keySet().forEach(p -> offered.add(p.label()));
        String list = String.join(", ", offered);
        String fix = "ssl_protocols TLSv1.2 TLSv1.3; (ingress-nginx ConfigMap: ssl-protocols: \"TLSv1.2 TLSv1.3\")";
        if (tls.sslv2()) {
            return ControlResult.fail(TLS_PROTOCOLS, "SSLv2" + (list.isEmpty() ? "" : ", " + list), fix, new Cap(Grade.F, "SSLv2 offered"));
        }
        if (tls.protocols().containsKey(TlsProtocol.SSLv3)) {
            return ControlResult.fail(TLS_PROTOCOLS, list, fix, new Cap(Grade.F, "SSLv3 offered"));
        }
        if (!tls.protocols().containsKey(TlsProtocol.TLSv1_2) && !tls.protocols().containsKey(TlsProtocol.TLSv1_3)) {
            return ControlResult.fail(TLS_PROTOCOLS, list, fix, new Cap(Grade.C, "no TLS 1.2 or 1.3"));
        }
        if (tls.protocols().containsKey(TlsProtocol.TLSv1) || tls.protocols().containsKey(TlsProtocol.TLSv1_1)) {
            return ControlResult.fail(TLS_PROTOCOLS, list, fix, new Cap(Grade.B, "TLS 1.0/1.1 offered"));
        }
        return ControlResult.pass(TLS_PROTOCOLS, list);
    }

    private static ControlResult ciphers(TlsScanResult tls) {
        List<String> suites = tls.allSuites();
        String fix = "offer only ECDHE with AES-GCM or ChaCha20-Poly1305 (ingress-nginx ConfigMap: ssl-ciphers)";
        if (suites.stream().anyMatch(s -> CipherSuites.rc4(s) || CipherSuites.nullExportOrAnonymous(s) || CipherSuites.under112Bits(s))) {
            return ControlResult.fail(TLS_CIPHERS, "RC4, NULL, EXPORT, anonymous or sub-112-bit suites offered", fix,
                    new Cap(Grade.F, "insecure cipher suites"));
        }
        if (suites.stream().anyMatch(CipherSuites::tripleDes)) {
            return ControlResult.fail(TLS_CIPHERS, "3DES (64-bit block) suites offered", fix, new Cap(Grade.C, "3DES offered"));
        }
        return ControlResult.pass(TLS_CIPHERS, "no weak suites");
    }
}
