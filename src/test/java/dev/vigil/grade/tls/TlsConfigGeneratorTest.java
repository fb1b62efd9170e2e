package dev.vigil.grade.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The generated configurations, read against the guideline JSON itself and against golden files
 * ({@code src/test/resources/tls-config/}, see its README): what each server is told, what is left out and why, and
 * what the generator refuses.
 */
class TlsConfigGeneratorTest {

    static final Path GOLDEN = Path.of("src/test/resources/tls-config");
    /** {@code -Dvigil.tls-config.update-golden=true} rewrites the golden files (then review the diff). */
    static final boolean UPDATE = Boolean.getBoolean("vigil.tls-config.update-golden");
    static final ObjectMapper JSON = new ObjectMapper();
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static JsonNode guideline(String version, String level) throws Exception {
        try (InputStream in = TlsConfigGeneratorTest.class.getResourceAsStream("/mozilla-guidelines/" + version + ".json")) {
            return JSON.readTree(in).path("configurations").path(level);
        }
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"5.7, modern", "5.7, intermediate", "5.7, old", "5.8, modern", "5.8, intermediate", "5.8, old", "6.0, modern",
            "6.0, intermediate"})
    void everySettingComesFromTheGuidelineJson(String version, String level) throws Exception {
        JsonNode json = guideline(version, level);
        TlsConfiguration config = TlsConfiguration.of(version, MozillaLevel.parse(level).orElseThrow(), OpenSslVersion.DEFAULT);
        assertThat(config.protocols()).isEqualTo(strings(json.path("tls_versions")));
        assertThat(config.tls13Suites()).isEqualTo(strings(json.path("ciphersuites")));
        assertThat(config.ciphers()).isEqualTo(strings(json.path("ciphers").path("openssl")));
        assertThat(config.groups()).isEqualTo(strings(json.path("tls_curves")));
        assertThat(config.groupsLeftOut()).isEmpty();
        assertThat(config.serverPreferredOrder()).isEqualTo(json.path("server_preferred_order").asBoolean());
        assertThat(config.hstsMaxAge()).contains(json.path("hsts_min_age").asInt());
        assertThat(config.certificate().types()).isEqualTo(strings(json.path("certificate_types")));
        assertThat(config.certificate().maximumLifespanDays()).isEqualTo(json.path("maximum_certificate_lifespan").asInt());

        String nginx = TlsConfigGenerator.render(config, TlsServer.NGINX);
        assertThat(nginx).contains("    ssl_protocols " + String.join(" ", config.protocols()) + ";\n")
                .contains("    ssl_ecdh_curve " + String.join(":", config.groups()) + ";\n")
                .contains("    ssl_prefer_server_ciphers " + (config.serverPreferredOrder() ? "on" : "off") + ";\n")
                .contains("add_header Strict-Transport-Security \"max-age=" + json.path("hsts_min_age").asInt() + "\" always;");
        if (config.ciphers().isEmpty()) {
            assertThat(nginx).doesNotContain("ssl_ciphers");
        } else {
            assertThat(nginx).contains("    ssl_ciphers " + config.opensslCipherString() + ";\n");
            assertThat(config.opensslCipherString()).endsWith(String.join(":", config.ciphers()));
        }
        assertThat(TlsConfigGenerator.ingressNginxKeys(config)).containsEntry("ssl-protocols", String.join(" ", config.protocols()))
                .containsEntry("ssl-ecdh-curve", String.join(":", config.groups())).containsEntry("ssl-session-tickets", "false")
                .containsEntry("hsts-max-age", json.path("hsts_min_age").asText());
    }

    @Test
    void anUnknownVersionOrAMissingLevelIsRefusedSayingWhatIsKnown() {
        assertThatThrownBy(() -> TlsConfiguration.of("4.0", MozillaLevel.INTERMEDIATE, OpenSslVersion.DEFAULT))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("unknown guidelines version 4.0 (known: [5.7, 5.8, 6.0])");
        assertThatThrownBy(() -> TlsConfiguration.of("6.0", MozillaLevel.OLD, OpenSslVersion.DEFAULT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("guidelines 6.0 have no old level (they define modern, intermediate; the last old level is in 5.8)");
        assertThatThrownBy(() -> TlsConfiguration.of("5.8", MozillaLevel.MODERN, OpenSslVersion.parse("1.0.2").orElseThrow()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("OpenSSL 1.0.2 has no TLS 1.3");
        assertThat(OpenSslVersion.parse("3.x")).isEmpty();
        assertThat(OpenSslVersion.parse("1.1.1w")).contains(new OpenSslVersion(1, 1, 1));
    }

    @Test
    void anOpenSslWithoutMlKemGetsNoMlKemGroupAndIsToldWhy() {
        TlsConfiguration debian = TlsConfiguration.of("5.8", MozillaLevel.INTERMEDIATE, OpenSslVersion.parse("3.0").orElseThrow());
        assertThat(debian.groups()).containsExactly("X25519", "prime256v1", "secp384r1");
        assertThat(debian.groupsLeftOut()).containsExactly("X25519MLKEM768");
        assertThat(TlsConfigGenerator.render(debian, TlsServer.NGINX)).contains("ssl_ecdh_curve X25519:prime256v1:secp384r1;")
                .contains("# note: X25519MLKEM768 left out: OpenSSL 3.0 has no ML-KEM groups");
        // Envoy links BoringSSL, not the OpenSSL named: it keeps the group
        assertThat(TlsConfigGenerator.render(debian, TlsServer.ENVOY)).contains("        - X25519MLKEM768\n        - X25519\n");
        TlsConfiguration current = TlsConfiguration.of("5.8", MozillaLevel.INTERMEDIATE, OpenSslVersion.DEFAULT);
        assertThat(current.groups()).startsWith("X25519MLKEM768");
        assertThat(current.notes()).anyMatch(n -> n.startsWith("X25519MLKEM768 needs OpenSSL 3.5+"));
    }

    @Test
    void legacyProtocolsNeedSecurityLevelZeroOnOpenSsl3Only() {
        TlsConfiguration three = TlsConfiguration.of("5.8", MozillaLevel.OLD, OpenSslVersion.parse("3.0").orElseThrow());
        assertThat(three.opensslCipherString()).startsWith("@SECLEVEL=0:ECDHE-ECDSA-AES128-GCM-SHA256:");
        assertThat(TlsConfigGenerator.render(three, TlsServer.HAPROXY)).contains("ssl-default-bind-ciphers @SECLEVEL=0:ECDHE-");
        TlsConfiguration one = TlsConfiguration.of("5.8", MozillaLevel.OLD, OpenSslVersion.parse("1.1.1").orElseThrow());
        assertThat(one.opensslCipherString()).startsWith("ECDHE-ECDSA-AES128-GCM-SHA256:");
        assertThat(TlsConfiguration.of("5.8", MozillaLevel.INTERMEDIATE, OpenSslVersion.DEFAULT).opensslCipherString())
                .doesNotContain("SECLEVEL");
    }

    @Test
    void dheSuitesBringTheirDhParametersAndTheGuidelinesSize() {
        TlsConfiguration intermediate57 = TlsConfiguration.of("5.7", MozillaLevel.INTERMEDIATE, OpenSslVersion.DEFAULT);
        assertThat(intermediate57.usesDhe()).isTrue();
        assertThat(TlsConfigGenerator.render(intermediate57, TlsServer.NGINX))
                .contains("    # curl https://ssl-config.mozilla.org/ffdhe2048.txt > /path/to/dhparam\n    ssl_dhparam \"/path/to/dhparam\";");
        assertThat(TlsConfigGenerator.ingressNginxKeys(intermediate57)).containsKey("ssl-dh-param");
        assertThat(TlsConfigGenerator.render(TlsConfiguration.of("5.7", MozillaLevel.OLD, OpenSslVersion.DEFAULT), TlsServer.HAPROXY))
                .contains("    # openssl dhparam 1024 > /path/to/dhparam\n    ssl-dh-param-file /path/to/dhparam");
        TlsConfiguration intermediate58 = TlsConfiguration.of("5.8", MozillaLevel.INTERMEDIATE, OpenSslVersion.DEFAULT);
        assertThat(intermediate58.usesDhe()).isFalse();
        assertThat(TlsConfigGenerator.render(intermediate58, TlsServer.NGINX)).doesNotContain("dhparam");
        assertThat(TlsConfigGenerator.ingressNginxKeys(intermediate58)).doesNotContainKey("ssl-dh-param");
    }

    @Test
    void envoyIsToldOnlyWhatBoringSslHasAndReadsAsYaml() throws Exception {
        TlsConfiguration old = TlsConfiguration.of("5.7", MozillaLevel.OLD, OpenSslVersion.DEFAULT);
        String envoy = TlsConfigGenerator.render(old, TlsServer.ENVOY);
        JsonNode tls = YAML.readTree(envoy).at("/transport_socket/typed_config");
        assertThat(tls.path("@type").asText()).isEqualTo("type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext");
        assertThat(tls.path("disable_stateless_session_resumption").asBoolean()).isTrue();
        JsonNode params = tls.at("/common_tls_context/tls_params");
        assertThat(params.path("tls_minimum_protocol_version").asText()).isEqualTo("TLSv1_0");
        assertThat(params.path("tls_maximum_protocol_version").asText()).isEqualTo("TLSv1_3");
        // old wants server order: one suite per entry, in the guideline's order, BoringSSL's only
        assertThat(strings(params.path("cipher_suites"))).isEqualTo(old.ciphers().stream()
                .filter(TlsConfigGenerator.BORINGSSL_CIPHERS::contains).toList())
                .doesNotContain("DHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES256-SHA384", "AES128-SHA256").contains("ECDHE-RSA-AES128-SHA256");
        assertThat(envoy).contains("# note: left out, BoringSSL does not implement them: DHE-RSA-AES128-GCM-SHA256");
        assertThat(strings(params.path("ecdh_curves"))).containsExactly("X25519", "P-256", "P-384");

        TlsConfiguration intermediate = TlsConfiguration.of("6.0", MozillaLevel.INTERMEDIATE, OpenSslVersion.DEFAULT);
        JsonNode clientOrder = YAML.readTree(TlsConfigGenerator.render(intermediate, TlsServer.ENVOY))
                .at("/transport_socket/typed_config/common_tls_context/tls_params");
        // the level leaves the order to clients: one equal-preference group
        assertThat(strings(clientOrder.path("cipher_suites"))).containsExactly("[" + String.join("|", intermediate.ciphers()) + "]");
        assertThat(strings(clientOrder.path("ecdh_curves"))).containsExactly("X25519MLKEM768", "X25519", "P-256", "P-384");
    }

    @Test
    void ingressNginxIsAConfigMapWithStringValues() throws Exception {
        TlsConfiguration modern = TlsConfiguration.of("6.0", MozillaLevel.MODERN, OpenSslVersion.DEFAULT);
        JsonNode map = YAML.readTree(TlsConfigGenerator.render(modern, TlsServer.INGRESS_NGINX));
        assertThat(map.path("kind").asText()).isEqualTo("ConfigMap");
        assertThat(map.at("/data/ssl-protocols").asText()).isEqualTo("TLSv1.3");
        assertThat(map.at("/data/ssl-ciphers").isMissingNode()).as("TLS 1.3 only: no TLS 1.2 cipher list").isTrue();
        map.path("data").forEach(v -> assertThat(v.isTextual()).as("ConfigMap values are strings").isTrue());
        assertThat(TlsConfigGenerator.ingressNginxTlsLine(TlsConfiguration.of("5.8", MozillaLevel.INTERMEDIATE, OpenSslVersion.DEFAULT)))
                .isEqualTo("ssl-protocols: \"TLSv1.2 TLSv1.3\", ssl-ciphers: \"ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
                        + "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:"
                        + "ECDHE-RSA-CHACHA20-POLY1305\", ssl-ecdh-curve: \"X25519MLKEM768:X25519:prime256v1:secp384r1\", "
                        + "ssl-session-tickets: \"false\"");
    }

    @ParameterizedTest(name = "{0} {1} {2} openssl {3}")
    @CsvSource({"nginx, intermediate, 5.8, 3.5", "nginx, old, 5.7, 3.0", "nginx, modern, 6.0, 3.5",
            "haproxy, intermediate, 5.8, 3.5", "haproxy, old, 5.7, 3.0", "haproxy, modern, 6.0, 3.5",
            "envoy, intermediate, 5.8, 3.5", "envoy, old, 5.7, 3.0", "envoy, modern, 6.0, 3.5",
            "ingress-nginx, intermediate, 5.8, 3.5", "ingress-nginx, old, 5.7, 3.0", "ingress-nginx, modern, 6.0, 3.5"})
    void goldenOutput(String server, String level, String version, String openssl) throws Exception {
        TlsConfiguration config = TlsConfiguration.of(version, MozillaLevel.parse(level).orElseThrow(),
                OpenSslVersion.parse(openssl).orElseThrow());
        String text = TlsConfigGenerator.render(config, TlsServer.parse(server).orElseThrow());
        Path golden = GOLDEN.resolve(server + "-" + level + "-" + version + "-openssl-" + openssl + ".txt");
        if (UPDATE) {
            Files.writeString(golden, text, StandardCharsets.UTF_8);
        }
        assertThat(text).isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
    }
}
