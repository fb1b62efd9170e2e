package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.grade.tls.MozillaLevel;
import dev.vigil.grade.tls.OpenSslVersion;
import dev.vigil.grade.tls.TlsConfigGenerator;
import dev.vigil.grade.tls.TlsConfiguration;
import dev.vigil.grade.tls.TlsServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

/** {@code vigil tls-config}: what it prints, and the clear refusals (exit 2) of what it cannot generate. */
class CliTlsConfigTest {

    record Run(int code, String out, String err) {
    }

    static Run vigil(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Cli.run(args, new PrintStream(out, true), new PrintStream(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void printsOneServerOrAllOfThem() {
        TlsConfiguration config = TlsConfiguration.of("5.8", MozillaLevel.INTERMEDIATE, OpenSslVersion.DEFAULT);
        Run nginx = vigil("tls-config", "--level", "intermediate", "--server", "nginx");
        assertThat(nginx.code()).isZero();
        assertThat(nginx.out()).isEqualTo(TlsConfigGenerator.render(config, TlsServer.NGINX));

        Run all = vigil("tls-config", "--level", "intermediate", "--guidelines", "5.8");
        assertThat(all.code()).isZero();
        int previous = -1;
        for (TlsServer server : TlsServer.values()) {
            int at = all.out().indexOf(TlsConfigGenerator.render(config, server));
            assertThat(at).as(server.label()).isGreaterThan(previous);
            previous = at;
        }

        Run debian = vigil("tls-config", "--level", "old", "--guidelines", "5.7", "--openssl", "3.0", "--server", "haproxy");
        assertThat(debian.out()).isEqualTo(TlsConfigGenerator.render(
                TlsConfiguration.of("5.7", MozillaLevel.OLD, new OpenSslVersion(3, 0, 0)), TlsServer.HAPROXY));
        assertThat(vigil("help", "tls-config").out()).contains("tls-config --level modern|intermediate|old [--guidelines 5.7|5.8|6.0]");
    }

    @Test
    void jsonCarriesTheSettingsAndEveryConfiguration() throws Exception {
        Run run = vigil("tls-config", "--level", "modern", "--guidelines", "6.0", "--json");
        assertThat(run.code()).isZero();
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.path("guidelines").asText()).isEqualTo("6.0");
        assertThat(json.path("level").asText()).isEqualTo("modern");
        assertThat(json.path("protocols").get(0).asText()).isEqualTo("TLSv1.3");
        assertThat(json.at("/ingressNginx/ssl-protocols").asText()).isEqualTo("TLSv1.3");
        TlsConfiguration config = TlsConfiguration.of("6.0", MozillaLevel.MODERN, OpenSslVersion.DEFAULT);
        for (TlsServer server : TlsServer.values()) {
            assertThat(json.at("/configurations/" + server.label()).asText()).isEqualTo(TlsConfigGenerator.render(config, server));
        }
    }

    @Test
    void whatCannotBeGeneratedIsAUsageErrorSayingWhy() {
        Run unknown = vigil("tls-config", "--level", "intermediate", "--guidelines", "4.0");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.out()).isEmpty();
        assertThat(unknown.err()).contains("usage error: unknown guidelines version 4.0 (known: 5.7, 5.8, 6.0;");

        Run noOld = vigil("tls-config", "--level", "old", "--guidelines", "6.0");
        assertThat(noOld.code()).isEqualTo(2);
        assertThat(noOld.err()).contains("guidelines 6.0 have no old level (they define modern, intermediate; the last old level is in 5.8)");

        assertThat(vigil("tls-config").err()).contains("--level is required");
        assertThat(vigil("tls-config", "--level", "strict").err()).contains("--level must be modern, intermediate or old, not strict");
        assertThat(vigil("tls-config", "--level", "modern", "--server", "apache").err())
                .contains("--server must be one of ingress-nginx, nginx, haproxy, envoy, not apache");
        assertThat(vigil("tls-config", "--level", "modern", "--openssl", "1.0.2").err()).contains("OpenSSL 1.0.2 has no TLS 1.3");
        assertThat(vigil("tls-config", "--level", "modern", "--openssl", "three").code()).isEqualTo(2);
    }

    @Test
    void scanRefusesALevelTheGuidelinesDoNotHaveBeforeProbing() {
        // 127.0.0.2:9 would be probed (and refused) if parsing let the request through
        Run old = vigil("scan", "https://site.test/", "--connect-to", "127.0.0.2:9", "--guidelines", "6.0", "--tls-level", "old");
        assertThat(old.code()).isEqualTo(2);
        assertThat(old.err()).contains("usage error: guidelines 6.0 have no old level (use 5.8, or intermediate)");
        Run unknown = vigil("scan", "https://site.test/", "--connect-to", "127.0.0.2:9", "--guidelines", "4.0");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("--guidelines must be one of [5.7, 5.8, 6.0]");
    }
}
