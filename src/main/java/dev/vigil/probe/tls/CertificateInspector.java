package dev.vigil.probe.tls;

import dev.vigil.probe.ConnectionDeadline;
import dev.vigil.probe.Trust;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import java.security.PublicKey;
import java.security.cert.CertPathValidator;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * One full handshake (JSSE) to get the chain a TLS 1.3 server encrypts and any stapled OCSP
 * response, then each certificate fact checked on its own: path validation against the system
 * store plus extra CAs, chain completeness, dates, host name, key, signature and lifespan.
 */
final class CertificateInspector {

    private CertificateInspector() {
    }

    /** What a full JSSE handshake showed: the chain (also the one TLS 1.3 encrypts) and whether OCSP was stapled. */
    record Seen(List<X509Certificate> chain, boolean stapled) {
        static final Seen NOTHING = new Seen(List.of(), false);
    }

    /**
     * @param deadlineNanos when the connection is closed whatever state the handshake is in ({@link System#nanoTime()}):
     *     the plain socket under the TLS one is what gets closed, as closing an SSLSocket mid-handshake can wait on the
     *     handshake's own lock
     */
    static Seen handshake(TlsTarget target, InetSocketAddress address, TlsScanner.Config config, long deadlineNanos) {
        Socket plain = new Socket();
        try (ConnectionDeadline limit = ConnectionDeadline.closeAt(plain, deadlineNanos)) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
            if (left <= 0) {
                return Seen.NOTHING;
            }
            plain.connect(address, (int) Math.max(1, Math.min(config.connectTimeout().toMillis(), left)));
            plain.setSoTimeout((int) config.readTimeout().toMillis());
            SSLSocket socket = (SSLSocket) AcceptAll.CONTEXT.getSocketFactory().createSocket(plain, target.host(), address.getPort(), true);
            SSLParameters parameters = socket.getSSLParameters();
            if (!ClientHello.ipLiteral(target.host())) {
                parameters.setServerNames(List.of(new SNIHostName(target.host())));
            }
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            SSLSession session = socket.getSession();
            // Never resumed: the next scan must see the chain the server presents then, not this one.
            session.invalidate();
            boolean stapled = session instanceof ExtendedSSLSession extended && !extended.getStatusResponses().isEmpty();
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate c : session.getPeerCertificates()) {
                if (c instanceof X509Certificate x) {
                    chain.add(x);
                }
            }
            return new Seen(List.copyOf(chain), stapled);
        } catch (Exception e) {
            // The JDK refuses what it has disabled (TLS 1.0, weak suites): the raw flights' chain stands in.
            return Seen.NOTHING;
        }
    }

    /** The facts of the chain JSSE saw, or of the one a raw flight carried when JSSE could not connect. */
    static CertificateFacts inspect(TlsTarget target, Seen jsse, List<X509Certificate> rawChain, boolean rawStapled,
            TlsScanner.Config config) {
        List<X509Certificate> chain = jsse.chain().isEmpty() ? rawChain : jsse.chain();
        if (chain.isEmpty()) {
            return CertificateFacts.none();
        }
        return facts(target.host(), chain, jsse.stapled() || rawStapled, config.extraCas(), Instant.now());
    }

    static CertificateFacts facts(String host, List<X509Certificate> chain, boolean stapled, List<X509Certificate> extraCas,
            Instant now) {
        X509Certificate leaf = chain.get(0);
        Optional<String> problem = validate(chain, extraCas);
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
        return new CertificateFacts(true, problem.isEmpty(), complete(chain, extraCas), expired, notYetValid,
                hostnameMatches(leaf, host), keyType, bits, curve, leaf.getSigAlgName(), lifespan,
                Optional.of(leaf.getNotAfter().toInstant()), stapled, problem, Fingerprints.sha256(leaf));
    }

    /** PKIX path validation at the leaf's own validity (dates are reported separately). */
    private static Optional<String> validate(List<X509Certificate> chain, List<X509Certificate> extraCas) {
        try {
            Set<TrustAnchor> anchors = anchors(extraCas);
            List<X509Certificate> path = new ArrayList<>(chain);
            while (path.size() > 1 && isSelfSigned(path.get(path.size() - 1))) {
                path.remove(path.size() - 1);
            }
            PKIXParameters parameters = new PKIXParameters(anchors);
            parameters.setRevocationEnabled(false);
            parameters.setDate(java.util.Date.from(chain.get(0).getNotBefore().toInstant().plusSeconds(1)));
            CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(path), parameters);
            return Optional.empty();
        } catch (Exception e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return Optional.of(message.length() > 160 ? message.substring(0, 160) : message);
        }
    }

    /** Every issuer is either served next in the chain, self-signed, or a trust anchor. */
    private static boolean complete(List<X509Certificate> chain, List<X509Certificate> extraCas) {
        Set<String> anchorSubjects = new HashSet<>();
        anchors(extraCas).forEach(a -> anchorSubjects.add(a.getTrustedCert().getSubjectX500Principal().getName()));
        for (int i = 0; i < chain.size(); i++) {
            X509Certificate cert = chain.get(i);
            String issuer = cert.getIssuerX500Principal().getName();
            boolean next = i + 1 < chain.size() && chain.get(i + 1).getSubjectX500Principal().getName().equals(issuer);
            if (!next && !isSelfSigned(cert) && !anchorSubjects.contains(issuer)) {
                return false;
            }
        }
        return true;
    }

    private static Set<TrustAnchor> anchors(List<X509Certificate> extraCas) {
        Set<TrustAnchor> anchors = new HashSet<>();
        X509TrustManager system = Trust.systemPlus(extraCas);
        for (X509Certificate ca : system.getAcceptedIssuers()) {
            anchors.add(new TrustAnchor(ca, null));
        }
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

    /** Accepts any chain: trust is judged afterwards, fact by fact. One context, built once, for every scan. */
    private static final class AcceptAll extends X509ExtendedTrustManager {
        static final SSLContext CONTEXT = context();

        private static SSLContext context() {
            try {
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, new TrustManager[] {new AcceptAll()}, null);
                return context;
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException("no TLS context", e);
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] c, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] c, String authType) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] c, String authType, java.net.Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] c, String authType, java.net.Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] c, String authType, javax.net.ssl.SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] c, String authType, javax.net.ssl.SSLEngine engine) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
