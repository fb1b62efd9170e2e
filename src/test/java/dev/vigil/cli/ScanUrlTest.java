package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.probe.ServiceEndpoint;
import dev.vigil.probe.http.HttpTarget;
import dev.vigil.testsupport.NginxServer;
import dev.vigil.testsupport.TestPki;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil scan URL} honours the URL's port, and a site that answers on neither scheme is reported
 * as down — no grade, no list of test results (MDN's scanner returns none) — and exits 1. Real nginx on
 * 127.0.0.1, on ports the test picks.
 */
class ScanUrlTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static HttpTarget target(String... args) throws Args.UsageException {
        Args parsed = Args.parse(List.of(args), new ScanCommand().options());
        ServiceEndpoint endpoint = ScanCommand.endpoint(parsed.positionals.get(0), parsed);
        // The address the probe would connect to, as ServiceProbe resolves it.
        try {
            return endpoint.httpTarget(InetAddress.getByName(endpoint.connectHost().orElse("127.0.0.1")));
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theUrlsSchemeIsProbedOnTheUrlsPortAndTheOtherOnItsDefault() throws Exception {
        HttpTarget http = target("http://shop.test:8080/login");
        assertThat(http.httpPort()).isEqualTo(8080);
        assertThat(http.httpConnectPort()).isEqualTo(8080);
        assertThat(http.httpsPort()).isEqualTo(443);
        assertThat(http.httpUrl()).isEqualTo("http://shop.test:8080/login");
        assertThat(http.httpsUrl()).isEqualTo("https://shop.test/login");

        HttpTarget https = target("https://shop.test:8443/");
        assertThat(https.httpsPort()).isEqualTo(8443);
        assertThat(https.httpsConnectPort()).isEqualTo(8443);
        assertThat(https.httpPort()).isEqualTo(80);
        assertThat(https.httpUrl()).isEqualTo("http://shop.test/");

        HttpTarget connected = target("https://shop.test/", "--connect-to", "10.0.0.7:9443", "--http-port", "9080");
        assertThat(connected.connectTo().orElseThrow().getHostAddress()).isEqualTo("10.0.0.7");
        assertThat(connected.httpsConnectPort()).isEqualTo(9443);
        assertThat(connected.httpConnectPort()).isEqualTo(9080);
        assertThat(connected.httpsUrl()).as("SNI and Host stay the URL's").isEqualTo("https://shop.test/");

        HttpTarget v6 = target("https://shop.test/", "--connect-to", "[::1]:9443");
        assertThat(v6.connectTo().orElseThrow().getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");
        assertThat(v6.httpsConnectPort()).isEqualTo(9443);
    }

    @Test
    void scanHttpHostPortProbesThatPort() throws Exception {
        TestPki pki = new TestPki();
        TestPki.Issued cert = pki.leaf(List.of("127.0.0.1"));
        Path crt = TestPki.writePem(dir.resolve("site.crt"), cert.certificate());
        Path key = TestPki.writePem(dir.resolve("site.key"), cert.key());
        String page = NginxServer.headers("X-Frame-Options", "DENY", "X-Content-Type-Options", "nosniff")
                + "\n    location / { return 200 '<!doctype html><html><body>plain http</body></html>'; }";
        try (NginxServer nginx = new NginxServer(dir)) {
            nginx.start(List.of(new NginxServer.Site("127.0.0.1", crt, key, page, page)));

            Result r = run("scan", "http://127.0.0.1:" + nginx.httpPort() + "/", "--json");
            assertThat(r.code()).as(r.err()).isZero();
            JsonNode report = JSON.readTree(r.out());
            assertThat(report.has("down")).as(r.out()).isFalse();
            assertThat(report.get("grade").isNull()).as("graded from the http:// answer on the URL's port").isFalse();
            // only this nginx, on this port, sends these headers
            assertThat(report.at("/tests/x-frame-options/result").asText()).isEqualTo("x-frame-options-sameorigin-or-deny");
            assertThat(report.at("/tests/x-content-type-options/result").asText()).isEqualTo("x-content-type-options-nosniff");
            assertThat(report.at("/tests/redirection/result").asText()).isEqualTo("redirection-missing");
        }
    }

    @Test
    void aSiteAnsweringNeitherSchemeIsDownWithoutTestResults() throws Exception {
        int closedHttp = NginxServer.freePort();
        int closedHttps = NginxServer.freePort();
        String url = "http://down.test:" + closedHttp + "/";

        Result text = run("scan", url, "--connect-to", "127.0.0.1:" + closedHttps);
        assertThat(text.code()).as("a site that is down fails the scan").isEqualTo(1);
        assertThat(text.out()).startsWith("Host:  down.test\nDown:  no answer on http://down.test:" + closedHttp
                + "/ or https://down.test/").contains("The site seems to be down.");
        assertThat(text.out()).doesNotContain("Tests passed").doesNotContain("Score").doesNotContain("content-security-policy")
                .doesNotContain("To fix");

        Result json = run("scan", url, "--connect-to", "127.0.0.1:" + closedHttps, "--json");
        assertThat(json.code()).isEqualTo(1);
        JsonNode report = JSON.readTree(json.out());
        assertThat(report.get("down").asBoolean()).isTrue();
        assertThat(report.get("grade").isNull()).isTrue();
        assertThat(report.has("tests")).isFalse();
        assertThat(report.get("probeErrors")).isNotEmpty();
    }

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        CliHelpTest.Result r = CliHelpTest.run(args);
        return new Result(r.code(), r.out(), r.err());
    }
}
