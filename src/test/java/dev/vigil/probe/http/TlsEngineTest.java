package dev.vigil.probe.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vigil.testsupport.NginxProcess;
import dev.vigil.testsupport.NginxServer;
import dev.vigil.testsupport.TestPki;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Observatory probe's TLS engine: BoringSSL where its native library loads, which offers one key share per
 * ClientHello (X25519) where the JDK makes two (X25519 and P-256), the larger part of a probe's CPU.
 */
class TlsEngineTest {

    private static final int KEY_SHARE = 0x0033;
    private static final int X25519 = 0x001d;

    @Test
    void linuxProbesHandshakeWithBoringSsl() {
        assumeNativesShipped();
        assertEquals("boringssl", HttpProber.TLS_ENGINE);
    }

    @Test
    void theClientHelloCarriesOneKeyShare() throws Exception {
        assumeNativesShipped(); // elsewhere the JDK engine sends two
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                HttpProber prober = new HttpProber(HttpProber.Config.defaults())) {
            CompletableFuture<List<Integer>> groups = CompletableFuture.supplyAsync(() -> {
                try (Socket socket = server.accept()) {
                    return keyShareGroups(clientHello(new DataInputStream(socket.getInputStream())));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            HttpTarget target = new HttpTarget("web.test", 443, "/", Optional.of(InetAddress.getLoopbackAddress()),
                    server.getLocalPort(), closedPort());
            prober.probe(target, Duration.ofSeconds(3));

            assertEquals(List.of(X25519), groups.get(10, TimeUnit.SECONDS));
        }
    }

    /**
     * BoringSSL has no finite-field DHE suites; a server offering only those (older configurations still do) is
     * reached with the JDK's engine, as MDN's scanner reaches it with Node's OpenSSL, and its certificate verified.
     */
    @Test
    void aServerOnlyTheJdkCanHandshakeWithIsStillReached(@TempDir Path dir) throws Exception {
        TestPki pki = new TestPki();
        TestPki.Issued site = pki.leaf(List.of("dhe.test"), Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(30)));
        Path crt = TestPki.writePem(dir.resolve("site.crt"), site.certificate());
        Path key = TestPki.writePem(dir.resolve("site.key"), site.key());
        Path dh = TestPki.ffdhe2048(dir.resolve("dhparam.pem"));
        int https = NginxServer.freePort();
        int http = NginxServer.freePort();
        String config = "http {\n access_log off;\n"
                + " server { listen 127.0.0.1:" + https + " ssl; server_name dhe.test;\n"
                + "  ssl_certificate " + crt + "; ssl_certificate_key " + key + ";\n"
                + "  ssl_protocols TLSv1.2; ssl_ciphers DHE-RSA-AES128-GCM-SHA256; ssl_dhparam " + dh + ";\n"
                + "  location / { return 200 \"ok\\n\"; } }\n"
                + " server { listen 127.0.0.1:" + http + "; location / { return 301 https://dhe.test/; } }\n}\n";
        try (NginxProcess nginx = NginxProcess.start(dir, config, List.of(https, http));
                HttpProber prober = new HttpProber(HttpProber.Config.defaults().withExtraCas(List.of(pki.ca())))) {
            HttpFindings findings = prober.probe(new HttpTarget("dhe.test", 443, "/", Optional.of(InetAddress.getLoopbackAddress()),
                    https, http), Duration.ofSeconds(10));

            assertEquals(List.of(), findings.errors());
            assertTrue(findings.https().orElseThrow().verified(), "verified by the JDK trust manager");
            assertEquals(200, findings.https().orElseThrow().finalResponse().status());
            assertEquals("https://dhe.test/", findings.http().orElseThrow().finalResponse().url(), "the redirect hop too");
        }
    }

    /**
     * A tenant's server that refuses every handshake gets one retry with the JDK's engine and no more: the fallback
     * cannot be turned into a loop that holds a probe slot, and the probe ends long before its budget.
     */
    @Test
    void aServerRefusingEveryHandshakeCostsOneRetryNotALoop() throws Exception {
        assumeNativesShipped();
        AtomicInteger handshakes = new AtomicInteger();
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                HttpProber prober = new HttpProber(HttpProber.Config.defaults())) {
            Thread refuser = new Thread(() -> {
                while (!server.isClosed()) {
                    try (Socket socket = server.accept()) {
                        clientHello(new DataInputStream(socket.getInputStream()));
                        handshakes.incrementAndGet();
                        // alert record: fatal handshake_failure
                        socket.getOutputStream().write(new byte[] {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28});
                    } catch (IOException e) {
                        // closed by the test, or the client hung up
                    }
                }
            });
            refuser.setDaemon(true);
            refuser.start();
            HttpTarget target = new HttpTarget("web.test", 443, "/", Optional.of(InetAddress.getLoopbackAddress()),
                    server.getLocalPort(), closedPort());
            long start = System.nanoTime();
            HttpFindings findings = prober.probe(target, Duration.ofSeconds(20));

            assertEquals(2, handshakes.get(), "BoringSSL's handshake, then the JDK's once");
            assertTrue(findings.https().isEmpty());
            assertTrue(findings.errors().stream().anyMatch(e -> e.startsWith("https://web.test/")), findings.errors().toString());
            assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(10)) < 0,
                    "ended by the refusals, not by the budget");
        }
    }

    /** The image and the build ship BoringSSL for Linux on x86_64 and aarch64 (pom.xml). */
    private static void assumeNativesShipped() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch");
        assumeTrue(os.contains("linux") && (arch.equals("amd64") || arch.equals("aarch64")), "natives shipped for Linux only");
    }

    /** A port nothing listens on: the plain-HTTP half of the probe is refused at once. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** The handshake message of the first TLS record (a ClientHello fits in one). */
    private static ByteBuffer clientHello(DataInputStream in) throws IOException {
        int type = in.readUnsignedByte();
        in.readUnsignedShort();
        byte[] record = new byte[in.readUnsignedShort()];
        in.readFully(record);
        assertEquals(22, type, "a handshake record");
        return ByteBuffer.wrap(record);
    }

    private static List<Integer> keyShareGroups(ByteBuffer hello) {
        assertEquals(1, hello.get(), "a ClientHello");
        hello.position(hello.position() + 3 + 2 + 32); // length, legacy_version, random
        skip(hello, Byte.toUnsignedInt(hello.get())); // session id
        skip(hello, Short.toUnsignedInt(hello.getShort())); // cipher suites
        skip(hello, Byte.toUnsignedInt(hello.get())); // compression methods
        int extensions = Short.toUnsignedInt(hello.getShort());
        int end = hello.position() + extensions;
        while (hello.position() < end) {
            int extension = Short.toUnsignedInt(hello.getShort());
            int length = Short.toUnsignedInt(hello.getShort());
            if (extension != KEY_SHARE) {
                skip(hello, length);
                continue;
            }
            List<Integer> groups = new ArrayList<>();
            int shares = Short.toUnsignedInt(hello.getShort());
            int sharesEnd = hello.position() + shares;
            while (hello.position() < sharesEnd) {
                groups.add(Short.toUnsignedInt(hello.getShort()));
                skip(hello, Short.toUnsignedInt(hello.getShort()));
            }
            return groups;
        }
        return List.of();
    }

    private static void skip(ByteBuffer buffer, int bytes) {
        buffer.position(buffer.position() + bytes);
    }
}
