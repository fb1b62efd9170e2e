package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.testsupport.NginxServer;
import dev.vigil.testsupport.OcspResponses;
import dev.vigil.testsupport.TestPki;
import dev.vigil.testsupport.TlsEndpoints;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The new certificate and handshake facts as {@code vigil scan --json} and the text report show them, from real nginx
 * endpoints: an ECDSA and an RSA certificate with a stapled revocation, a leaf whose intermediate is only at its AIA
 * URL (fetched with {@code --aia-fetch}, and refused because the URL points at loopback), and a plain-HTTP port.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliScanFactsTest {

    TlsEndpoints nginx;
    NginxServer plain;
    Path ca;
    int dual;
    int aiaOnly;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        TestPki pki = new TestPki();
        Instant now = Instant.now();
        ca = TestPki.writePem(dir.resolve("ca.pem"), pki.ca());
        var intermediate = pki.issue("CLI Intermediate", List.of(), "RSA", 2048, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(300)),
                null, true, null);
        var rsa = pki.issue("site.test", List.of("site.test"), "RSA", 2048, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(60)),
                intermediate, false, null);
        var ec = pki.issue("site.test", List.of("site.test"), "EC", 256, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(60)),
                intermediate, false, null);
        var aia = pki.issue("site.test", List.of("site.test"), "RSA", 2048, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(60)),
                intermediate, false, "http://127.0.0.1:9/intermediate.der");
        byte[] revoked = OcspResponses.response(ec.certificate(), intermediate.certificate(), intermediate.key(),
                OcspResponses.Status.REVOKED, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(3)));
        Path staple = Files.write(dir.resolve("revoked.der"), revoked);
        nginx = new TlsEndpoints(dir);
        Path ecCrt = TestPki.writePem(dir.resolve("ec.crt"), ec.certificate(), intermediate.certificate());
        Path ecKey = TestPki.writePem(dir.resolve("ec.key"), ec.key());
        dual = nginx.add("dual", "site.test", TestPki.writePem(dir.resolve("rsa.crt"), rsa.certificate(), intermediate.certificate()),
                TestPki.writePem(dir.resolve("rsa.key"), rsa.key()), "    ssl_certificate " + ecCrt + ";\n    ssl_certificate_key " + ecKey
                        + ";\n    ssl_protocols TLSv1.3;\n    ssl_stapling on;\n    ssl_stapling_file " + staple + ";").port();
        aiaOnly = nginx.add("aia", "site.test", TestPki.writePem(dir.resolve("aia.crt"), aia.certificate()),
                TestPki.writePem(dir.resolve("aia.key"), aia.key()), "    ssl_protocols TLSv1.3;").port();
        nginx.start();
        Path plainDir = Files.createDirectories(dir.resolve("plain"));
        plain = new NginxServer(plainDir);
        plain.start(List.of(new NginxServer.Site("site.test", ecCrt, ecKey, "    return 200 'plain';", "    return 200 'tls';")));
    }

    @AfterAll
    void stop() throws Exception {
        nginx.close();
        plain.close();
    }

    record Result(int code, String out) {
    }

    Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = Cli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8));
    }

    JsonNode scanJson(int port, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("scan", "https://site.test/", "--connect-to", "127.0.0.1:" + port,
                "--http-port", String.valueOf(NginxServer.freePort()), "--ca", ca.toString(), "--json"));
        args.addAll(List.of(extra));
        return new ObjectMapper().readTree(run(args.toArray(String[]::new)).out());
    }

    @Test
    void bothCertificatesAndTheStapleAreInTheJsonAndTheRevocationCapsTheGrade() throws Exception {
        JsonNode json = scanJson(dual);
        JsonNode tls = json.get("tls");
        assertThat(tls.get("sslv2").asBoolean()).isFalse();
        JsonNode primary = tls.get("certificate");
        assertThat(primary.get("keyType").asText()).isEqualTo("EC");
        assertThat(primary.get("ocsp").get("status").asText()).isEqualTo("revoked");
        assertThat(primary.get("ocsp").get("signature").asText()).isEqualTo("valid");
        assertThat(primary.get("ocsp").get("revocationReason").asText()).isEqualTo("keyCompromise");
        assertThat(primary.get("ocsp").get("nextUpdate").asText()).isNotEmpty();
        assertThat(tls.get("otherCertificates")).hasSize(1);
        assertThat(tls.get("otherCertificates").get(0).get("keyType").asText()).isEqualTo("RSA");
        assertThat(tls.get("otherCertificates").get(0).get("trusted").asBoolean()).isTrue();
        assertThat(json.get("grade").asText()).isEqualTo("F");
        List<String> failing = new ArrayList<>();
        json.get("controls").forEach(c -> {
            if ("fail".equals(c.get("state").asText())) {
                failing.add(c.get("control").asText() + ": " + c.get("detail").asText());
            }
        });
        assertThat(failing).anyMatch(f -> f.startsWith("certificate-revocation: EC 256 prime256v1 certificate: certificate revoked"));

        String text = run("scan", "https://site.test/", "--connect-to", "127.0.0.1:" + dual, "--ca", ca.toString(), "--tls-only").out();
        assertThat(text).contains("certificate: EC 256 prime256v1").contains("certificate: RSA 2048").contains("stapled OCSP revoked");
    }

    @Test
    void aiaFetchIsOptInAndMeetsTheAddressPolicy() throws Exception {
        JsonNode off = scanJson(aiaOnly, "--tls-only").get("tls").get("certificate");
        assertThat(off.get("trusted").asBoolean()).isFalse();
        assertThat(off.get("completedViaAia").asBoolean()).isFalse();
        assertThat(off.get("trustProblem").asText()).doesNotContain("AIA");
        // The URL in the certificate is the server's choice: a loopback URL is refused even for the command line's user.
        JsonNode on = scanJson(aiaOnly, "--tls-only", "--aia-fetch").get("tls").get("certificate");
        assertThat(on.get("trusted").asBoolean()).isFalse();
        assertThat(on.get("trustProblem").asText()).contains("AIA http://127.0.0.1:9/intermediate.der: refused to probe 127.0.0.1: Loopback");
    }

    @Test
    void aPlainHttpPortIsSaidSo() throws Exception {
        JsonNode tls = scanJson(plain.httpPort(), "--tls-only").get("tls");
        assertThat(tls.get("available").asBoolean()).isFalse();
        assertThat(tls.get("plainHttp").asBoolean()).isTrue();
        assertThat(tls.get("errors").get(0).asText()).isEqualTo("the port answered in plain HTTP, not TLS");
    }
}
