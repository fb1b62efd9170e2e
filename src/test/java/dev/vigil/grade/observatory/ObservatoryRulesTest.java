package dev.vigil.grade.observatory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.probe.http.Headers;
import dev.vigil.probe.http.HttpFindings;
import dev.vigil.probe.http.Response;
import dev.vigil.probe.http.Session;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The spec's tables, one result at a time, on synthetic responses (no network). */
class ObservatoryRulesTest {

    static Headers headers(String... nameValue) {
        List<Map.Entry<String, String>> lines = new ArrayList<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            lines.add(new AbstractMap.SimpleImmutableEntry<>(nameValue[i], nameValue[i + 1]));
        }
        return new Headers(lines);
    }

    static HttpFindings https(Headers headers, String body) {
        Response response = new Response("https://site.test/", 200, headers, body.getBytes(StandardCharsets.UTF_8));
        Session https = new Session("https://site.test/", List.of(response), true);
        Session http = new Session("http://site.test/", List.of(
                new Response("http://site.test/", 301, headers("Location", "https://site.test/"), new byte[0]), response), true);
        return new HttpFindings("site.test", Optional.of(http), Optional.of(https), Optional.empty(), List.of(), Duration.ZERO);
    }

    static String result(String test, Headers headers, String body) {
        return Observatory.grade(https(headers, body), ObservatoryAlgorithm.V4, HstsPreloadList.empty()).tests().get(test).result();
    }

    static String csp(String policy) {
        return result("content-security-policy", headers("Content-Type", "text/html", "Content-Security-Policy", policy), "");
    }

    /** A corpus of real-world policies (shapes seen on large sites) and what the Observatory makes of them. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "default-src 'none'|csp-implemented-with-no-unsafe-default-src-none",
            "default-src 'self'; script-src 'self' https://www.google-analytics.com; img-src *|csp-implemented-with-no-unsafe",
            "default-src 'self'; style-src 'self' 'unsafe-inline'|csp-implemented-with-unsafe-inline-in-style-src-only",
            "default-src 'self'; script-src 'self' 'unsafe-eval'|csp-implemented-with-unsafe-eval",
            "default-src 'self'; script-src 'self' 'UNSAFE-INLINE'|csp-implemented-with-unsafe-inline",
            "default-src https:|csp-implemented-with-unsafe-inline",
            "default-src 'self'; img-src http://images.example.com|csp-implemented-with-insecure-scheme-in-passive-content-only",
            "default-src 'self'; form-action http://forms.example.com|csp-implemented-with-insecure-scheme",
            "script-src 'nonce-abc' 'unsafe-inline' 'strict-dynamic' https:; object-src 'none'; base-uri 'none'|csp-implemented-with-unsafe-inline-in-style-src-only",
            "script-src 'strict-dynamic' https:; object-src 'none'|csp-header-invalid",
            "frame-ancestors 'none'|csp-implemented-with-unsafe-inline",
            "upgrade-insecure-requests|csp-implemented-with-unsafe-inline",
            "default-src 'self'; default-src 'none'|csp-header-invalid",
            "a|csp-header-invalid",
            "default-src 'self'; report-uri /a; report-uri /b|csp-implemented-but-duplicate-directives",
            "default-src 'none'; script-src 'sha256-abc=' 'unsafe-inline'|csp-implemented-with-no-unsafe-default-src-none",
            "default-src 'self'; script-src data:|csp-implemented-with-unsafe-inline",
            "default-src 'self'; object-src *|csp-implemented-with-unsafe-inline"})
    void cspCorpus(String policy, String expected) {
        assertThat(csp(policy)).isEqualTo(expected);
    }

    @Test
    void cspAbsentOrReportOnly() {
        assertThat(result("content-security-policy", headers("Content-Type", "text/html"), "")).isEqualTo("csp-not-implemented");
        assertThat(result("content-security-policy", headers("Content-Type", "text/html",
                "Content-Security-Policy-Report-Only", "default-src 'none'"), "")).isEqualTo("csp-not-implemented-but-reporting-enabled");
        // A meta CSP holding only frame-ancestors counts as no CSP.
        assertThat(result("content-security-policy", headers("Content-Type", "text/html"),
                "<meta http-equiv=\"content-security-policy\" content=\"frame-ancestors 'none'\">")).isEqualTo("csp-not-implemented");
    }

    @Test
    void twoCspHeaderLinesAreOnePolicyInAlgorithmFour() {
        Headers two = headers("Content-Type", "text/html", "Content-Security-Policy", "default-src 'self'",
                "Content-Security-Policy", "default-src 'none'");
        // joined "default-src 'self', default-src 'none'" → one directive with sources 'self', ',' …: still parsed
        assertThat(Observatory.grade(https(two, ""), ObservatoryAlgorithm.V4, HstsPreloadList.empty())
                .tests().get("content-security-policy").result()).isNotEqualTo("csp-not-implemented");
        // algorithm 6 splits it into two policies; default-src is in both: intersection of 'self' and 'none' is empty → 'none'
        assertThat(Observatory.grade(https(two, ""), ObservatoryAlgorithm.V6, HstsPreloadList.empty())
                .tests().get("content-security-policy").result()).isEqualTo("csp-implemented-with-no-unsafe-default-src-none");
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', value = {
            "no-referrer|referrer-policy-private",
            "strict-origin-when-cross-origin|referrer-policy-private",
            "unsafe-url|referrer-policy-unsafe",
            "no-referrer, unsafe-url|referrer-policy-unsafe",
            "bogus|referrer-policy-header-invalid"})
    void referrer(String value, String expected) {
        assertThat(result("referrer-policy", headers("Referrer-Policy", value), "")).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', value = {
            "max-age=15552000|hsts-implemented-max-age-at-least-six-months",
            "max-age=15551999|hsts-implemented-max-age-less-than-six-months",
            "max-age=\"31536000\"|hsts-implemented-max-age-at-least-six-months",
            "max-age = 300|hsts-header-invalid",
            "includeSubDomains|hsts-header-invalid"})
    void hsts(String value, String expected) {
        assertThat(result("strict-transport-security", headers("Strict-Transport-Security", value), "")).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', value = {
            "sessionid=1; Secure; HttpOnly; SameSite=Lax|cookies-secure-with-httponly-sessions-and-samesite",
            "sessionid=1; Secure; HttpOnly|cookies-secure-with-httponly-sessions",
            "pref=1; HttpOnly|cookies-without-secure-flag",
            "csrftoken=1; Secure|cookies-anticsrf-without-samesite-flag",
            "login=1; Secure|cookies-session-without-httponly-flag",
            "sessionid=1; HttpOnly|cookies-session-without-secure-flag",
            "pref=1; Secure; SameSite=Bogus|cookies-samesite-flag-invalid",
            "__Host-x=1; Path=/x; Secure|cookies-not-found",
            "x=1; Domain=elsewhere.example|cookies-not-found"})
    void cookies(String setCookie, String expected) {
        assertThat(result("cookies", headers("Set-Cookie", setCookie), "")).isEqualTo(expected);
    }

    @Test
    void hstsProtectedCookiesAndPreload() throws Exception {
        assertThat(result("cookies", headers("Strict-Transport-Security", "max-age=31536000", "Set-Cookie", "pref=1; HttpOnly"), ""))
                .isEqualTo("cookies-without-secure-flag-but-protected-by-hsts");
        java.nio.file.Path file = java.nio.file.Files.createTempFile("preload", ".json");
        java.nio.file.Files.writeString(file, "{ // comment\n \"entries\": [ {\"name\": \"test\", \"mode\": \"force-https\", \"include_subdomains\": true} ] }");
        HstsPreloadList preload = HstsPreloadList.load(file);
        var tests = Observatory.grade(https(headers(), ""), ObservatoryAlgorithm.V4, preload).tests();
        assertThat(tests.get("strict-transport-security").result()).isEqualTo("hsts-preloaded");
        assertThat(tests.get("redirection").result()).isEqualTo("redirection-all-redirects-preloaded");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "<script src=\"/app.js\"></script>|sri-not-implemented-but-all-scripts-loaded-from-secure-origin",
            "<script src=\"https://cdn.other.example/a.js\" integrity=\"sha384-x\"></script>|sri-implemented-and-external-scripts-loaded-securely",
            "<script src=\"https://cdn.other.example/a.js\"></script>|sri-not-implemented-but-external-scripts-loaded-securely",
            "<script src=\"http://cdn.other.example/a.js\" integrity=\"sha384-x\"></script>|sri-implemented-but-external-scripts-not-loaded-securely",
            "<script src=\"//cdn.other.example/a.js\"></script>|sri-not-implemented-and-external-scripts-not-loaded-securely",
            "<script src=\"https://static.site.test/a.js\" integrity=\"sha384-x\"></script>|sri-implemented-and-all-scripts-loaded-securely",
            "<p>no scripts</p>|sri-not-implemented-but-no-scripts-loaded"})
    void sri(String html, String expected) {
        assertThat(result("subresource-integrity", headers("Content-Type", "text/html"), html)).isEqualTo(expected);
        assertThat(result("subresource-integrity", headers("Content-Type", "application/json"), html))
                .isEqualTo("sri-not-implemented-response-not-html");
    }

    @Test
    void smallerHeaderTests() {
        assertThat(result("x-content-type-options", headers("X-Content-Type-Options", "NoSniff"), "")).isEqualTo("x-content-type-options-nosniff");
        assertThat(result("x-frame-options", headers("X-Frame-Options", "ALLOW-FROM https://a"), "")).isEqualTo("x-frame-options-allow-from-origin");
        assertThat(result("x-frame-options", headers("X-Frame-Options", "nope"), "")).isEqualTo("x-frame-options-header-invalid");
        assertThat(result("cross-origin-resource-policy", headers("Cross-Origin-Resource-Policy", "same-site"), "")).isEqualTo("corp-implemented-with-same-site");
        assertThat(result("cross-origin-resource-policy", headers("Cross-Origin-Resource-Policy", "cross-origin"), "")).isEqualTo("corp-implemented-with-cross-origin");
        assertThat(result("cross-origin-resource-policy", headers("Cross-Origin-Resource-Policy", "same"), "")).isEqualTo("corp-header-invalid");
        var v6 = Observatory.grade(https(headers("Cross-Origin-Opener-Policy", "same-origin; report-to=\"x\"",
                "Cross-Origin-Embedder-Policy", "\"require-corp\""), ""), ObservatoryAlgorithm.V6, HstsPreloadList.empty()).tests();
        assertThat(v6.get("cross-origin-opener-policy").result()).isEqualTo("coop-implemented-with-same-origin");
        assertThat(v6.get("cross-origin-embedder-policy").result()).isEqualTo("coep-header-invalid");
    }

    @Test
    void redirectionVariants() {
        Response page = new Response("https://www.site.test/", 200, headers(), new byte[0]);
        Session offHost = new Session("http://site.test/", List.of(
                new Response("http://site.test/", 301, headers("Location", "https://www.site.test/"), new byte[0]), page), true);
        Session viaHttp = new Session("http://site.test/", List.of(
                new Response("http://site.test/", 301, headers("Location", "http://site.test/x"), new byte[0]),
                new Response("http://site.test/x", 301, headers("Location", "https://site.test/"), new byte[0]), page), true);
        Session staysHttp = new Session("http://site.test/", List.of(
                new Response("http://site.test/", 302, headers("Location", "/login"), new byte[0]),
                new Response("http://site.test/login", 200, headers(), new byte[0])), true);
        assertThat(HeaderRules.redirection(Optional.of(offHost), HstsPreloadList.empty())).isEqualTo("redirection-off-host-from-http");
        assertThat(HeaderRules.redirection(Optional.of(viaHttp), HstsPreloadList.empty())).isEqualTo("redirection-not-to-https-on-initial-redirection");
        assertThat(HeaderRules.redirection(Optional.of(staysHttp), HstsPreloadList.empty())).isEqualTo("redirection-not-to-https");
        assertThat(HeaderRules.redirection(Optional.empty(), HstsPreloadList.empty())).isEqualTo("redirection-not-needed-no-http");
    }

    @Test
    void corsPreflight() {
        Response star = new Response("https://site.test/", 200, headers("Access-Control-Allow-Origin", "*"), new byte[0]);
        Response reflected = new Response("https://site.test/", 200, headers("Access-Control-Allow-Origin",
                "https://http-observatory.security.mozilla.org", "Access-Control-Allow-Credentials", "true"), new byte[0]);
        assertThat(HeaderRules.cors(Optional.of(star))).isEqualTo("cross-origin-resource-sharing-implemented-with-public-access");
        assertThat(HeaderRules.cors(Optional.of(reflected))).isEqualTo("cross-origin-resource-sharing-implemented-with-restricted-access");
        assertThat(HeaderRules.cors(Optional.empty())).isEqualTo("cross-origin-resource-sharing-not-implemented");
    }

    @Test
    void penaltiesOverTenCancelEveryBonus() {
        // CSP none +10, referrer +5; XCTO missing -5, XFO missing -20 → penalties -25 → 75, no bonus
        var result = Observatory.grade(https(headers("Content-Security-Policy", "default-src 'none'",
                "Strict-Transport-Security", "max-age=31536000", "Referrer-Policy", "no-referrer"), ""), ObservatoryAlgorithm.V4,
                HstsPreloadList.empty());
        assertThat(result.score()).contains(75);
    }
}
