package dev.vigil.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import java.util.Vector;
import org.bouncycastle.asn1.ocsp.OCSPResponse;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateEntry;
import org.bouncycastle.tls.CertificateStatus;
import org.bouncycastle.tls.CertificateStatusType;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ExtensionType;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.TlsServerProtocol;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;

/**
 * A real TLS server (Bouncy Castle's TlsServerProtocol) on 127.0.0.1, for what the Debian nginx cannot serve: the
 * post-quantum hybrid groups, and OCSP responses signed by the test stapled over TLS 1.2 and 1.3. One thread per
 * connection; {@link #close()} stops accepting.
 *
 * @param versions the protocol versions it speaks, newest first
 * @param groups the key-exchange groups it accepts (BC {@code NamedGroup} codes), in its order of preference
 * @param staple a DER OCSPResponse sent to clients that ask for one
 */
public final class BcTlsServer implements AutoCloseable {

    public record Settings(List<X509Certificate> chain, PrivateKey key, ProtocolVersion[] versions, int[] groups,
            Optional<byte[]> staple) {
    }

    private final ServerSocket socket;
    private final JcaTlsCrypto crypto = new JcaTlsCryptoProvider().setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider())
            .create(new SecureRandom());
    private final Settings settings;

    public BcTlsServer(Settings settings) throws IOException {
        this.settings = settings;
        this.socket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        Thread acceptor = new Thread(this::acceptLoop, "bc-tls-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return socket.getLocalPort();
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                Thread t = new Thread(() -> serve(client), "bc-tls-connection");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            client.setSoTimeout(10_000);
            TlsServerProtocol protocol = new TlsServerProtocol(client.getInputStream(), client.getOutputStream());
            protocol.accept(new Server());
            protocol.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok".getBytes());
            protocol.close();
        } catch (IOException | RuntimeException e) {
            if (Boolean.getBoolean("bc.debug")) { e.printStackTrace(); }
            // probes hang up mid-handshake on purpose
        }
    }

    private final class Server extends DefaultTlsServer {
        Server() {
            super(crypto);
        }

        /**
         * ECDHE suites whose signature fits the key (ECDSA or RSA), and TLS 1.3's: finite-field DHE in pure Java would make
         * this test server, not the prober, the cost.
         */
        @Override
        protected int[] getSupportedCipherSuites() {
            boolean ec = !"RSA".equals(settings.key().getAlgorithm());
            return java.util.Arrays.stream(super.getSupportedCipherSuites())
                    .filter(c -> !org.bouncycastle.tls.CipherSuite.isSCSV(c) && !name(c).contains("_DHE_"))
                    .filter(c -> !name(c).contains("_WITH_") || name(c).contains(ec ? "_ECDSA_" : "_RSA_"))
                    .toArray();
        }

        private static String name(int suite) {
            return dev.vigil.probe.tls.CipherSuites.name(suite);
        }

        /** Like most servers, talk to clients that do not signal secure renegotiation (sslscan's protocol probes). */
        @Override
        public void notifySecureRenegotiation(boolean secureRenegotiation) {
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return settings.versions();
        }

        @Override
        public int[] getSupportedGroups() {
            return settings.groups();
        }

        @Override
        public boolean preferLocalSupportedGroups() {
            return true;
        }

        @Override
        public CertificateStatus getCertificateStatus() {
            return settings.staple().map(der -> new CertificateStatus(CertificateStatusType.ocsp, OCSPResponse.getInstance(der)))
                    .orElse(null);
        }

        @Override
        public TlsCredentials getCredentials() throws IOException {
            boolean tls13 = TlsUtils.isTLSv13(context);
            boolean ec = "EC".equals(settings.key().getAlgorithm()) || "ECDSA".equals(settings.key().getAlgorithm());
            Vector<?> offered = context.getSecurityParametersHandshake().getClientSigAlgs();
            SignatureAndHashAlgorithm chosen = null;
            for (Object o : offered == null ? new Vector<>() : offered) {
                SignatureAndHashAlgorithm a = (SignatureAndHashAlgorithm) o;
                boolean fits = ec ? a.getSignature() == SignatureAlgorithm.ecdsa && a.getHash() >= 4
                        : a.getSignature() == SignatureAlgorithm.rsa_pss_rsae_sha256 || (!tls13 && a.getSignature() == SignatureAlgorithm.rsa && a.getHash() >= 4);
                if (fits) {
                    chosen = a;
                    break;
                }
            }
            if (chosen == null && offered == null && !tls13) {
                // no signature_algorithms from a TLS 1.2 client: SHA-1 with the key's algorithm (RFC 5246 7.4.1.4.1)
                chosen = SignatureAndHashAlgorithm.getInstance(org.bouncycastle.tls.HashAlgorithm.sha1,
                        ec ? SignatureAlgorithm.ecdsa : SignatureAlgorithm.rsa);
            }
            if (chosen == null) {
                throw new TlsFatalAlert(AlertDescription.handshake_failure);
            }
            TlsCertificate[] certs = new TlsCertificate[settings.chain().size()];
            CertificateEntry[] entries = new CertificateEntry[certs.length];
            for (int i = 0; i < certs.length; i++) {
                try {
                    certs[i] = crypto.createCertificate(settings.chain().get(i).getEncoded());
                } catch (java.security.cert.CertificateEncodingException e) {
                    throw new IOException(e);
                }
                Hashtable<Integer, byte[]> extensions = new Hashtable<>();
                if (i == 0 && tls13 && settings.staple().isPresent() && certificateStatusRequest != null) {
                    // TLS 1.3 staples inside the leaf's CertificateEntry (RFC 8446 4.4.2.1)
                    java.io.ByteArrayOutputStream status = new java.io.ByteArrayOutputStream();
                    getCertificateStatus().encode(status);
                    extensions.put(ExtensionType.status_request, status.toByteArray());
                }
                entries[i] = new CertificateEntry(certs[i], extensions);
            }
            Certificate certificate = tls13 ? new Certificate(new byte[0], entries) : new Certificate(certs);
            return new JcaDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto, settings.key(), certificate, chosen);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
