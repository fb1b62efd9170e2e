package dev.vigil.probe.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.grade.Grade;
import dev.vigil.grade.observatory.HstsPreloadList;
import dev.vigil.grade.service.GradePolicy;
import dev.vigil.grade.service.ServiceGrader;
import dev.vigil.testsupport.Findings;
import dev.vigil.testsupport.NginxServer;
import dev.vigil.testsupport.TestPki;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 3DES and RC4, which Debian's OpenSSL no longer has, served by GnuTLS's gnutls-serv: the
 * ClientHello enumerator must see them, and they must cap the service grade.
 */
class GnutlsLegacyCiphersTest {

    @Test
    void findsRc4AndTripleDesAndCapsTheGrade(@TempDir Path dir) throws Exception {
        TestPki pki = new TestPki();
        TestPki.Issued leaf = pki.leaf(List.of("legacy.test"));
        Path cert = TestPki.writePem(dir.resolve("c.pem"), leaf.certificate());
        Path key = TestPki.writePem(dir.resolve("k.pem"), leaf.key());
        int port = NginxServer.freePort();
        Process server = new ProcessBuilder("gnutls-serv", "--x509certfile", cert.toString(), "--x509keyfile", key.toString(),
                "-p", String.valueOf(port), "--priority", "NORMAL:+3DES-CBC:+ARCFOUR-128:-VERS-TLS1.3:+VERS-TLS1.0")
                .redirectErrorStream(true).redirectOutput(dir.resolve("gnutls.log").toFile()).start();
        try {
            awaitPort(port, server);
            TlsScanResult scan = new TlsScanner(TlsScanner.Config.defaults().withExtraCas(List.of(pki.ca())))
                    .scan(new TlsTarget("legacy.test", port, Optional.of(InetAddress.getByName("127.0.0.1"))));
            assertThat(scan.protocols().keySet()).containsExactly(TlsProtocol.TLSv1, TlsProtocol.TLSv1_1, TlsProtocol.TLSv1_2);
            assertThat(scan.protocols().get(TlsProtocol.TLSv1_2).suites()).contains("TLS_RSA_WITH_RC4_128_SHA",
                    "TLS_RSA_WITH_3DES_EDE_CBC_SHA", "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA", "TLS_RSA_WITH_AES_128_CCM");
            assertThat(scan.protocols().get(TlsProtocol.TLSv1_2).minDhBits()).contains(2048);
            assertThat(scan.certificate().trusted()).isTrue();

            Instant now = Instant.now();
            var grade = new ServiceGrader(HstsPreloadList.empty()).grade(
                    Findings.service(now, scan, Findings.https("legacy.test", Findings.PERFECT_HEADERS)),
                    GradePolicy.defaults(), List.of(), "legacy.test", now);
            assertThat(grade.grade()).contains(Grade.F);
            assertThat(grade.failing()).anySatisfy(c -> assertThat(c.detail()).contains("RC4"));
            assertThat(grade.capReasons()).anyMatch(r -> r.startsWith("insecure cipher suites"));
        } finally {
            server.destroy();
            server.waitFor(5, TimeUnit.SECONDS);
        }
    }

    static void awaitPort(int port, Process process) throws Exception {
        for (int i = 0; i < 200; i++) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 100);
                return;
            } catch (java.io.IOException e) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("gnutls-serv exited");
                }
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("gnutls-serv did not listen");
    }
}
