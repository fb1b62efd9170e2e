package dev.vigil.probe.tls;

import java.time.Instant;
import java.util.Optional;

/**
 * Every certificate fact on its own: trust, chain, dates, name, key and signature, stapling, and the served leaf's
 * SHA-256 fingerprint (lower-case hex of its DER), which tells whether it is the certificate a Gateway references.
 */
public record CertificateFacts(boolean present, boolean trusted, boolean chainComplete, boolean expired,
        boolean notYetValid, boolean hostnameMatches, String keyType, int keyBits, Optional<String> curve,
        String signatureAlgorithm, long lifespanDays, Optional<Instant> notAfter, boolean ocspStapled,
        Optional<String> trustProblem, Optional<String> leafSha256) {

    public static CertificateFacts none() {
        return new CertificateFacts(false, false, false, false, false, false, "", 0, Optional.empty(), "", 0,
                Optional.empty(), false, Optional.of("no certificate received"), Optional.empty());
    }
}
