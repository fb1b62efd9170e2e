package dev.vigil.grade.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.cli.Cli;
import dev.vigil.probe.tls.ProtocolSupport;
import dev.vigil.probe.tls.TlsProtocol;
import dev.vigil.probe.tls.TlsScanResult;
import dev.vigil.probe.tls.TlsScanner;
import dev.vigil.probe.tls.TlsTarget;
import dev.vigil.testsupport.NginxProcess;
import dev.vigil.testsupport.NginxServer;
import dev.vigil.testsupport.TestPki;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The generated nginx configuration, applied to a real nginx (Debian's 1.22 on OpenSSL 3.0) and re-scanned with
 * Vigil's own TLS scanner and Mozilla evaluator: for every level of every shipped guidelines version, the server
 * that runs it meets the level. Only deployment details are changed in the generated text (listen addresses, file
 * paths, a location answering 200, and {@code http2 on}, which nginx 1.22 predates) — see {@link #apply}.
 * Debian's OpenSSL 3.0 has no ML-KEM groups, so the configuration is generated for it ({@code --openssl 3.0});
 * {@link #debiansNginxRefusesTheMlKemGroupListItLacks} shows what happens otherwise.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsConfigNginxTest {

    static final OpenSslVersion DEBIAN_OPENSSL = new OpenSslVersion(3, 0, 0);
    static final String HOST = "site.test";

    @TempDir
    Path dir;
    TestPki pki;
    Path ca;
    Path ecChain;
    Path ecKey;
    Path rsaChain;
    Path rsaKey;
    Path dhParams;
    TlsScanner scanner;

    @BeforeAll
    void certificates(@TempDir Path certs) throws Exception {
        assumeTrue(NginxServer.available(), "nginx not installed");
        pki = new TestPki();
        Instant from = Instant.now().minus(Duration.ofDays(1));
        Instant to = from.plus(Duration.ofDays(90)); // modern allows at most 90 days
        var ecIntermediate = pki.leaf(List.of("Vigil EC Intermediate"), "EC", 256, "SHA256withRSA", from, to, null, true);
        var ec = pki.leaf(List.of(HOST), "EC", 256, "SHA256withECDSA", from, to, ecIntermediate, false);
        var rsa = pki.leaf(List.of(HOST), "RSA", 2048, "SHA256withRSA", from, to, null, false);
        ca = TestPki.writePem(certs.resolve("ca.pem"), pki.ca());
        ecChain = TestPki.writePem(certs.resolve("ec.crt"), ec.certificate(), ecIntermediate.certificate());
        ecKey = TestPki.writePem(certs.resolve("ec.key"), ec.key());
        rsaChain = TestPki.writePem(certs.resolve("rsa.crt"), rsa.certificate());
        rsaKey = TestPki.writePem(certs.resolve("rsa.key"), rsa.key());
        dhParams = TestPki.ffdhe2048(certs.resolve("dhparam.pem"));
        scanner = new TlsScanner(TlsScanner.Config.defaults().withExtraCas(List.of(pki.ca())));
    }

    /** A running nginx on a generated configuration, with the ports it was given. */
    record Applied(NginxProcess nginx, int https, int http) implements AutoCloseable {
        @Override
        public void close() throws InterruptedException {
            nginx.close();
        }
    }

    /** The generated text with this machine's ports and files put in; every placeholder replaced must be there. */
    String apply(String generated, TlsConfiguration config, int https, int http) {
        boolean ecdsa = !config.certificate().types().contains("rsa");
        Map<String, String> replace = new LinkedHashMap<>();
        replace.put("        listen 443 ssl;\n        listen [::]:443 ssl;\n        http2 on;\n",
                "        listen 127.0.0.1:" + https + " ssl;\n        location / { return 200 'ok'; }\n");
        replace.put("/path/to/signed_cert_plus_intermediates", (ecdsa ? ecChain : rsaChain).toString());
        replace.put("/path/to/private_key", (ecdsa ? ecKey : rsaKey).toString());
        replace.put("/path/to/root_CA_cert_plus_intermediates", ca.toString());
        replace.put("        listen 80 default_server;\n        listen [::]:80 default_server;\n",
                "        listen 127.0.0.1:" + http + " default_server;\n");
        if (config.usesDhe()) {
            replace.put("/path/to/dhparam", dhParams.toString());
        }
        String text = generated;
        for (Map.Entry<String, String> r : replace.entrySet()) {
            assertThat(text).as("generated nginx configuration").contains(r.getKey());
            text = text.replace(r.getKey(), r.getValue());
        }
        return text;
    }

    Applied start(TlsConfiguration config, String name) throws Exception {
        return start(TlsConfigGenerator.render(config, TlsServer.NGINX), config, name);
    }

    Applied start(String generated, TlsConfiguration config, String name) throws Exception {
        int https = NginxServer.freePort();
        int http = NginxServer.freePort();
        Path instance = Files.createDirectories(dir.resolve(name));
        return new Applied(NginxProcess.start(instance, apply(generated, config, https, http), List.of(https, http)), https, http);
    }

    TlsScanResult scan(int port) throws Exception {
        return scanner.scan(new TlsTarget(HOST, port, Optional.of(InetAddress.getByName("127.0.0.1"))));
    }

    @ParameterizedTest(name = "guidelines {0} {1}")
    @CsvSource({"5.7, modern", "5.7, intermediate", "5.7, old", "5.8, modern", "5.8, intermediate", "5.8, old", "6.0, modern",
            "6.0, intermediate"})
    void theNginxOutputMeetsItsLevelOnARealNginx(String version, String levelName) throws Exception {
        MozillaLevel level = MozillaLevel.parse(levelName).orElseThrow();
        TlsConfiguration config = TlsConfiguration.of(version, level, DEBIAN_OPENSSL);
        Guidelines.Level guideline = Guidelines.load(version).level(level).orElseThrow();
        try (Applied nginx = start(config, version + "-" + levelName)) {
            TlsScanResult scan = scan(nginx.https());
            MozillaEvaluation evaluation = MozillaEvaluator.evaluate(scan, version);
            assertThat(level.metBy(evaluation.level()))
                    .as("%s %s scanned as %s: %s; order %s", version, levelName, evaluation.level(), evaluation.levels().get(levelName),
                            scan.protocols().values().stream().map(p -> p.protocol().label() + " " + p.cipherOrder()).toList())
                    .isTrue();
            // exactly the protocols asked for, and nothing offered outside the level's lists
            assertThat(scan.protocols().keySet().stream().map(TlsProtocol::label).toList()).containsExactlyElementsOf(config.protocols());
            Set<String> groups = new LinkedHashSet<>();
            for (ProtocolSupport support : scan.protocols().values()) {
                assertThat(support.suites()).isSubsetOf(support.protocol() == TlsProtocol.TLSv1_3 ? guideline.ciphersuites() : guideline.ciphers());
                support.groups().forEach(g -> groups.add(MozillaEvaluator.mozillaGroup(g)));
                if (config.serverPreferredOrder() && support.suites().size() > 1) {
                    assertThat(support.cipherOrder()).as(support.protocol().label() + " order").isEqualTo("server");
                }
            }
            assertThat(groups).isNotEmpty().isSubsetOf(config.groups());
            if (config.usesDhe()) {
                assertThat(scan.allSuites()).as("DHE served with the RFC 7919 group").anyMatch(s -> s.startsWith("TLS_DHE_RSA_"));
            }
        }
    }

    @Test
    void debiansNginxRefusesTheMlKemGroupListItLacks() throws Exception {
        TlsConfiguration current = TlsConfiguration.of("5.8", MozillaLevel.INTERMEDIATE, OpenSslVersion.DEFAULT);
        NginxProcess.Check refused = NginxProcess.check(Files.createDirectories(dir.resolve("mlkem")),
                apply(TlsConfigGenerator.render(current, TlsServer.NGINX), current, NginxServer.freePort(), NginxServer.freePort()));
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.output()).contains("X25519MLKEM768");
        TlsConfiguration debian = TlsConfiguration.of("5.8", MozillaLevel.INTERMEDIATE, DEBIAN_OPENSSL);
        NginxProcess.Check accepted = NginxProcess.check(Files.createDirectories(dir.resolve("no-mlkem")),
                apply(TlsConfigGenerator.render(debian, TlsServer.NGINX), debian, NginxServer.freePort(), NginxServer.freePort()));
        assertThat(accepted.exitCode()).as(accepted.output()).isZero();
    }

    static final ObjectMapper JSON = new ObjectMapper();

    record Run(int code, String out, String err) {
    }

    static Run vigil(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Cli.run(args, new PrintStream(out, true), new PrintStream(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    /**
     * The operator's loop, through the command line: a host below its required level gets the configuration in
     * {@code vigil scan} (text and JSON, with the tls-level fix naming the ingress-nginx keys); the configuration from
     * {@code vigil tls-config}, applied, brings the host to the level, and the next scan prints no fix.
     */
    @Test
    void scanPrintsTheFixAndTheFixApplied() throws Exception {
        TlsConfiguration intermediate = TlsConfiguration.of("5.8", MozillaLevel.INTERMEDIATE, DEBIAN_OPENSSL);
        TlsConfiguration modernFix = TlsConfiguration.of("5.8", MozillaLevel.MODERN, OpenSslVersion.DEFAULT);
        try (Applied nginx = start(intermediate, "below-modern")) {
            String[] common = {"https://" + HOST + "/", "--connect-to", "127.0.0.1:" + nginx.https(), "--ca", ca.toString(),
                    "--guidelines", "5.8", "--tls-level", "modern"};
            Run text = vigil(concat(new String[] {"scan", "--http-port", String.valueOf(nginx.http())}, common));
            assertThat(text.out()).contains("tls-level: ingress-nginx ConfigMap: ssl-protocols: \"TLSv1.3\", ssl-ecdh-curve: "
                    + "\"X25519MLKEM768:X25519:prime256v1:secp384r1\", ssl-session-tickets: \"false\" (Mozilla modern, guidelines 5.8; "
                    + "nginx, HAProxy, Envoy: vigil tls-config --level modern --guidelines 5.8) — for modern level: remove protocols TLSv1.2")
                    .contains("TLS configuration meeting Mozilla modern (guidelines 5.8; vigil tls-config --level modern --guidelines 5.8")
                    .contains(TlsConfigGenerator.render(modernFix, TlsServer.NGINX))
                    .contains(TlsConfigGenerator.render(modernFix, TlsServer.HAPROXY))
                    .contains(TlsConfigGenerator.render(modernFix, TlsServer.ENVOY))
                    .contains(TlsConfigGenerator.render(modernFix, TlsServer.INGRESS_NGINX));

            JsonNode json = JSON.readTree(vigil(concat(new String[] {"scan", "--json", "--http-port", String.valueOf(nginx.http())}, common)).out());
            assertThat(json.at("/tlsConfiguration/level").asText()).isEqualTo("modern");
            assertThat(json.at("/tlsConfiguration/ingressNginx/ssl-protocols").asText()).isEqualTo("TLSv1.3");
            assertThat(json.at("/tlsConfiguration/configurations/nginx").asText()).isEqualTo(TlsConfigGenerator.render(modernFix, TlsServer.NGINX));
            assertThat(json.path("controls")).anySatisfy(c -> {
                assertThat(c.path("control").asText()).isEqualTo("tls-level");
                assertThat(c.path("remediation").asText()).startsWith("ingress-nginx ConfigMap: ssl-protocols: \"TLSv1.3\"");
            });

            JsonNode tlsOnly = JSON.readTree(vigil(concat(new String[] {"scan", "--tls-only", "--json"}, common)).out());
            assertThat(tlsOnly.at("/tls/mozilla/level").asText()).isEqualTo("intermediate");
            assertThat(tlsOnly.at("/tlsConfiguration/configurations/haproxy").asText())
                    .isEqualTo(TlsConfigGenerator.render(modernFix, TlsServer.HAPROXY));
            assertThat(vigil(concat(new String[] {"scan", "--tls-only"}, common)).out())
                    .contains("TLS configuration meeting Mozilla modern").contains("ssl_protocols TLSv1.3;");

            // at its own level the host gets no configuration
            Run met = vigil("scan", "--tls-only", "--json", "https://" + HOST + "/", "--connect-to", "127.0.0.1:" + nginx.https(),
                    "--guidelines", "5.8", "--tls-level", "intermediate");
            assertThat(JSON.readTree(met.out()).has("tlsConfiguration")).isFalse();
        }

        // what an operator on this machine's OpenSSL applies: vigil tls-config --openssl 3.0 --server nginx
        Run generated = vigil("tls-config", "--level", "modern", "--guidelines", "5.8", "--openssl", "3.0", "--server", "nginx");
        assertThat(generated.code()).isZero();
        TlsConfiguration modernDebian = TlsConfiguration.of("5.8", MozillaLevel.MODERN, DEBIAN_OPENSSL);
        try (Applied fixed = start(generated.out(), modernDebian, "fixed")) {
            Run rescan = vigil("scan", "--tls-only", "--json", "https://" + HOST + "/", "--connect-to", "127.0.0.1:" + fixed.https(),
                    "--guidelines", "5.8", "--tls-level", "modern");
            JsonNode after = JSON.readTree(rescan.out());
            assertThat(after.at("/tls/mozilla/level").asText()).isEqualTo("modern");
            assertThat(after.has("tlsConfiguration")).isFalse();
        }
    }

    static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
