package dev.vigil.testsupport;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/** OCSP responses signed by the test (Bouncy Castle's OCSP builders), as a CA's responder would sign them. */
public final class OcspResponses {

    public enum Status { GOOD, REVOKED, UNKNOWN }

    private OcspResponses() {
    }

    /**
     * A DER OCSPResponse about {@code leaf}, issued by {@code issuer}, signed with {@code signer} (the issuer's key for a
     * genuine response, any other key for a forged one).
     */
    public static byte[] response(X509Certificate leaf, X509Certificate issuer, PrivateKey signer, Status status,
            Instant thisUpdate, Instant nextUpdate) {
        try {
            CertificateID id = new CertificateID(new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
                    new JcaX509CertificateHolder(issuer), leaf.getSerialNumber());
            BasicOCSPRespBuilder builder = new BasicOCSPRespBuilder(new RespID(new JcaX509CertificateHolder(issuer).getSubject()));
            CertificateStatus certStatus = switch (status) {
                case GOOD -> CertificateStatus.GOOD;
                case REVOKED -> new RevokedStatus(Date.from(thisUpdate.minusSeconds(3600)), CRLReason.keyCompromise);
                case UNKNOWN -> new org.bouncycastle.cert.ocsp.UnknownStatus();
            };
            builder.addResponse(id, certStatus, Date.from(thisUpdate), nextUpdate == null ? null : Date.from(nextUpdate));
            String algorithm = "RSA".equals(signer.getAlgorithm()) ? "SHA256withRSA" : "SHA256withECDSA";
            BasicOCSPResp basic = builder.build(new JcaContentSignerBuilder(algorithm).build(signer), null, Date.from(thisUpdate));
            return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, basic).getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
