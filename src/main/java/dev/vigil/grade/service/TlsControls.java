package dev.vigil.grade.service;

import dev.vigil.grade.Grade;
import dev.vigil.grade.service.ServiceGrader.Capped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The TLS and certificate controls of a service, each with the grade cap it imposes while failing. */
final class TlsControls {

    private TlsControls() {
    }

    static List<Capped> of(TlsPosture tls, ServicePolicy policy, Instant now) {
        List<Capped> checks = new ArrayList<>();
        if (!tls.available()) {
            checks.add(fail("https", "no HTTPS answer", "serve the site over HTTPS (Ingress spec.tls with a certificate)",
                    Grade.F, "no HTTPS"));
            return checks;
        }
        checks.add(pass("https", "HTTPS available"));
        checks.add(tls.trusted() ? pass("certificate-trust", "chain trusted")
                : fail("certificate-trust", "certificate not trusted", "use a certificate from a trusted CA (e.g. cert-manager with an ACME issuer)",
                        Grade.F, "untrusted certificate"));
        checks.add(tls.chainComplete() ? pass("certificate-chain", "chain complete")
                : fail("certificate-chain", "intermediate certificates missing", "serve the full chain (leaf + intermediates) in the TLS Secret's tls.crt",
                        Grade.B, "incomplete chain"));
        checks.add(expiry(tls, policy, now));
        checks.add(tls.hostnameMatches() ? pass("certificate-hostname", "name matches")
                : fail("certificate-hostname", "certificate does not cover the host", "issue a certificate whose SAN lists this host",
                        Grade.F, "host name mismatch"));
        checks.add(key(tls));
        String signature = tls.signatureAlgorithm().toUpperCase(Locale.ROOT).replace("-", "");
        checks.add(signature.contains("MD5") || signature.contains("SHA1")
                ? fail("certificate-signature", "signed with " + tls.signatureAlgorithm(), "reissue the certificate with a SHA-256 signature",
                        Grade.F, "weak certificate signature")
                : pass("certificate-signature", tls.signatureAlgorithm()));
        checks.add(protocols(tls));
        checks.add(ciphers(tls));
        checks.add(ServiceGrader.meetsLevel(tls.mozillaLevel(), policy.tlsLevel())
                ? pass("tls-level", "Mozilla " + tls.mozillaLevel())
                : fail("tls-level", "Mozilla " + tls.mozillaLevel() + ", required " + policy.tlsLevel(),
                        tls.mozillaAdvice().isEmpty() ? "apply Mozilla's " + policy.tlsLevel() + " configuration"
                                : String.join("; ", tls.mozillaAdvice()),
                        Grade.B, "below the required Mozilla level"));
        return checks;
    }

    private static Capped expiry(TlsPosture tls, ServicePolicy policy, Instant now) {
        if (tls.expired() || tls.notYetValid()) {
            return fail("certificate-expiry", tls.expired() ? "certificate expired" : "certificate not yet valid",
                    "renew the certificate (cert-manager renews before expiry)", Grade.F,
                    tls.expired() ? "expired certificate" : "certificate not yet valid");
        }
        if (tls.notAfter().isPresent()) {
            long days = ServiceGrader.daysLeft(tls.notAfter().get(), now);
            if (days < policy.minCertificateDays()) {
                return fail("certificate-expiry", days + " days left, minimum " + policy.minCertificateDays(),
                        "renew the certificate now", Grade.B, "certificate expires within " + policy.minCertificateDays() + " days");
            }
            return pass("certificate-expiry", days + " days left");
        }
        return pass("certificate-expiry", "valid");
    }

    private static Capped key(TlsPosture tls) {
        int bits = tls.weakestKeyExchangeBits().orElse(Integer.MAX_VALUE);
        String what = tls.keyType() + " " + tls.keyBits() + (bits != Integer.MAX_VALUE ? ", weakest key exchange " + bits + " bits" : "");
        if (bits < 1024) {
            return fail("certificate-key", what, "use an ECDSA P-256 or RSA 2048+ key and 2048+ bit DH parameters", Grade.F, "insecure key exchange");
        }
        if (bits < 2048) {
            return fail("certificate-key", what, "use an ECDSA P-256 or RSA 2048+ key and 2048+ bit DH parameters", Grade.B, "weak key exchange");
        }
        return pass("certificate-key", what);
    }

    private static Capped protocols(TlsPosture tls) {
        String offered = String.join(", ", tls.protocols());
        String fix = "ssl_protocols TLSv1.2 TLSv1.3; (ingress-nginx ConfigMap: ssl-protocols: \"TLSv1.2 TLSv1.3\")";
        if (tls.protocols().contains("SSLv3")) {
            return fail("tls-protocols", offered, fix, Grade.F, "SSLv3 offered");
        }
        if (!tls.protocols().contains("TLSv1.2") && !tls.protocols().contains("TLSv1.3")) {
            return fail("tls-protocols", offered, fix, Grade.C, "no TLS 1.2 or 1.3");
        }
        if (tls.protocols().contains("TLSv1") || tls.protocols().contains("TLSv1.1")) {
            return fail("tls-protocols", offered, fix, Grade.B, "TLS 1.0/1.1 offered");
        }
        return pass("tls-protocols", offered);
    }

    private static Capped ciphers(TlsPosture tls) {
        String fix = "offer only ECDHE with AES-GCM or ChaCha20-Poly1305 (ingress-nginx ConfigMap: ssl-ciphers)";
        if (tls.rc4() || tls.nullExportOrAnonymous() || tls.weakCipherUnder112Bits()) {
            return fail("tls-ciphers", "RC4, NULL, EXPORT, anonymous or sub-112-bit suites offered", fix, Grade.F, "insecure cipher suites");
        }
        if (tls.tripleDes()) {
            return fail("tls-ciphers", "3DES (64-bit block) suites offered", fix, Grade.C, "3DES offered");
        }
        return pass("tls-ciphers", "no weak suites");
    }

    private static Capped pass(String control, String detail) {
        return new Capped(new ControlResult(control, ControlState.PASS, detail, ""), null, null, 0);
    }

    private static Capped fail(String control, String detail, String remediation, Grade cap, String capReason) {
        return new Capped(new ControlResult(control, ControlState.FAIL, detail, remediation), cap, capReason, 0);
    }
}
