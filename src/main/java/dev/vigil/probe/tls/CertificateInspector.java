package dev.vigil.probe.tls;

import dev.vigil.probe.ConnectionDeadline;
import dev.vigil.probe.Trust;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.Vector;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.tls.CertificateStatusRequest;
import org.bouncycastle.tls.CertificateStatusType;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.NameType;
import org.bouncycastle.tls.NamedGroup;
import org.bouncycastle.tls.OCSPStatusRequest;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.ServerName;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsClientProtocol;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * Full handshakes (Bouncy Castle's TLS client, which speaks TLS 1.0–1.3 with every suite the JDK lacks, CCM
 * included) to get the chain a TLS 1.3 server encrypts and its stapled OCSP response, once offering every
 * signature algorithm (ECDSA first, as browsers do) and once only RSA ones, so a server with an ECDSA and an RSA
 * certificate shows both. The handshake stops as soon as the certificate is read. Then each certificate fact is
 * checked on its own: path validation at the current time against the system store plus extra CAs, chain
 * completeness (with opt-in AIA fetching), dates, host name, key, signature, lifespan and the stapled response.
 */
final class CertificateInspector {

    private CertificateInspector() {
    }

    /** Which signature algorithms a chain handshake offers: they steer which certificate a dual-certificate server sends. */
    enum Signatures {
        /** Every algorithm, ECDSA first: the certificate a browser gets. */
        ANY,
        /** RSA (PKCS#1 and PSS) only: the RSA certificate of a server that also has an ECDSA one. */
        RSA_ONLY
    }

    /** What one full handshake showed: the chain and the stapled OCSP response (DER), if any. */
    record Seen(List<X509Certificate> chain, Optional<byte[]> staple) {
        static final Seen NOTHING = new Seen(List.of(), Optional.empty());
    }

    private static final BcTlsCrypto CRYPTO = new BcTlsCrypto(new SecureRandom());
    /** Every suite worth offering to see a certificate: no PSK, SRP or anonymous suites (they carry none). */
    private static final int[] OFFERED_SUITES = offeredSuites();
    private static final int[] GROUPS = {NamedGroup.x25519, NamedGroup.secp256r1, NamedGroup.secp384r1, NamedGroup.secp521r1,
            NamedGroup.x448, NamedGroup.X25519MLKEM768, NamedGroup.SecP256r1MLKEM768, NamedGroup.SecP384r1MLKEM1024,
            NamedGroup.brainpoolP256r1tls13, NamedGroup.brainpoolP384r1tls13, NamedGroup.brainpoolP512r1tls13,
            NamedGroup.brainpoolP256r1, NamedGroup.brainpoolP384r1, NamedGroup.brainpoolP512r1, NamedGroup.ffdhe2048,
            NamedGroup.ffdhe3072, NamedGroup.ffdhe4096, NamedGroup.ffdhe6144, NamedGroup.ffdhe8192};
    private static final List<SignatureAndHashAlgorithm> ECDSA_AND_EDDSA = List.of(
            SignatureAndHashAlgorithm.getInstance((short) 4, (short) 3), SignatureAndHashAlgorithm.getInstance((short) 5, (short) 3),
            SignatureAndHashAlgorithm.getInstance((short) 6, (short) 3), SignatureAndHashAlgorithm.ed25519,
            SignatureAndHashAlgorithm.ed448, SignatureAndHashAlgorithm.ecdsa_brainpoolP256r1tls13_sha256,
            SignatureAndHashAlgorithm.ecdsa_brainpoolP384r1tls13_sha384, SignatureAndHashAlgorithm.ecdsa_brainpoolP512r1tls13_sha512,
            SignatureAndHashAlgorithm.getInstance((short) 2, (short) 3));
    private static final List<SignatureAndHashAlgorithm> RSA = List.of(SignatureAndHashAlgorithm.rsa_pss_rsae_sha256,
            SignatureAndHashAlgorithm.rsa_pss_rsae_sha384, SignatureAndHashAlgorithm.rsa_pss_rsae_sha512,
            SignatureAndHashAlgorithm.rsa_pss_pss_sha256, SignatureAndHashAlgorithm.rsa_pss_pss_sha384,
            SignatureAndHashAlgorithm.rsa_pss_pss_sha512, SignatureAndHashAlgorithm.getInstance((short) 4, (short) 1),
            SignatureAndHashAlgorithm.getInstance((short) 5, (short) 1), SignatureAndHashAlgorithm.getInstance((short) 6, (short) 1),
            SignatureAndHashAlgorithm.getInstance((short) 2, (short) 1));

    private static int[] offeredSuites() {
        List<Integer> all = new ArrayList<>(CipherSuites.tls13Catalogue());
        for (int suite : CipherSuites.legacyCatalogue()) {
            String name = CipherSuites.name(suite);
            if (!name.contains("PSK") && !name.contains("SRP") && !name.contains("_anon_") && !name.contains("KRB5")
                    && !name.contains("GOST") && !name.contains("_NULL_") && !name.endsWith("_NULL")) {
                all.add(suite);
            }
        }
        return TlsUtils.getSupportedCipherSuites(CRYPTO, all.stream().mapToInt(Integer::intValue).toArray());
    }

    /**
     * @param deadlineNanos when the connection is closed whatever state the handshake is in ({@link System#nanoTime()})
     */
    static Seen handshake(TlsTarget target, InetSocketAddress address, TlsScanner.Config config, long deadlineNanos,
            Signatures signatures) {
        Socket plain = new Socket();
        ChainClient client = new ChainClient(target.host(), signatures);
        try (ConnectionDeadline limit = ConnectionDeadline.closeAt(plain, deadlineNanos)) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
            if (left <= 0) {
                return Seen.NOTHING;
            }
            plain.connect(address, (int) Math.max(1, Math.min(config.connectTimeout().toMillis(), left)));
            plain.setSoTimeout((int) Math.max(1, Math.min(config.readTimeout().toMillis(), left)));
            new TlsClientProtocol(plain.getInputStream(), plain.getOutputStream()).connect(client);
        } catch (IOException | RuntimeException e) {
            // The handshake is ended on purpose once the certificate is read; anything else found no chain.
        }
        return client.seen;
    }

    /** A TLS client that offers everything, reads the server's certificate and status, and ends the handshake there. */
    private static final class ChainClient extends DefaultTlsClient {
        private final String host;
        private final Signatures signatures;
        volatile Seen seen = Seen.NOTHING;

        ChainClient(String host, Signatures signatures) {
            super(CRYPTO);
            this.host = host;
            this.signatures = signatures;
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return ProtocolVersion.TLSv13.downTo(ProtocolVersion.TLSv10);
        }

        @Override
        protected int[] getSupportedCipherSuites() {
            return OFFERED_SUITES;
        }

        @Override
        protected Vector getSupportedGroups(Vector namedGroupRoles) {
            Vector<Integer> groups = new Vector<>();
            for (int g : GROUPS) {
                if (getCrypto().hasNamedGroup(g)) {
                    groups.add(g);
                }
            }
            return groups;
        }

        @Override
        public Vector getEarlyKeyShareGroups() {
            Vector<Integer> share = new Vector<>();
            share.add(NamedGroup.x25519);
            return share;
        }

        @Override
        protected Vector getSupportedSignatureAlgorithms() {
            Vector<SignatureAndHashAlgorithm> algorithms = new Vector<>();
            if (signatures == Signatures.ANY) {
                algorithms.addAll(ECDSA_AND_EDDSA);
            }
            algorithms.addAll(RSA);
            return algorithms;
        }

        @Override
        protected CertificateStatusRequest getCertificateStatusRequest() {
            return new CertificateStatusRequest(CertificateStatusType.ocsp, new OCSPStatusRequest(null, null));
        }

        @Override
        protected Vector getSNIServerNames() {
            if (ClientHello.ipLiteral(host)) {
                return null;
            }
            Vector<ServerName> names = new Vector<>();
            names.add(new ServerName(NameType.host_name, host.getBytes(StandardCharsets.US_ASCII)));
            return names;
        }

        @Override
        public org.bouncycastle.tls.TlsDHGroupVerifier getDHGroupVerifier() {
            // Small DH groups are a finding of the enumeration, not a reason to miss the certificate.
            return new org.bouncycastle.tls.DefaultTlsDHGroupVerifier(512);
        }

        @Override
        public TlsAuthentication getAuthentication() {
            return new TlsAuthentication() {
                @Override
                public void notifyServerCertificate(TlsServerCertificate served) throws IOException {
                    List<X509Certificate> chain = new ArrayList<>();
                    try {
                        CertificateFactory factory = CertificateFactory.getInstance("X.509");
                        org.bouncycastle.tls.Certificate certificate = served.getCertificate();
                        for (int i = 0; i < certificate.getLength() && i < 20; i++) {
                            chain.add((X509Certificate) factory.generateCertificate(
                                    new ByteArrayInputStream(certificate.getCertificateAt(i).getEncoded())));
                        }
                    } catch (java.security.cert.CertificateException e) {
                        throw new IOException("unreadable certificate");
                    }
                    Optional<byte[]> staple = Optional.empty();
                    if (served.getCertificateStatus() != null
                            && served.getCertificateStatus().getStatusType() == CertificateStatusType.ocsp) {
                        staple = Optional.of(served.getCertificateStatus().getOCSPResponse().getEncoded());
                    } else {
                        staple = tls13Staple(served.getCertificate());
                    }
                    seen = new Seen(List.copyOf(chain), staple);
                    // Nothing after the certificate matters here: end the handshake now.
                    throw new IOException("certificate read");
                }

                @Override
                public TlsCredentials getClientCredentials(org.bouncycastle.tls.CertificateRequest request) {
                    return null;
                }
            };
        }
    }

    /** TLS 1.3 staples in the leaf's CertificateEntry extensions (RFC 8446 4.4.2.1): a CertificateStatus, read here. */
    private static Optional<byte[]> tls13Staple(org.bouncycastle.tls.Certificate certificate) {
        try {
            if (certificate.getLength() == 0 || certificate.getCertificateEntryAt(0).getExtensions() == null) {
                return Optional.empty();
            }
            byte[] data = (byte[]) certificate.getCertificateEntryAt(0).getExtensions().get(org.bouncycastle.tls.ExtensionType.status_request);
            if (data == null || data.length < 4 || data[0] != CertificateStatusType.ocsp) {
                return Optional.empty();
            }
            int length = (data[1] & 0xff) << 16 | (data[2] & 0xff) << 8 | data[3] & 0xff;
            return length == data.length - 4 ? Optional.of(Arrays.copyOfRange(data, 4, data.length)) : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The facts of every certificate the server showed: the primary one (the ANY handshake's, else the raw flights'),
     * then each other leaf seen (the RSA-only handshake's, other raw flights') that differs from it.
     *
     * @param raw chains the raw TLS ≤ 1.2 flights carried, first seen first
     */
    static List<CertificateFacts> inspect(TlsTarget target, List<Seen> handshakes, List<Seen> raw,
            boolean rawStapled, TlsScanner.Config config, long deadlineNanos, Instant now) {
        List<Seen> candidates = new ArrayList<>();
        handshakes.stream().filter(s -> !s.chain().isEmpty()).forEach(candidates::add);
        raw.stream().filter(s -> !s.chain().isEmpty()).forEach(candidates::add);
        List<CertificateFacts> facts = new ArrayList<>();
        List<byte[]> leaves = new ArrayList<>();
        for (Seen seen : candidates) {
            byte[] leaf = encoded(seen.chain().get(0));
            if (leaves.stream().anyMatch(l -> Arrays.equals(l, leaf))) {
                continue;
            }
            leaves.add(leaf);
            boolean stapled = seen.staple().isPresent() || facts.isEmpty() && rawStapled;
            facts.add(facts(target, seen.chain(), seen.staple(), stapled, config, deadlineNanos, now));
        }
        return facts;
    }

    private static byte[] encoded(X509Certificate cert) {
        try {
            return cert.getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            return new byte[0];
        }
    }

    static CertificateFacts facts(String host, List<X509Certificate> chain, boolean stapled, List<X509Certificate> extraCas,
            Instant now) {
        return facts(new TlsTarget(host, 443, Optional.empty()), chain, Optional.empty(), stapled,
                TlsScanner.Config.defaults().withExtraCas(extraCas), System.nanoTime() + Duration.ofSeconds(5).toNanos(), now);
    }

    private static CertificateFacts facts(TlsTarget target, List<X509Certificate> served, Optional<byte[]> staple, boolean stapled,
            TlsScanner.Config config, long deadlineNanos, Instant now) {
        X509Certificate leaf = served.get(0);
        Set<TrustAnchor> anchors = anchors(config.extraCas());
        boolean complete = complete(served, anchors);
        List<X509Certificate> chain = served;
        boolean viaAia = false;
        List<String> aiaProblems = new ArrayList<>();
        if (!complete && config.aia().enabled()) {
            chain = completeViaAia(served, anchors, target, config, deadlineNanos, aiaProblems);
            viaAia = chain.size() > served.size();
        }
        Optional<String> problem = validate(chain, anchors, now);
        if (problem.isPresent() && !complete && config.aia().enabled() && !aiaProblems.isEmpty()) {
            problem = Optional.of(problem.get() + "; " + aiaProblems.get(0));
        }
        boolean expired = now.isAfter(leaf.getNotAfter().toInstant());
        boolean notYetValid = now.isBefore(leaf.getNotBefore().toInstant());
        PublicKey key = leaf.getPublicKey();
        String keyType = key instanceof RSAPublicKey ? "RSA" : key instanceof ECPublicKey ? "EC" : key.getAlgorithm();
        int bits = key instanceof RSAPublicKey rsa ? rsa.getModulus().bitLength()
                : key instanceof ECPublicKey ec ? ec.getParams().getCurve().getField().getFieldSize() : 0;
        Optional<String> curve = key instanceof ECPublicKey ? Optional.of(switch (bits) {
            case 256 -> "prime256v1";
            case 384 -> "secp384r1";
            case 521 -> "secp521r1";
            default -> "unknown-" + bits;
        }) : Optional.empty();
        long lifespan = Duration.between(leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant()).toDays();
        Optional<X509Certificate> issuer = issuerOf(leaf, chain, anchors);
        Optional<OcspStaple> ocsp = staple.map(der -> OcspStaple.parse(der, leaf, issuer, now));
        return new CertificateFacts(true, problem.isEmpty(), complete, expired, notYetValid, hostnameMatches(leaf, target.host()),
                keyType, bits, curve, leaf.getSigAlgName(), lifespan, Optional.of(leaf.getNotAfter().toInstant()), stapled,
                problem, ocsp, viaAia && problem.isEmpty(), Fingerprints.sha256(leaf));
    }

    /** The served chain plus the intermediates fetched from AIA URLs, up to the configured number of fetches. */
    private static List<X509Certificate> completeViaAia(List<X509Certificate> served, Set<TrustAnchor> anchors, TlsTarget target,
            TlsScanner.Config config, long deadlineNanos, List<String> problems) {
        List<X509Certificate> chain = new ArrayList<>(served);
        for (int fetches = 0; fetches < config.aia().maxFetches() && !complete(chain, anchors); fetches++) {
            X509Certificate missingIssuerOf = firstWithoutIssuer(chain, anchors);
            Optional<X509Certificate> issuer = AiaFetcher.fetchIssuer(missingIssuerOf, config.aia(), target.source(), deadlineNanos,
                    problems);
            if (issuer.isEmpty()) {
                break;
            }
            chain.add(chain.indexOf(missingIssuerOf) + 1, issuer.get());
        }
        return chain;
    }

    private static X509Certificate firstWithoutIssuer(List<X509Certificate> chain, Set<TrustAnchor> anchors) {
        for (int i = 0; i < chain.size(); i++) {
            if (!issuerPresent(chain, i, anchors)) {
                return chain.get(i);
            }
        }
        return chain.get(chain.size() - 1);
    }

    /** The leaf's issuer certificate: served (or fetched) next in the chain, else a trust anchor of that name. */
    private static Optional<X509Certificate> issuerOf(X509Certificate leaf, List<X509Certificate> chain, Set<TrustAnchor> anchors) {
        for (X509Certificate c : chain.subList(1, chain.size())) {
            if (c.getSubjectX500Principal().equals(leaf.getIssuerX500Principal())) {
                return Optional.of(c);
            }
        }
        return anchors.stream().map(TrustAnchor::getTrustedCert)
                .filter(a -> a.getSubjectX500Principal().equals(leaf.getIssuerX500Principal())).findFirst();
    }

    /**
     * PKIX path validation at the current time, as a client does it. The leaf's own validity dates are the expiry
     * control's fact: when they are the only failure, the path is trusted. The JDK's validator checks the leaf last and
     * its dates after its signature; what a date failure leaves unchecked there — the leaf's issuer name chaining to
     * the next certificate — is checked here.
     */
    static Optional<String> validate(List<X509Certificate> chain, Set<TrustAnchor> anchors, Instant now) {
        List<X509Certificate> path = new ArrayList<>(chain);
        while (path.size() > 1 && isSelfSigned(path.get(path.size() - 1))) {
            path.remove(path.size() - 1);
        }
        try {
            PKIXParameters parameters = new PKIXParameters(anchors);
            parameters.setRevocationEnabled(false);
            parameters.setDate(java.util.Date.from(now));
            CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(path), parameters);
            return Optional.empty();
        } catch (CertPathValidatorException e) {
            boolean leafDatesOnly = e.getIndex() == 0 && (e.getReason() == CertPathValidatorException.BasicReason.EXPIRED
                    || e.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID) && leafChainsByName(path, anchors);
            return leafDatesOnly ? Optional.empty() : Optional.of(message(e));
        } catch (Exception e) {
            return Optional.of(message(e));
        }
    }

    private static boolean leafChainsByName(List<X509Certificate> path, Set<TrustAnchor> anchors) {
        X509Certificate leaf = path.get(0);
        if (path.size() > 1) {
            return path.get(1).getSubjectX500Principal().equals(leaf.getIssuerX500Principal());
        }
        return anchors.stream().anyMatch(a -> a.getTrustedCert().getSubjectX500Principal().equals(leaf.getIssuerX500Principal()));
    }

    private static String message(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.length() > 160 ? message.substring(0, 160) : message;
    }

    /** Every issuer is either served next in the chain, self-signed, or a trust anchor. */
    private static boolean complete(List<X509Certificate> chain, Set<TrustAnchor> anchors) {
        for (int i = 0; i < chain.size(); i++) {
            if (!issuerPresent(chain, i, anchors)) {
                return false;
            }
        }
        return true;
    }

    private static boolean issuerPresent(List<X509Certificate> chain, int i, Set<TrustAnchor> anchors) {
        X509Certificate cert = chain.get(i);
        String issuer = cert.getIssuerX500Principal().getName();
        boolean next = i + 1 < chain.size() && chain.get(i + 1).getSubjectX500Principal().getName().equals(issuer);
        return next || isSelfSigned(cert)
                || anchors.stream().anyMatch(a -> a.getTrustedCert().getSubjectX500Principal().getName().equals(issuer));
    }

    /** The anchors for one set of extra CAs, built once: reading the system store costs more than a handshake. */
    private static volatile Map.Entry<List<X509Certificate>, Set<TrustAnchor>> lastAnchors;

    private static Set<TrustAnchor> anchors(List<X509Certificate> extraCas) {
        Map.Entry<List<X509Certificate>, Set<TrustAnchor>> cached = lastAnchors;
        if (cached != null && cached.getKey().equals(extraCas)) {
            return cached.getValue();
        }
        Set<TrustAnchor> anchors = new HashSet<>();
        X509TrustManager system = Trust.systemPlus(extraCas);
        for (X509Certificate ca : system.getAcceptedIssuers()) {
            anchors.add(new TrustAnchor(ca, null));
        }
        lastAnchors = Map.entry(List.copyOf(extraCas), Set.copyOf(anchors));
        return anchors;
    }

    private static boolean isSelfSigned(X509Certificate cert) {
        return cert.getSubjectX500Principal().equals(cert.getIssuerX500Principal());
    }

    static boolean hostnameMatches(X509Certificate leaf, String host) {
        String h = host.toLowerCase(Locale.ROOT);
        try {
            Collection<List<?>> names = leaf.getSubjectAlternativeNames();
            if (names == null) {
                return false;
            }
            for (List<?> name : names) {
                if (((Integer) name.get(0)) == 2 && matches(((String) name.get(1)).toLowerCase(Locale.ROOT), h)) {
                    return true;
                }
                if (((Integer) name.get(0)) == 7 && name.get(1).equals(host)) {
                    return true;
                }
            }
        } catch (Exception e) {
            return false;
        }
        return false;
    }

    private static boolean matches(String pattern, String host) {
        if (pattern.startsWith("*.")) {
            int dot = host.indexOf('.');
            return dot > 0 && host.substring(dot).equals(pattern.substring(1));
        }
        return pattern.equals(host);
    }
}
