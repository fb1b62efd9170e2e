package dev.vigil.probe.tls;

import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A certificate's SHA-256 fingerprint (lower-case hex of its DER encoding), the one identity Vigil keeps of a
 * certificate it compares: the served leaf's, and the leaf of a PEM bundle such as a TLS Secret's {@code tls.crt}.
 */
public final class Fingerprints {

    /** A {@code tls.crt} larger than this is not read: Kubernetes keeps a whole Secret under 1 MiB. */
    public static final int MAX_PEM_BYTES = 1024 * 1024;

    private Fingerprints() {
    }

    public static Optional<String> sha256(X509Certificate certificate) {
        try {
            return Optional.of(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded())));
        } catch (CertificateEncodingException | NoSuchAlgorithmException e) {
            return Optional.empty();
        }
    }

    /**
     * The fingerprint of the first certificate of a PEM bundle (the leaf, as servers and Kubernetes TLS Secrets order
     * it); empty when the bytes hold no certificate. Keys in the same bytes are never looked at.
     */
    public static Optional<String> leafOfPem(byte[] pem) {
        if (pem == null || pem.length == 0 || pem.length > MAX_PEM_BYTES) {
            return Optional.empty();
        }
        try {
            var certificates = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem));
            return certificates.stream().filter(X509Certificate.class::isInstance).map(X509Certificate.class::cast)
                    .findFirst().flatMap(Fingerprints::sha256);
        } catch (CertificateException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The first 16 hex digits, enough to tell two certificates apart in a status line. */
    public static String shortForm(String sha256) {
        return sha256.length() <= 16 ? sha256 : sha256.substring(0, 16) + "…";
    }
}
