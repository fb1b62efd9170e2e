package dev.vigil.grade.observatory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CSP parser's "first policy rules" merge and its quirks (scoring spec §5.2), with the cases of MDN's
 * {@code test/csp-parser.test.js} (npm @mdn/mdn-http-observatory 1.4.8).
 */
class CspTest {

    static Map<String, List<String>> parse(String... policies) {
        return Csp.parse(List.of(policies)).orElseThrow().directives();
    }

    static Map<String, List<String>> map(Object... directiveSources) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (int i = 0; i < directiveSources.length; i += 2) {
            @SuppressWarnings("unchecked")
            List<String> sources = (List<String>) directiveSources[i + 1];
            m.put((String) directiveSources[i], sources);
        }
        return m;
    }

    @Test
    void onePolicy() {
        assertThat(parse("default-src 'none'")).isEqualTo(map("default-src", List.of("'none'")));
        assertThat(parse("default-src 'none'; script-src 'self' https://mozilla.org"))
                .isEqualTo(map("default-src", List.of("'none'"), "script-src", List.of("'self'", "https://mozilla.org")));
    }

    @Test
    void severalPoliciesIntersectWithTheFirst() {
        assertThat(parse("default-src 'none'; script-src 'self' https://mozilla.org",
                "default-src 'none'; script-src 'self' https://mozilla.org"))
                .isEqualTo(map("default-src", List.of("'none'"), "script-src", List.of("'self'", "https://mozilla.org")));
        assertThat(parse("default-src 'none'; script-src 'self' https://mozilla.org",
                "default-src 'none'; script-src 'self' https://mozilla.org https://example.com"))
                .isEqualTo(map("default-src", List.of("'none'"), "script-src", List.of("'self'", "https://mozilla.org")));
        assertThat(parse("default-src 'none'; script-src 'self' https://mozilla.org",
                "default-src 'none'; script-src https://example.com 'self' https://mozilla.org"))
                .isEqualTo(map("default-src", List.of("'none'"), "script-src", List.of("'self'", "https://mozilla.org")));
        assertThat(parse("default-src https://mozilla.org", "default-src https://mozilla.com"))
                .isEqualTo(map("default-src", List.of("'none'")));
        assertThat(parse("default-src https://mozilla.org https://mozilla.net", "default-src https://mozilla.com https://mozilla.io"))
                .isEqualTo(map("default-src", List.of("'none'")));
        assertThat(parse("default-src https://mozilla.org https://mozilla.net https://mozilla.com https://mozilla.io",
                "default-src https://mozilla.pizza https://mozilla.ninja https://mozilla.net https://mozilla.org"))
                .isEqualTo(map("default-src", List.of("https://mozilla.net", "https://mozilla.org")));
        // Only the first later policy naming a directive is intersected with the first policy.
        assertThat(parse("default-src https://mozilla.org https://mozilla.net https://mozilla.com https://mozilla.io",
                "default-src https://mozilla.pizza https://mozilla.ninja https://mozilla.net https://mozilla.org",
                "default-src https://mozilla.net https://mozilla.fox https://mozilla.fire https://mozilla.org",
                "default-src https://mozilla.browser https://mozilla.web https://mozilla.net https://mozilla.org"))
                .isEqualTo(map("default-src", List.of("https://mozilla.net", "https://mozilla.org")));
        assertThat(parse("default-src http:", "default-src https:")).isEqualTo(map("default-src", List.of("'none'")));
        assertThat(parse("default-src http: http:", "default-src https: https:")).isEqualTo(map("default-src", List.of("'none'")));
    }

    @Test
    void pathsMatchOnlyBelowADirectory() {
        assertThat(parse("default-src https://mozilla.org/fire", "default-src https://mozilla.org/firefox/"))
                .isEqualTo(map("default-src", List.of("'none'")));
        assertThat(parse("default-src https://mozilla.org/firefox/", "default-src https://mozilla.org/firefox/download/"))
                .isEqualTo(map("default-src", List.of("https://mozilla.org/firefox/download/")));
        assertThat(parse("default-src https://mozilla.org/firefox/download/", "default-src https://mozilla.org/firefox/"))
                .isEqualTo(map("default-src", List.of("https://mozilla.org/firefox/download/")));
    }

    @Test
    void directivesOutsideTheFirstPolicyBecomeNone() {
        assertThat(parse("img-src 'none'", "default-src 'none'")).isEqualTo(map("img-src", List.of("'none'"),
                "default-src", List.of("'none'")));
        assertThat(parse("default-src 'self'", "script-src 'self'", "style-src 'self'"))
                .isEqualTo(map("default-src", List.of("'self'"), "script-src", List.of("'none'"), "style-src", List.of("'none'")));
        assertThat(parse("default-src 'self'; script-src 'self' 'unsafe-inline'", "script-src 'self'"))
                .isEqualTo(map("default-src", List.of("'self'"), "script-src", List.of("'self'")));
    }

    @Test
    void sourcesAreLowerCasedSortedAndShadowed() {
        // English collation puts 'quoted' keywords first; "https:" shadows every https:// host; duplicates collapse.
        assertThat(parse("script-src https://CDN.example.com 'SELF' https: 'self' https://a.example"))
                .isEqualTo(map("script-src", List.of("'self'", "https:")));
        assertThat(parse("img-src *.example.com * data:")).isEqualTo(map("img-src", List.of("*", "data:")));
        // A directive without sources is 'none', whatever its name.
        assertThat(parse("upgrade-insecure-requests; frame-ancestors")).isEqualTo(map("upgrade-insecure-requests",
                List.of("'none'"), "frame-ancestors", List.of("'none'")));
        // Directive names are lower-cased; empty pieces between semicolons are skipped; CR/LF are dropped.
        assertThat(parse("DEFAULT-SRC 'none';;; ;\r\n;SCRIPT-SRC 'self'"))
                .isEqualTo(map("default-src", List.of("'none'"), "script-src", List.of("'self'")));
    }

    @Test
    void aComplexRealHeaderParses() {
        assertThat(Csp.parse(List.of("default-src 'self' blob: https://*.cnn.com:* http://*.cnn.com:* *.cnn.io:* *.cnn.net:* "
                + "*.turner.com:* *.turner.io:* *.ugdturner.com:* courageousstudio.com *.vgtf.net:*; script-src 'unsafe-eval' "
                + "'unsafe-inline' 'self' *; style-src 'unsafe-inline' 'self' blob: *; child-src 'self' blob: *; frame-src 'self' *; "
                + "object-src 'self' *; img-src 'self' data: blob: *; media-src 'self' data: blob: *; font-src 'self' data: *; "
                + "connect-src 'self' data: *; frame-ancestors 'self' https://*.cnn.com:* http://*.cnn.com https://*.cnn.io:* "
                + "http://*.cnn.io:* *.turner.com:* courageousstudio.com;"))).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"  ", "\r\n", "\r\n\r\n\r\n\r\n\r\n\r\n", "", "default-src 'none'; default-src 'none'",
            "default-src 'none'; img-src 'self'; default-src 'none'", "defa"})
    void invalidPolicies(String policy) {
        assertThat(Csp.parse(List.of(policy))).isEmpty();
        // One invalid policy spoils the whole list.
        assertThat(Csp.parse(List.of("default-src 'none'", policy))).isEmpty();
    }

    @Test
    void sixCharactersIsLongEnough() {
        assertThat(Csp.parse(List.of("a-src "))).isEmpty();
        assertThat(Csp.parse(List.of("a-srcx"))).map(Csp.Parsed::directives).contains(map("a-srcx", List.of("'none'")));
    }

    @Test
    void duplicateReportingDirectivesAreToleratedButFlagged() {
        Csp.Parsed uri = Csp.parse(List.of("report-uri https://www.dropbox.com/csp_log?policy_name=metaserver-whitelist ; "
                + "report-uri https://www.dropbox.com/csp_log?policy_name=metaserver-dynamic")).orElseThrow();
        assertThat(uri.duplicateReporting()).isTrue();
        // The later occurrence replaces the earlier one.
        assertThat(uri.get("report-uri")).containsExactly("https://www.dropbox.com/csp_log?policy_name=metaserver-dynamic");
        assertThat(Csp.parse(List.of("report-to some_name ; report-to some_other_name")).orElseThrow().duplicateReporting()).isTrue();
        assertThat(Csp.parse(List.of("default-src 'none'; report-to a")).orElseThrow().duplicateReporting()).isFalse();
    }

    @Test
    void noPoliciesIsAnEmptyParse() {
        Optional<Csp.Parsed> none = Csp.parse(List.of());
        assertThat(none).isPresent();
        assertThat(none.get().empty()).isTrue();
        assertThat(Csp.parse(List.of("default-src 'none'")).orElseThrow().empty()).isFalse();
    }
}
