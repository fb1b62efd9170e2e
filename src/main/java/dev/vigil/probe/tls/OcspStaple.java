package dev.vigil.probe.tls;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * What a stapled OCSP response says about the served leaf, read the way a client reads it: the single response
 * for this certificate (issuer name and key hash, serial), its status, its dates, and whether its signature
 * verifies — by the issuer itself, or by a responder certificate the issuer signed for OCSP signing (RFC 6960
 * 4.2.2.2). A response whose signature does not verify says nothing: its status is reported but not believed.
 *
 * @param status {@link #GOOD}, {@link #REVOKED}, {@link #UNKNOWN}, or {@link #UNREADABLE} (not a successful basic
 *     response, or none of its single responses is about the leaf)
 * @param signature {@link #SIGNATURE_VALID}, {@link #SIGNATURE_INVALID} or {@link #ISSUER_UNKNOWN} (no issuer
 *     certificate to check it against)
 * @param stale the response is past its nextUpdate, or has none and is older than {@link #MAX_AGE_WITHOUT_NEXT_UPDATE}
 * @param problem what is wrong with the staple, in a few words, when anything is
 */
public record OcspStaple(String status, String signature, Optional<Instant> producedAt, Optional<Instant> thisUpdate,
        Optional<Instant> nextUpdate, Optional<Instant> revokedAt, Optional<String> revocationReason, boolean stale,
        Optional<String> problem) {

    public static final String GOOD = "good";
    public static final String REVOKED = "revoked";
    public static final String UNKNOWN = "unknown";
    public static final String UNREADABLE = "unreadable";
    public static final String SIGNATURE_VALID = "valid";
    public static final String SIGNATURE_INVALID = "invalid";
    public static final String ISSUER_UNKNOWN = "issuer unknown";
    /**
     * A response without nextUpdate is stale after this long: RFC 5019 responders always set nextUpdate, and the CA/B
     * Forum requires responses valid for at most 10 days, refreshed within half of that; 7 days is a generous reading.
     */
    public static final Duration MAX_AGE_WITHOUT_NEXT_UPDATE = Duration.ofDays(7);
    /** Staples bigger than this are not parsed (real ones are 1–4 KiB; the TLS record caps already bound reading). */
    static final int MAX_BYTES = 64 * 1024;

    /** The status is the issuer's word: the signature verified. */
    public boolean verified() {
        return SIGNATURE_VALID.equals(signature);
    }

    /** A revocation the issuer signed: a client that reads the staple refuses the connection. */
    public boolean revoked() {
        return verified() && REVOKED.equals(status);
    }

    /** One line for status rows, the scan report and logs. */
    public String describe() {
        StringBuilder out = new StringBuilder("stapled OCSP ").append(status);
        revokedAt.ifPresent(at -> out.append(" since ").append(at));
        revocationReason.ifPresent(r -> out.append(" (").append(r).append(')'));
        producedAt.ifPresent(at -> out.append(", produced ").append(at));
        nextUpdate.ifPresent(at -> out.append(", next update ").append(at));
        if (!verified()) {
            out.append(", signature ").append(signature);
        }
        if (stale) {
            out.append(", STALE");
        }
        return out.toString();
    }

    static OcspStaple unreadable(String why) {
        return new OcspStaple(UNREADABLE, ISSUER_UNKNOWN, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), false, Optional.of(why));
    }

    /**
     * @param der the OCSPResponse as stapled
     * @param leaf the certificate it should be about
     * @param issuer the leaf's issuer (served next in the chain, a trust anchor or fetched via AIA), if known
     */
    public static OcspStaple parse(byte[] der, X509Certificate leaf, Optional<X509Certificate> issuer, Instant now) {
        if (der.length > MAX_BYTES) {
            return unreadable("staple of " + der.length + " bytes");
        }
        try {
            OCSPResp response = new OCSPResp(der);
            if (response.getStatus() != OCSPResp.SUCCESSFUL || !(response.getResponseObject() instanceof BasicOCSPResp basic)) {
                return unreadable("responder status " + response.getStatus());
            }
            DigestCalculatorProvider digests = new JcaDigestCalculatorProviderBuilder().build();
            SingleResp single = null;
            for (SingleResp candidate : basic.getResponses()) {
                boolean sameSerial = candidate.getCertID().getSerialNumber().equals(leaf.getSerialNumber());
                if (sameSerial && (issuer.isEmpty()
                        || candidate.getCertID().matchesIssuer(new JcaX509CertificateHolder(issuer.get()), digests))) {
                    single = candidate;
                    break;
                }
            }
            if (single == null) {
                return unreadable("no response for the served certificate");
            }
            Object certStatus = single.getCertStatus();
            String status = certStatus == null ? GOOD : certStatus instanceof RevokedStatus ? REVOKED
                    : certStatus instanceof UnknownStatus ? UNKNOWN : UNREADABLE;
            Optional<Instant> revokedAt = Optional.empty();
            Optional<String> reason = Optional.empty();
            if (certStatus instanceof RevokedStatus revoked) {
                revokedAt = Optional.of(revoked.getRevocationTime().toInstant());
                if (revoked.hasRevocationReason()) {
                    reason = Optional.of(reasonName(revoked.getRevocationReason()));
                }
            }
            Optional<Instant> thisUpdate = Optional.ofNullable(single.getThisUpdate()).map(java.util.Date::toInstant);
            Optional<Instant> nextUpdate = Optional.ofNullable(single.getNextUpdate()).map(java.util.Date::toInstant);
            boolean stale = nextUpdate.map(now::isAfter)
                    .orElse(thisUpdate.map(t -> t.plus(MAX_AGE_WITHOUT_NEXT_UPDATE).isBefore(now)).orElse(true));
            String signature = issuer.isEmpty() ? ISSUER_UNKNOWN : signatureOf(basic, issuer.get()) ? SIGNATURE_VALID : SIGNATURE_INVALID;
            Optional<String> problem = !SIGNATURE_VALID.equals(signature) ? Optional.of("signature " + signature)
                    : stale ? Optional.of("stale: " + nextUpdate.map(n -> "next update " + n + " passed").orElse("no next update"))
                    : thisUpdate.filter(t -> t.isAfter(now.plus(Duration.ofMinutes(5)))).map(t -> "thisUpdate in the future");
            return new OcspStaple(status, signature, Optional.of(basic.getProducedAt().toInstant()), thisUpdate, nextUpdate,
                    revokedAt, reason, stale, problem);
        } catch (Exception e) {
            return unreadable("not an OCSP response");
        }
    }

    /** Signed by the issuer's key, or by a responder certificate the issuer signed with the OCSP-signing purpose. */
    private static boolean signatureOf(BasicOCSPResp basic, X509Certificate issuer) {
        try {
            if (basic.isSignatureValid(new JcaContentVerifierProviderBuilder().build(issuer.getPublicKey()))) {
                return true;
            }
        } catch (Exception e) {
            // a key of another type: try the delegated responders below
        }
        X509CertificateHolder[] certs = basic.getCerts();
        for (X509CertificateHolder responder : certs == null ? new X509CertificateHolder[0] : certs) {
            try {
                boolean delegated = responder.isSignatureValid(new JcaContentVerifierProviderBuilder().build(issuer.getPublicKey()))
                        && responder.getExtensions() != null
                        && org.bouncycastle.asn1.x509.ExtendedKeyUsage.fromExtensions(responder.getExtensions()) != null
                        && org.bouncycastle.asn1.x509.ExtendedKeyUsage.fromExtensions(responder.getExtensions())
                                .hasKeyPurposeId(KeyPurposeId.id_kp_OCSPSigning);
                if (delegated && basic.isSignatureValid(new JcaContentVerifierProviderBuilder().build(responder))) {
                    return true;
                }
            } catch (Exception e) {
                // not a usable responder certificate
            }
        }
        return false;
    }

    /** RFC 5280 CRLReason names by code. */
    private static final List<String> REASONS = List.of("unspecified", "keyCompromise", "cACompromise", "affiliationChanged",
            "superseded", "cessationOfOperation", "certificateHold", "unused", "removeFromCRL", "privilegeWithdrawn",
            "aACompromise");

    private static String reasonName(int reason) {
        return reason >= 0 && reason < REASONS.size() ? REASONS.get(reason) : "reason " + reason;
    }
}
