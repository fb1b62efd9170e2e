package dev.vigil.probe.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.grade.tls.MozillaEvaluation;
import dev.vigil.grade.tls.MozillaEvaluator;
import dev.vigil.testsupport.TestPki;
import dev.vigil.testsupport.TlsEndpoints;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real nginx endpoints configured per Mozilla level and with legacy settings, certificates made by
 * the test; each scan must find exactly the protocols and suites the configuration allows.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsScannerNginxTest {

    static final String TLS13_DEFAULT = "TLS_AES_256_GCM_SHA384,TLS_CHACHA20_POLY1305_SHA256,TLS_AES_128_GCM_SHA256";
    static final Instant NOW = Instant.now();

    TlsEndpoints nginx;
    TestPki pki;
    TlsScanner scanner;
    Map<String, TlsEndpoints.Endpoint> endpoints = new java.util.HashMap<>();

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        pki = new TestPki();
        scanner = new TlsScanner(TlsScanner.Config.defaults().withExtraCas(List.of(pki.ca())));
        nginx = new TlsEndpoints(dir);
        Instant from = NOW.minus(Duration.ofDays(1));
        Instant to = NOW.plus(Duration.ofDays(89));
        var ecIntermediate = pki.leaf(List.of("Vigil EC Intermediate"), "EC", 256, "SHA256withRSA", from, to, null, true);
        var ec = pki.leaf(List.of("modern.test"), "EC", 256, "SHA256withECDSA", from, to, ecIntermediate, false);
        var rsa = pki.leaf(List.of("site.test"), "RSA", 2048, "SHA256withRSA", from, to, null, false);
        var weak = pki.leaf(List.of("legacy.test"), "RSA", 1024, "SHA1withRSA", NOW.minus(Duration.ofDays(400)), NOW.minus(Duration.ofDays(2)), null, false);
        var future = pki.leaf(List.of("site.test"), "RSA", 2048, "SHA256withRSA", NOW.plus(Duration.ofDays(10)), NOW.plus(Duration.ofDays(100)), null, false);
        var intermediate = pki.leaf(List.of("Vigil Test Intermediate"), "RSA", 2048, "SHA256withRSA", from, to, null, true);
        var behindIntermediate = pki.leaf(List.of("site.test"), "RSA", 2048, "SHA256withRSA", from, to, intermediate, false);
        var self = TestPki.selfSigned("site.test");

        endpoints.put("modern", nginx.add("modern", "modern.test", pem(dir, "modern.crt", ec.certificate(), ecIntermediate.certificate()), pem(dir, "modern.key", ec.key()),
                "    ssl_protocols TLSv1.3;\n    ssl_ecdh_curve X25519:prime256v1:secp384r1;"));
        endpoints.put("intermediate", nginx.add("intermediate", "site.test", pem(dir, "rsa.crt", rsa.certificate()), pem(dir, "rsa.key", rsa.key()),
                "    ssl_protocols TLSv1.2 TLSv1.3;\n    ssl_ecdh_curve X25519:prime256v1:secp384r1;\n"
                        + "    ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
                        + "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305;\n"
                        + "    ssl_prefer_server_ciphers off;"));
        endpoints.put("old", nginx.add("old", "site.test", dir.resolve("rsa.crt"), dir.resolve("rsa.key"),
                "    ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3;\n    ssl_ecdh_curve X25519:prime256v1:secp384r1;\n"
                        + "    ssl_ciphers 'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305:"
                        + "ECDHE-RSA-AES128-SHA256:ECDHE-RSA-AES128-SHA:ECDHE-RSA-AES256-SHA384:ECDHE-RSA-AES256-SHA:"
                        + "AES128-GCM-SHA256:AES256-GCM-SHA384:AES128-SHA256:AES256-SHA256:AES128-SHA:AES256-SHA:@SECLEVEL=0';\n"
                        + "    ssl_prefer_server_ciphers on;"));
        endpoints.put("legacy", nginx.add("legacy", "legacy.test", pem(dir, "weak.crt", weak.certificate()), pem(dir, "weak.key", weak.key()),
                "    ssl_protocols TLSv1 TLSv1.1;\n    ssl_ciphers 'AES128-SHA:CAMELLIA128-SHA:@SECLEVEL=0';\n    ssl_prefer_server_ciphers on;"));
        endpoints.put("not-yet-valid", nginx.add("not-yet-valid", "site.test", pem(dir, "future.crt", future.certificate()),
                pem(dir, "future.key", future.key()), "    ssl_protocols TLSv1.2 TLSv1.3;"));
        endpoints.put("incomplete", nginx.add("incomplete", "site.test", pem(dir, "leafonly.crt", behindIntermediate.certificate()),
                pem(dir, "leafonly.key", behindIntermediate.key()), "    ssl_protocols TLSv1.2 TLSv1.3;"));
        endpoints.put("complete", nginx.add("complete", "site.test",
                pem(dir, "fullchain.crt", behindIntermediate.certificate(), intermediate.certificate()),
                dir.resolve("leafonly.key"), "    ssl_protocols TLSv1.2 TLSv1.3;"));
        endpoints.put("self-signed", nginx.add("self-signed", "site.test", pem(dir, "self.crt", self.certificate()),
                pem(dir, "self.key", self.key()), "    ssl_protocols TLSv1.2 TLSv1.3;"));
        Object[] hugeChain = new Object[301];
        hugeChain[0] = behindIntermediate.certificate();
        java.util.Arrays.fill(hugeChain, 1, hugeChain.length, intermediate.certificate());
        endpoints.put("huge-chain", nginx.add("huge-chain", "site.test", pem(dir, "huge.crt", hugeChain), dir.resolve("leafonly.key"),
                "    ssl_protocols TLSv1.2 TLSv1.3;"));
        nginx.start();
    }

    static Path pem(Path dir, String name, Object... objects) throws Exception {
        return TestPki.writePem(dir.resolve(name), objects);
    }

    @AfterAll
    void stop() throws Exception {
        nginx.close();
    }

    TlsScanResult scan(String endpoint, String host) throws Exception {
        return scanner.scan(new TlsTarget(host, endpoints.get(endpoint).port(), Optional.of(InetAddress.getByName("127.0.0.1"))));
    }

    static Map<String, Set<String>> suites(TlsScanResult r) {
        Map<String, Set<String>> out = new java.util.TreeMap<>();
        r.protocols().forEach((p, s) -> out.put(p.label(), new java.util.TreeSet<>(s.suites())));
        return out;
    }

    static Set<String> set(String csv) {
        return new java.util.TreeSet<>(List.of(csv.split(",")));
    }

    @Test
    void modernEndpoint() throws Exception {
        TlsScanResult r = scan("modern", "modern.test");
        assertThat(suites(r)).isEqualTo(Map.of("TLSv1.3", set(TLS13_DEFAULT)));
        assertThat(r.protocols().get(TlsProtocol.TLSv1_3).groups()).containsExactlyInAnyOrder("x25519", "secp256r1", "secp384r1");
        assertThat(r.certificate().keyType()).isEqualTo("EC");
        assertThat(r.certificate().curve()).contains("prime256v1");
        assertThat(r.certificate().trusted()).isTrue();
        assertThat(r.certificate().hostnameMatches()).isTrue();
        MozillaEvaluation m = MozillaEvaluator.evaluate(r, "5.8");
        assertThat(m.level()).isEqualTo("modern");
        assertThat(m.levels().get("modern").advice()).contains("consider enabling OCSP stapling");
        assertThat(MozillaEvaluator.evaluate(r, "6.0").levels()).doesNotContainKey("old");
    }

    @Test
    void intermediateEndpoint() throws Exception {
        TlsScanResult r = scan("intermediate", "site.test");
        assertThat(suites(r)).isEqualTo(Map.of(
                "TLSv1.2", set("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"),
                "TLSv1.3", set(TLS13_DEFAULT)));
        assertThat(r.protocols().get(TlsProtocol.TLSv1_2).cipherOrder()).isEqualTo("client");
        MozillaEvaluation m = MozillaEvaluator.evaluate(r, "5.8");
        assertThat(m.level()).isEqualTo("intermediate");
        assertThat(m.levels().get("modern").failures()).contains("remove protocols TLSv1.2")
                .anyMatch(f -> f.startsWith("use a certificate of type ecdsa, not RSA"));
        assertThat(m.levels().get("intermediate").advice()).anyMatch(a -> a.startsWith("consider adding ciphers TLS_ECDHE_ECDSA"));
    }

    @Test
    void oldEndpointWithServerOrder() throws Exception {
        TlsScanResult r = scan("old", "site.test");
        String cbcSha = "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,TLS_RSA_WITH_AES_128_CBC_SHA,TLS_RSA_WITH_AES_256_CBC_SHA";
        assertThat(suites(r)).isEqualTo(Map.of(
                "TLSv1", set(cbcSha), "TLSv1.1", set(cbcSha),
                "TLSv1.2", set(cbcSha + ",TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,"
                        + "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256,"
                        + "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384,TLS_RSA_WITH_AES_128_GCM_SHA256,TLS_RSA_WITH_AES_256_GCM_SHA384,"
                        + "TLS_RSA_WITH_AES_128_CBC_SHA256,TLS_RSA_WITH_AES_256_CBC_SHA256"),
                "TLSv1.3", set(TLS13_DEFAULT)));
        assertThat(r.protocols().get(TlsProtocol.TLSv1_2).cipherOrder()).isEqualTo("server");
        // the whole configured order, not only the first pick
        assertThat(r.protocols().get(TlsProtocol.TLSv1_2).suites()).containsExactly("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
                "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
                "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", "TLS_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_256_GCM_SHA384",
                "TLS_RSA_WITH_AES_128_CBC_SHA256", "TLS_RSA_WITH_AES_256_CBC_SHA256", "TLS_RSA_WITH_AES_128_CBC_SHA",
                "TLS_RSA_WITH_AES_256_CBC_SHA");
        assertThat(r.protocols().get(TlsProtocol.TLSv1).suites()).containsExactly("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
                "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", "TLS_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_AES_256_CBC_SHA");
        assertThat(r.protocols().get(TlsProtocol.TLSv1).cipherOrder()).isEqualTo("server");
        assertThat(r.protocols().get(TlsProtocol.TLSv1_2).groups()).containsExactlyInAnyOrder("x25519", "secp256r1", "secp384r1");
        assertThat(r.protocols().get(TlsProtocol.TLSv1).groups()).contains("x25519");
        MozillaEvaluation m = MozillaEvaluator.evaluate(r, "5.8");
        assertThat(m.level()).isEqualTo("old");
        assertThat(m.levels().get("intermediate").failures()).contains("remove protocols TLSv1, TLSv1.1");
    }

    @Test
    void legacyEndpointIsNonCompliantWithWeakCertificateFacts() throws Exception {
        TlsScanResult r = scan("legacy", "legacy.test");
        assertThat(suites(r)).isEqualTo(Map.of(
                "TLSv1", set("TLS_RSA_WITH_AES_128_CBC_SHA,TLS_RSA_WITH_CAMELLIA_128_CBC_SHA"),
                "TLSv1.1", set("TLS_RSA_WITH_AES_128_CBC_SHA,TLS_RSA_WITH_CAMELLIA_128_CBC_SHA")));
        CertificateFacts c = r.certificate();
        assertThat(c.keyBits()).isEqualTo(1024);
        assertThat(c.signatureAlgorithm()).isEqualTo("SHA1withRSA");
        assertThat(c.expired()).isTrue();
        assertThat(c.lifespanDays()).isEqualTo(398);
        MozillaEvaluation m = MozillaEvaluator.evaluate(r, "5.7");
        assertThat(m.level()).isEqualTo("non-compliant");
        assertThat(m.levels().get("old").failures()).anyMatch(f -> f.contains("TLS_RSA_WITH_CAMELLIA_128_CBC_SHA"))
                .contains("use a key size of at least 2048bits");
    }

    @Test
    void certificateProblemsAreReportedSeparately() throws Exception {
        CertificateFacts notYet = scan("not-yet-valid", "site.test").certificate();
        assertThat(notYet.notYetValid()).isTrue();
        assertThat(notYet.expired()).isFalse();

        CertificateFacts incomplete = scan("incomplete", "site.test").certificate();
        assertThat(incomplete.chainComplete()).isFalse();
        assertThat(incomplete.trusted()).isFalse();
        CertificateFacts complete = scan("complete", "site.test").certificate();
        assertThat(complete.chainComplete()).isTrue();
        assertThat(complete.trusted()).isTrue();

        CertificateFacts self = scan("self-signed", "site.test").certificate();
        assertThat(self.trusted()).isFalse();
        assertThat(self.hostnameMatches()).isTrue();
        CertificateFacts wrongHost = scan("intermediate", "other.test").certificate();
        assertThat(wrongHost.hostnameMatches()).isFalse();
        assertThat(wrongHost.trusted()).isTrue();
    }

    @Test
    void serverThatDropsLargeHellosIsEnumeratedInSmallerOffers() throws Exception {
        TlsEndpoints.Endpoint old = endpoints.get("old");
        try (HelloSizeLimit limit = new HelloSizeLimit(old.port(), 700)) {
            TlsScanResult direct = scan("old", "site.test");
            TlsScanResult behind = scanner.scan(new TlsTarget("site.test", limit.port(), Optional.of(InetAddress.getByName("127.0.0.1"))));
            assertThat(limit.dropped()).as("the whole catalogue in one hello is over the limit").isPositive();
            assertThat(suites(behind)).isEqualTo(suites(direct));
            assertThat(behind.protocols().get(TlsProtocol.TLSv1_2).suites()).isEqualTo(direct.protocols().get(TlsProtocol.TLSv1_2).suites());
            assertThat(behind.protocols().get(TlsProtocol.TLSv1_2).cipherOrder()).isEqualTo("server");
        }
    }

    /** A TCP relay to nginx that resets any connection whose first TLS record is longer than a limit, as some middleboxes do. */
    static final class HelloSizeLimit implements AutoCloseable {
        private final java.net.ServerSocket server = new java.net.ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        private final java.util.concurrent.atomic.AtomicInteger dropped = new java.util.concurrent.atomic.AtomicInteger();

        HelloSizeLimit(int upstream, int limit) throws java.io.IOException {
            Thread acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        java.net.Socket client = server.accept();
                        Thread t = new Thread(() -> relay(client, upstream, limit));
                        t.setDaemon(true);
                        t.start();
                    } catch (java.io.IOException e) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
        }

        private void relay(java.net.Socket client, int upstream, int limit) {
            try (client; java.net.Socket nginx = new java.net.Socket("127.0.0.1", upstream)) {
                byte[] header = client.getInputStream().readNBytes(5);
                int length = header.length < 5 ? 0 : (header[3] & 0xff) << 8 | header[4] & 0xff;
                if (length > limit) {
                    dropped.incrementAndGet();
                    client.setSoLinger(true, 0);
                    return;
                }
                nginx.getOutputStream().write(header);
                Thread back = new Thread(() -> {
                    try {
                        nginx.getInputStream().transferTo(client.getOutputStream());
                    } catch (java.io.IOException ignored) {
                        // either side closed
                    }
                });
                back.setDaemon(true);
                back.start();
                client.getInputStream().transferTo(nginx.getOutputStream());
                back.join(5000);
            } catch (Exception ignored) {
                // the scanner closes connections as soon as it has the server's first flight
            }
        }

        int port() {
            return server.getLocalPort();
        }

        int dropped() {
            return dropped.get();
        }

        @Override
        public void close() throws java.io.IOException {
            server.close();
        }
    }

    @Test
    void hugeCertificateChainIsBoundedAndTheSuitesAreStillFound() throws Exception {
        TlsScanResult r = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> scan("huge-chain", "site.test"));
        assertThat(r.tlsAvailable()).isTrue();
        assertThat(r.protocols()).containsKeys(TlsProtocol.TLSv1_2, TlsProtocol.TLSv1_3);
        assertThat(r.protocols().get(TlsProtocol.TLSv1_3).suites()).hasSize(3);
        assertThat(r.certificate().trusted()).as("a chain over the flight cap is never taken as valid").isFalse();
    }

    @Test
    void noTlsIsSaidInsteadOfFailing() throws Exception {
        TlsScanResult r = scanner.scan(new TlsTarget("closed.test", dev.vigil.testsupport.NginxServer.freePort(),
                Optional.of(InetAddress.getByName("127.0.0.1"))));
        assertThat(r.tlsAvailable()).isFalse();
        assertThat(MozillaEvaluator.evaluate(r, "5.8").level()).isEqualTo("non-compliant");
    }
}
