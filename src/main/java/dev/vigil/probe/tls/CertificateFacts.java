package dev.vigil.probe.tls;

import java.time.Instant;
import java.util.Optional;

/**
 * Every certificate fact on its own: trust, chain, dates, name, key and signature, stapling.
 *
 * @param trusted the path validates at the current time against the system store plus extra CAs, as a client decides
 *     it; the leaf's own dates are {@code expired}/{@code notYetValid}, never a trust problem
 * @param chainComplete the server itself sends every intermediate
 * @param ocsp what the stapled OCSP response says, when one was stapled and could be read
 * @param completedViaAia intermediates the server does not send were fetched from the certificates' AIA caIssuers
 *     URLs (opt-in) and the chain validated with them
 * @param leafSha256 the served leaf's SHA-256 fingerprint (lower-case hex of its DER), which tells whether it is the
 *     certificate a Gateway references
 */
public record CertificateFacts(boolean present, boolean trusted, boolean chainComplete, boolean expired,
        boolean notYetValid, boolean hostnameMatches, String keyType, int keyBits, Optional<String> curve,
        String signatureAlgorithm, long lifespanDays, Optional<Instant> notAfter, boolean ocspStapled,
        Optional<String> trustProblem, Optional<OcspStaple> ocsp, boolean completedViaAia, Optional<String> leafSha256) {

    /** The facts without stapled-response details, AIA or fingerprint (callers that only know the older facts). */
    public CertificateFacts(boolean present, boolean trusted, boolean chainComplete, boolean expired, boolean notYetValid,
            boolean hostnameMatches, String keyType, int keyBits, Optional<String> curve, String signatureAlgorithm,
            long lifespanDays, Optional<Instant> notAfter, boolean ocspStapled, Optional<String> trustProblem) {
        this(present, trusted, chainComplete, expired, notYetValid, hostnameMatches, keyType, keyBits, curve, signatureAlgorithm,
                lifespanDays, notAfter, ocspStapled, trustProblem, Optional.empty(), false, Optional.empty());
    }

    public static CertificateFacts none() {
        return new CertificateFacts(false, false, false, false, false, false, "", 0, Optional.empty(), "", 0,
                Optional.empty(), false, Optional.of("no certificate received"));
    }

    /** "RSA 2048", "EC 256 prime256v1": which certificate of a dual-certificate server these facts are about. */
    public String label() {
        return keyType + " " + keyBits + curve.map(c -> " " + c).orElse("");
    }
}
