package dev.vigil.testsupport;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.pkcs.DHParameter;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.crypto.agreement.DHStandardGroups;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/** A throw-away CA and leaf certificates made with Bouncy Castle for tests. */
public final class TestPki {

    public record Issued(X509Certificate certificate, PrivateKey key) {
    }

    private final KeyPair caKeys;
    private final X509Certificate ca;

    public TestPki() {
        try {
            caKeys = rsa(2048);
            X500Name name = new X500Name("CN=Vigil Test CA");
            Instant now = Instant.now();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(), Date.from(now.minus(Duration.ofDays(1))),
                    Date.from(now.plus(Duration.ofDays(3650))), name, caKeys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            ca = sign(builder, caKeys.getPrivate(), "SHA256withRSA");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public X509Certificate ca() {
        return ca;
    }

    /** The test CA's key, to sign what a CA's responder signs (OCSP responses about leaves it issued). */
    public PrivateKey caKey() {
        return caKeys.getPrivate();
    }

    public Issued leaf(List<String> dnsNames, Instant notBefore, Instant notAfter) {
        try {
            KeyPair keys = rsa(2048);
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name("CN=Vigil Test CA"), serial(),
                    Date.from(notBefore), Date.from(notAfter), new X500Name("CN=" + dnsNames.get(0)), keys.getPublic());
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(dnsNames.stream().map(n -> new GeneralName(GeneralName.dNSName, n)).toArray(GeneralName[]::new)));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            return new Issued(sign(builder, caKeys.getPrivate(), "SHA256withRSA"), keys.getPrivate());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A leaf with a chosen key ("RSA" bits or "EC" bits), signature algorithm and validity, signed by {@code issuer}. */
    public Issued leaf(List<String> dnsNames, String keyType, int bits, String signature, Instant notBefore, Instant notAfter,
            Issued issuer, boolean ca) {
        try {
            KeyPair keys = "EC".equals(keyType) ? ec(bits) : rsa(bits);
            X500Name issuerName = issuer == null ? new X500Name("CN=Vigil Test CA")
                    : new X500Name(issuer.certificate().getSubjectX500Principal().getName());
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuerName, serial(),
                    Date.from(notBefore), Date.from(notAfter), new X500Name("CN=" + dnsNames.get(0)), keys.getPublic());
            if (!ca) {
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(dnsNames.stream().map(n -> new GeneralName(GeneralName.dNSName, n)).toArray(GeneralName[]::new)));
            }
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            PrivateKey signer = issuer == null ? caKeys.getPrivate() : issuer.key();
            return new Issued(sign(builder, signer, signature), keys.getPrivate());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A certificate with every choice open: subject, key ("RSA"/"EC" and bits), dates, issuer ({@code null}: the test
     * CA), CA or leaf, and an AIA caIssuers URL ({@code null}: none).
     */
    public Issued issue(String commonName, List<String> dnsNames, String keyType, int bits, Instant notBefore, Instant notAfter,
            Issued issuer, boolean ca, String aiaCaIssuers) {
        try {
            KeyPair keys = "EC".equals(keyType) ? ec(bits) : rsa(bits);
            X500Name issuerName = issuer == null ? new X500Name("CN=Vigil Test CA")
                    : new X500Name(issuer.certificate().getSubjectX500Principal().getName());
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuerName, serial(), Date.from(notBefore),
                    Date.from(notAfter), new X500Name("CN=" + commonName), keys.getPublic());
            if (!dnsNames.isEmpty()) {
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(dnsNames.stream().map(n -> new GeneralName(GeneralName.dNSName, n)).toArray(GeneralName[]::new)));
            }
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            if (ca) {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            }
            if (aiaCaIssuers != null) {
                builder.addExtension(Extension.authorityInfoAccess, false, new org.bouncycastle.asn1.x509.AuthorityInformationAccess(
                        org.bouncycastle.asn1.x509.AccessDescription.id_ad_caIssuers,
                        new GeneralName(GeneralName.uniformResourceIdentifier, aiaCaIssuers)));
            }
            PrivateKey signer = issuer == null ? caKeys.getPrivate() : issuer.key();
            String algorithm = "EC".equals(signer.getAlgorithm()) || "ECDSA".equals(signer.getAlgorithm()) ? "SHA256withECDSA"
                    : "SHA256withRSA";
            return new Issued(sign(builder, signer, algorithm), keys.getPrivate());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A self-signed leaf. */
    public static Issued selfSigned(String dnsName) {
        try {
            KeyPair keys = rsa(2048);
            X500Name name = new X500Name("CN=" + dnsName);
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(),
                    Date.from(Instant.now().minus(Duration.ofDays(1))), Date.from(Instant.now().plus(Duration.ofDays(90))), name,
                    keys.getPublic());
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.dNSName, dnsName)));
            return new Issued(sign(builder, keys.getPrivate(), "SHA256withRSA"), keys.getPrivate());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public Issued leaf(List<String> dnsNames) {
        return leaf(dnsNames, Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(90)));
    }

    /** RFC 7919's ffdhe2048 group as PKCS#3 "DH PARAMETERS" (what {@code curl https://ssl-config.mozilla.org/ffdhe2048.txt} gives). */
    public static Path ffdhe2048(Path file) throws IOException {
        var group = DHStandardGroups.rfc7919_ffdhe2048;
        StringWriter out = new StringWriter();
        try (PemWriter pem = new PemWriter(out)) {
            pem.writeObject(new PemObject("DH PARAMETERS", new DHParameter(group.getP(), group.getG(), 0).getEncoded()));
        }
        return Files.writeString(file, out.toString());
    }

    public static Path writePem(Path file, Object... objects) throws IOException {
        return Files.write(file, pem(objects));
    }

    /** Certificates and keys as PEM text, e.g. a TLS Secret's tls.crt. */
    public static byte[] pem(Object... objects) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
            for (Object o : objects) {
                pem.writeObject(o);
            }
        }
        return out.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key, String algorithm) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder(algorithm).build(key)));
    }

    private static KeyPair rsa(int bits) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(bits);
        return generator.generateKeyPair();
    }

    private static KeyPair ec(int bits) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", new org.bouncycastle.jce.provider.BouncyCastleProvider());
        generator.initialize(new java.security.spec.ECGenParameterSpec(bits == 384 ? "secp384r1" : "secp256r1"));
        return generator.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(64, new SecureRandom());
    }
}
