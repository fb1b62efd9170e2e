package dev.vigil.probe.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.grade.tls.MozillaEvaluation;
import dev.vigil.grade.tls.MozillaEvaluator;
import dev.vigil.testsupport.BcTlsServer;
import dev.vigil.testsupport.NginxServer;
import dev.vigil.testsupport.TestPki;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.tls.NamedGroup;
import org.bouncycastle.tls.ProtocolVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Handshake facts beyond suites: post-quantum hybrid groups (a Bouncy Castle TLS server offers them; Debian's
 * OpenSSL 3.0 cannot), SSLv2 (an SSLv2-speaking responder written here, as no packaged server speaks it any more),
 * and ports that do not speak TLS at all, recognised from the first answer.
 */
class HandshakeFactsTest {

    static final int[] PQ_AND_CLASSIC = {NamedGroup.X25519MLKEM768, NamedGroup.SecP256r1MLKEM768, NamedGroup.SecP384r1MLKEM1024,
            NamedGroup.x25519, NamedGroup.secp256r1};

    TlsScanResult scan(TestPki pki, int port) throws IOException {
        return new TlsScanner(TlsScanner.Config.defaults().withExtraCas(List.of(pki.ca())))
                .scan(new TlsTarget("site.test", port, Optional.of(InetAddress.getByName("127.0.0.1"))));
    }

    @Test
    void postQuantumHybridGroupsAreEnumeratedAndJudged() throws Exception {
        TestPki pki = new TestPki();
        TestPki.Issued leaf = pki.leaf(List.of("site.test"));
        try (BcTlsServer server = new BcTlsServer(new BcTlsServer.Settings(List.of(leaf.certificate()), leaf.key(),
                new ProtocolVersion[] {ProtocolVersion.TLSv13}, PQ_AND_CLASSIC, Optional.empty()))) {
            TlsScanResult r = scan(pki, server.port());
            assertThat(r.protocols().keySet()).containsExactly(TlsProtocol.TLSv1_3);
            assertThat(r.protocols().get(TlsProtocol.TLSv1_3).groups()).containsExactly("X25519MLKEM768", "SecP256r1MLKEM768",
                    "SecP384r1MLKEM1024", "x25519", "secp256r1");
            // 5.8 lists X25519MLKEM768 first: offered, it is fine; the other hybrids are outside the list, like any curve.
            MozillaEvaluation m = MozillaEvaluator.evaluate(r, "5.8");
            assertThat(m.levels().get("intermediate").failures()).contains("remove key exchange groups SecP256r1MLKEM768, SecP384r1MLKEM1024");
            assertThat(m.levels().get("intermediate").advice()).noneMatch(a -> a.contains("X25519MLKEM768"));
            // 5.7 predates ML-KEM: every hybrid is outside its list.
            assertThat(MozillaEvaluator.evaluate(r, "5.7").levels().get("intermediate").failures())
                    .anyMatch(f -> f.startsWith("remove key exchange groups X25519MLKEM768"));
        }
        try (BcTlsServer classic = new BcTlsServer(new BcTlsServer.Settings(List.of(leaf.certificate()), leaf.key(),
                new ProtocolVersion[] {ProtocolVersion.TLSv13}, new int[] {NamedGroup.x25519, NamedGroup.secp256r1}, Optional.empty()))) {
            TlsScanResult r = scan(pki, classic.port());
            assertThat(r.protocols().get(TlsProtocol.TLSv1_3).groups()).containsExactly("x25519", "secp256r1");
            MozillaEvaluation m = MozillaEvaluator.evaluate(r, "6.0");
            assertThat(m.levels().get("intermediate").advice())
                    .anyMatch(a -> a.startsWith("consider enabling the post-quantum hybrid group X25519MLKEM768"));
            assertThat(MozillaEvaluator.evaluate(r, "5.7").levels().get("intermediate").advice())
                    .noneMatch(a -> a.contains("MLKEM"));
        }
    }

    /** Answers every connection's SSLv2 CLIENT-HELLO with a version-2 SERVER-HELLO carrying {@code der}. */
    static ServerSocket sslv2Responder(byte[] der, AtomicInteger connections) throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    connections.incrementAndGet();
                    InputStream in = s.getInputStream();
                    int b0 = in.read();
                    int b1 = in.read();
                    if (b0 < 0 || (b0 & 0x80) == 0 || in.read() != 1) {
                        continue; // not an SSLv2 CLIENT-HELLO: hang up, as an SSLv2-only server does
                    }
                    in.readNBytes(((b0 & 0x7f) << 8 | b1) - 1);
                    byte[] cipher = {0x07, 0x00, (byte) 0xC0};
                    byte[] connectionId = new byte[16];
                    int length = 11 + der.length + cipher.length + connectionId.length;
                    OutputStream out = s.getOutputStream();
                    out.write(new byte[] {(byte) (0x80 | length >> 8), (byte) length, 4, 0, 1, 0, 2,
                            (byte) (der.length >> 8), (byte) der.length, 0, 3, 0, 16});
                    out.write(der);
                    out.write(cipher);
                    out.write(connectionId);
                    out.flush();
                } catch (IOException e) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
        return server;
    }

    @Test
    void sslv2IsDetectedWithOneHello() throws Exception {
        TestPki pki = new TestPki();
        AtomicInteger connections = new AtomicInteger();
        try (ServerSocket server = sslv2Responder(pki.leaf(List.of("site.test")).certificate().getEncoded(), connections)) {
            TlsScanResult r = scan(pki, server.getLocalPort());
            assertThat(r.sslv2()).isTrue();
            assertThat(r.tlsAvailable()).isFalse();
        }
    }

    @Test
    void realServersDoNotSpeakSslv2(@TempDir Path dir) throws Exception {
        TestPki pki = new TestPki();
        TestPki.Issued leaf = pki.leaf(List.of("site.test"));
        try (BcTlsServer server = new BcTlsServer(new BcTlsServer.Settings(List.of(leaf.certificate()), leaf.key(),
                new ProtocolVersion[] {ProtocolVersion.TLSv12}, new int[] {NamedGroup.x25519}, Optional.empty()))) {
            TlsScanResult r = scan(pki, server.port());
            assertThat(r.tlsAvailable()).isTrue();
            assertThat(r.sslv2()).isFalse();
        }
    }

    @Test
    void plainHttpOnTheTlsPortIsRecognisedFromTheFirstAnswer(@TempDir Path dir) throws Exception {
        TestPki pki = new TestPki();
        TestPki.Issued leaf = pki.leaf(List.of("site.test"));
        Path crt = TestPki.writePem(dir.resolve("c.pem"), leaf.certificate());
        Path key = TestPki.writePem(dir.resolve("k.pem"), leaf.key());
        try (NginxServer nginx = new NginxServer(dir)) {
            nginx.start(List.of(new NginxServer.Site("site.test", crt, key, "    return 200 'plain';", "    return 200 'tls';")));
            TlsScanResult r = scan(pki, nginx.httpPort());
            assertThat(r.tlsAvailable()).isFalse();
            assertThat(r.plainHttp()).isTrue();
            assertThat(r.errors()).containsExactly("the port answered in plain HTTP, not TLS");
            assertThat(r.handshakes()).as("one connection decides it").isEqualTo(1);
            assertThat(scan(pki, nginx.httpsPort()).plainHttp()).isFalse();
        }
    }

    @Test
    void aClosedPortCostsOneConnectionAttempt() throws Exception {
        TlsScanResult r = scan(new TestPki(), NginxServer.freePort());
        assertThat(r.tlsAvailable()).isFalse();
        assertThat(r.plainHttp()).isFalse();
        assertThat(r.handshakes()).isEqualTo(1);
    }
}
