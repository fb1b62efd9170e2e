package dev.vigil.grade.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vigil.probe.tls.ProtocolSupport;
import dev.vigil.probe.tls.TlsProtocol;
import dev.vigil.probe.tls.TlsScanResult;
import dev.vigil.probe.tls.TlsScanner;
import dev.vigil.probe.tls.TlsTarget;
import dev.vigil.testsupport.HaproxyProcess;
import dev.vigil.testsupport.NginxProcess;
import dev.vigil.testsupport.NginxServer;
import dev.vigil.testsupport.TestPki;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The generated HAProxy configuration on a real HAProxy (Debian's 2.6 on OpenSSL 3.0): {@code haproxy -c} accepts it,
 * and HAProxy running it, re-scanned by Vigil, meets the level. Only the certificate and DH files and the bind
 * addresses are changed in the generated text (see {@link #apply}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsConfigHaproxyTest {

    static final OpenSslVersion DEBIAN_OPENSSL = new OpenSslVersion(3, 0, 0);
    static final String HOST = "site.test";

    @TempDir
    Path dir;
    Path ecPem;
    Path rsaPem;
    Path dhParams;
    TlsScanner scanner;

    @BeforeAll
    void certificates(@TempDir Path certs) throws Exception {
        assumeTrue(HaproxyProcess.available(), "haproxy not installed (apt-get install haproxy)");
        TestPki pki = new TestPki();
        Instant from = Instant.now().minus(Duration.ofDays(1));
        Instant to = from.plus(Duration.ofDays(90));
        var ecIntermediate = pki.leaf(List.of("Vigil EC Intermediate"), "EC", 256, "SHA256withRSA", from, to, null, true);
        var ec = pki.leaf(List.of(HOST), "EC", 256, "SHA256withECDSA", from, to, ecIntermediate, false);
        var rsa = pki.leaf(List.of(HOST), "RSA", 2048, "SHA256withRSA", from, to, null, false);
        // HAProxy's crt: certificate, key and intermediates in one file
        ecPem = TestPki.writePem(certs.resolve("ec.pem"), ec.certificate(), ec.key(), ecIntermediate.certificate());
        rsaPem = TestPki.writePem(certs.resolve("rsa.pem"), rsa.certificate(), rsa.key());
        dhParams = TestPki.ffdhe2048(certs.resolve("dhparam.pem"));
        scanner = new TlsScanner(TlsScanner.Config.defaults().withExtraCas(List.of(pki.ca())));
    }

    Path apply(TlsConfiguration config, String name, int https, int http) throws Exception {
        String text = TlsConfigGenerator.render(config, TlsServer.HAPROXY);
        boolean ecdsa = !config.certificate().types().contains("rsa");
        Map<String, String> replace = new LinkedHashMap<>();
        replace.put("    bind    :443 ssl crt /path/to/<cert+privkey+intermediate>", "    bind    127.0.0.1:" + https + " ssl crt "
                + (ecdsa ? ecPem : rsaPem));
        replace.put("    bind    :80\n", "    bind    127.0.0.1:" + http + "\n");
        if (config.usesDhe()) {
            replace.put("/path/to/dhparam", dhParams.toString());
        }
        for (Map.Entry<String, String> r : replace.entrySet()) {
            assertThat(text).as("generated HAProxy configuration").contains(r.getKey());
            text = text.replace(r.getKey(), r.getValue());
        }
        return Files.writeString(dir.resolve(name + ".cfg"), text);
    }

    @ParameterizedTest(name = "guidelines {0} {1}")
    @CsvSource({"5.7, modern", "5.7, intermediate", "5.7, old", "5.8, modern", "5.8, intermediate", "5.8, old", "6.0, modern",
            "6.0, intermediate"})
    void theHaproxyOutputIsValidAndMeetsItsLevel(String version, String levelName) throws Exception {
        MozillaLevel level = MozillaLevel.parse(levelName).orElseThrow();
        TlsConfiguration config = TlsConfiguration.of(version, level, DEBIAN_OPENSSL);
        int https = NginxServer.freePort();
        int http = NginxServer.freePort();
        Path file = apply(config, version + "-" + levelName, https, http);
        NginxProcess.Check check = HaproxyProcess.check(file);
        assertThat(check.exitCode()).as(check.output()).isZero();
        try (HaproxyProcess haproxy = HaproxyProcess.start(file, List.of(https, http))) {
            TlsScanResult scan = scanner.scan(new TlsTarget(HOST, https, Optional.of(InetAddress.getByName("127.0.0.1"))));
            MozillaEvaluation evaluation = MozillaEvaluator.evaluate(scan, version);
            assertThat(level.metBy(evaluation.level()))
                    .as("%s %s scanned as %s: %s; order %s", version, levelName, evaluation.level(), evaluation.levels().get(levelName),
                            scan.protocols().values().stream().map(p -> p.protocol().label() + " " + p.cipherOrder()).toList())
                    .isTrue();
            assertThat(scan.protocols().keySet().stream().map(TlsProtocol::label).toList()).containsExactlyElementsOf(config.protocols());
            for (ProtocolSupport support : scan.protocols().values()) {
                support.groups().forEach(g -> assertThat(config.groups()).contains(MozillaEvaluator.mozillaGroup(g)));
            }
        }
    }

    @Test
    void haproxyOnOpenSsl30RefusesTheMlKemGroupList() throws Exception {
        TlsConfiguration current = TlsConfiguration.of("6.0", MozillaLevel.INTERMEDIATE, OpenSslVersion.DEFAULT);
        NginxProcess.Check refused = HaproxyProcess.check(apply(current, "mlkem", NginxServer.freePort(), NginxServer.freePort()));
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.output()).contains("unable to set SSL curves list to 'X25519MLKEM768:X25519:prime256v1:secp384r1'");
    }
}
