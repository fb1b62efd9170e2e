package dev.vigil.grade.observatory;

import static dev.vigil.grade.observatory.ObservatoryAlgorithm.V4;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.probe.http.Response;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The expectations of MDN's own test suite, as published in the npm package @mdn/mdn-http-observatory 1.4.8
 * ({@code test/csp.test.js}, {@code cookies.test.js}, {@code referrer-policy.test.js},
 * {@code strict-transport-security.test.js}, {@code x-content-type-options.test.js},
 * {@code cross-origin-resource-policy.test.js}, {@code cors.test.js}), run against Vigil's rules on the same inputs:
 * MDN's {@code emptyRequests()} is an HTTPS page of mozilla.org with {@code Content-Type: text/html}.
 */
class MdnRuleExpectationsTest {

    static Site mozilla(String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "Content-Type";
        all[1] = "text/html";
        System.arraycopy(headers, 0, all, 2, headers.length);
        return new Site("mozilla.org", Site.headers(all), "");
    }

    static TestResult csp(String policy) {
        return mozilla("Content-Security-Policy", policy).test("content-security-policy", V4);
    }

    @ParameterizedTest
    @ValueSource(strings = {"  ", "\r\n", "", "default-src 'none'; default-src 'none'",
            "default-src 'none'; img-src 'self'; default-src 'none'", "default-src 'none'; script-src 'strict-dynamic'", "defa"})
    void cspHeaderInvalid(String policy) {
        assertThat(csp(policy)).isEqualTo(new TestResult("content-security-policy", "csp-header-invalid", -25, false,
                Remediations.forTest("content-security-policy", "csp-header-invalid")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"default-src 'none'; script-src https://*", "default-src 'none'; script-src 'unsafe-inline'",
            "script-src 'unsafe-inline'", "script-src data:", "script-src http:", "script-src ftp:", "default-src 'unsafe-inline'",
            "default-src 'UNSAFE-INLINE'", "upgrade-insecure-requests", "script-src 'none'", "script-src https:",
            "script-src https://mozilla.org https:", "default-src https://mozilla.org https:", "default-src 'none'; script-src *",
            "default-src *; script-src *; object-src 'none'", "default-src 'none'; script-src 'none'; object-src *",
            "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'", "default-src 'none'; script-src 'unsafe-inline' http:",
            "object-src https:; script-src 'none'"})
    void cspUnsafeInline(String policy) {
        TestResult r = csp(policy);
        assertThat(r.result()).isEqualTo("csp-implemented-with-unsafe-inline");
        assertThat(r.scoreModifier()).isEqualTo(-20);
        assertThat(r.pass()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"default-src http://mozilla.org", "default-src 'none'; script-src http://mozilla.org",
            "default-src 'none'; script-src ftp://mozilla.org"})
    void cspInsecureScheme(String policy) {
        assertThat(csp(policy).result()).isEqualTo("csp-implemented-with-insecure-scheme");
        assertThat(csp(policy).scoreModifier()).isEqualTo(-20);
    }

    @ParameterizedTest
    @ValueSource(strings = {"default-src 'none'; img-src http://mozilla.org", "default-src 'self'; img-src ftp:",
            "default-src 'self'; img-src http:", "default-src 'none'; img-src https:; media-src http://mozilla.org",
            "default-src 'none'; img-src http: https:; script-src 'self'; style-src 'self'",
            "default-src 'none'; img-src 'none'; media-src http:; script-src 'self'; style-src 'self'",
            "default-src 'none'; img-src 'none'; media-src http:; script-src 'self'; style-src 'unsafe-inline'"})
    void cspInsecureSchemeInPassiveContentOnlyStillPasses(String policy) {
        assertThat(csp(policy)).isEqualTo(new TestResult("content-security-policy",
                "csp-implemented-with-insecure-scheme-in-passive-content-only", -10, true, ""));
    }

    @org.junit.jupiter.api.Test
    void cspUnsafeEval() {
        assertThat(csp("default-src 'none'; script-src 'unsafe-eval'").result()).isEqualTo("csp-implemented-with-unsafe-eval");
        assertThat(csp("default-src 'none'; script-src 'unsafe-eval'").scoreModifier()).isEqualTo(-10);
    }

    @ParameterizedTest
    @ValueSource(strings = {"object-src 'none'; script-src 'none'; style-src 'unsafe-inline'",
            "default-src 'none'; script-src https://mozilla.org; style-src 'unsafe-inline'",
            "default-src 'unsafe-inline'; script-src https://mozilla.org", "default-src 'none';;; ;;;style-src 'self' 'unsafe-inline'",
            "default-src 'none'; style-src data:", "default-src 'none'; style-src *", "default-src 'none'; style-src https:",
            "default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-hqBEA/HXB3aJU2FgOnYN8rkAgEVgyfi3Vs1j2/XMPBB=' 'unsafe-inline'"})
    void cspUnsafeInlineInStyleSrcOnly(String policy) {
        assertThat(csp(policy)).isEqualTo(new TestResult("content-security-policy",
                "csp-implemented-with-unsafe-inline-in-style-src-only", 0, true, ""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"default-src https://mozilla.org", "default-src https://mozilla.org;;; ;;;script-src 'none'",
            "object-src 'none'; script-src https://mozilla.org; style-src https://mozilla.org; upgrade-insecure-requests;",
            "object-src 'none'; script-src 'strict-dynamic' 'nonce-abc' 'unsafe-inline'; style-src 'none'",
            "object-src 'none'; style-src 'self';script-src 'sha256-hqBEA/HXB3aJU2FgOnYN8rkAgEVgyfi3Vs1j2/XMPBA='",
            "object-src 'none'; style-src 'self'; script-src 'unsafe-inline' 'sha256-hqBEA/HXB3aJU2FgOnYN8rkAgEVgyfi3Vs1j2/XMPBA='"
                    + "'sha256-hqBEA/HXB3aJU2FgOnYN8rkAgEVgyfi3Vs1j2/XMPBB='",
            "object-src 'none'; script-src 'unsafe-inline' 'nonce-abc123' 'unsafe-inline'; style-src 'none'",
            "default-src https://mozilla.org; style-src 'unsafe-inline' 'nonce-abc123' 'unsafe-inline'",
            "default-src https://mozilla.org; style-src 'unsafe-inline' 'sha256-hqBEA/HXB3aJU2FgOnYN8rkAgEVgyfi3Vs1j2/XMPBB=' 'unsafe-inline'"})
    void cspNoUnsafe(String policy) {
        assertThat(csp(policy)).isEqualTo(new TestResult("content-security-policy", "csp-implemented-with-no-unsafe", 5, true, ""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"default-src", "default-src 'none'; script-src 'strict-dynamic' 'nonce-abc123' 'unsafe-inline'",
            "default-src 'none'; script-src https://mozilla.org; style-src https://mozilla.org; upgrade-insecure-requests;",
            "default-src 'none'; object-src https://mozilla.org",
            "default-src 'none'; script-src 'strict-dynamic' 'nonce-abc123'",
            "default-src 'none'; script-src 'strict-dynamic' 'sha256-abc123'",
            "default-src 'none'; script-src 'strict-dynamic' 'sha256-abc123' https://*",
            "default-src 'none'; script-src 'strict-dynamic' 'sha256-abc123' 'unsafe-inline'"})
    void cspNoUnsafeDefaultSrcNone(String policy) {
        assertThat(csp(policy)).isEqualTo(new TestResult("content-security-policy",
                "csp-implemented-with-no-unsafe-default-src-none", 10, true, ""));
    }

    /** MDN's test/files/test_parse_http_equiv_headers_*.html, as far as the Observatory reads them. */
    static final String META_CSP1 = "<!doctype html><html><head><meta charset=\"UTF-8\" />"
            + "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';\" /></head></html>";
    static final String META_CSP2 = "<!doctype html><html><head><meta charset=\"UTF-8\" />"
            + "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src https:\" /></head></html>";
    static final String META_MULTIPLE = """
            <!doctype html><html lang="en"><head><meta charset="UTF-8" />
                <meta
                  http-equiv="Content-Security-Policy"
                  content="default-src 'none'; object-src 'none'; media-src 'none';"
                />
                <meta
                  http-equiv="Content-SECURITY-Policy"
                  content="connect-src 'self'; font-src 'self'; child-src 'self'"
                />
                <meta
                  http-equiv=" Content-Security-Policy "
                  content="img-src 'self'; style-src 'self' 'nonce-gAeQO8jI4VJCsrsXkcUVRCzQjiihKteQ"
                />
                <meta
                  http-equiv="Content-security-Policy"
                  content="script-src 'self' 'unsafe-inline' 'nonce-gAeQO8jI4VJCsrsXkcUVRCzQjiihKteQ'"
                />
            <title>Title</title></head><body></body></html>
            """;
    static final String META_NOT_ALLOWED = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"UTF-8\" />"
            + "<meta\n  http-equiv=\"Content-Security-Policy\"\n  content=\"frame-ancestors 'none'\"\n/></head></html>";
    static final String META_REFERRER = "<meta charset=\"UTF-8\" /><meta name=\"referrer\" content=\"no-referrer, same-origin\" />";

    @Test
    void cspFromMetaTagsAndHeaderTogether() {
        // header default-src http: and meta default-src https: disagree: default-src ends 'none'
        assertThat(mozilla("Content-Security-Policy", "default-src http:").body(META_CSP2).result("content-security-policy", V4))
                .isEqualTo("csp-implemented-with-no-unsafe-default-src-none");
        assertThat(mozilla().body(META_CSP1).result("content-security-policy", V4))
                .isEqualTo("csp-implemented-with-no-unsafe-default-src-none");
        assertThat(mozilla().body(META_MULTIPLE).result("content-security-policy", V4))
                .isEqualTo("csp-implemented-with-no-unsafe-default-src-none");
        assertThat(mozilla("Content-Security-Policy", "default-src 'none'").body(META_CSP1).result("content-security-policy", V4))
                .isEqualTo("csp-implemented-with-no-unsafe-default-src-none");
        assertThat(mozilla("Content-Security-Policy", "default-src 'none'").body(META_CSP2).result("content-security-policy", V4))
                .isEqualTo("csp-implemented-with-no-unsafe-default-src-none");
        // header img-src 'none' + meta default-src 'none': default-src only in the second policy → 'none'
        assertThat(mozilla("Content-Security-Policy", "img-src 'none'").body(META_CSP1).result("content-security-policy", V4))
                .isEqualTo("csp-implemented-with-no-unsafe-default-src-none");
    }

    @Test
    void cspReportOnlyAndFrameAncestorsInMeta() {
        assertThat(mozilla("Content-Security-Policy-Report-Only", "default-src 'none'; report-to /_/csp-reports")
                .result("content-security-policy", V4)).isEqualTo("csp-not-implemented-but-reporting-enabled");
        assertThat(mozilla().body(META_NOT_ALLOWED).test("content-security-policy", V4).result()).isEqualTo("csp-not-implemented");
        assertThat(mozilla("Content-Security-Policy", "frame-anchestors 'none'").body(META_NOT_ALLOWED)
                .result("content-security-policy", V4)).isEqualTo("csp-implemented-with-unsafe-inline");
        assertThat(mozilla().test("content-security-policy", V4).pass()).isFalse();
    }

    static String cookies(Site site) {
        return site.result("cookies", V4);
    }

    static Site withCookies(String... setCookies) {
        String[] headers = new String[setCookies.length * 2];
        for (int i = 0; i < setCookies.length; i++) {
            headers[2 * i] = "Set-Cookie";
            headers[2 * i + 1] = setCookies[i];
        }
        return mozilla(headers);
    }

    @Test
    void cookieExpectations() {
        assertThat(cookies(mozilla())).isEqualTo("cookies-not-found");
        assertThat(cookies(withCookies("SESSIONID=bar; Domain=mozilla.org; Path=/; Secure; HttpOnly",
                "foo=bar; Domain=mozilla.org; Secure; Path=/", "heroku-session-affinity=bar; Domain=mozilla.org; Path=/")))
                .isEqualTo("cookies-secure-with-httponly-sessions");
        assertThat(cookies(withCookies(
                "SESSIONID_SAMESITE_STRICT=bar; Domain=mozilla.org; Path=/; Secure; HttpOnly; SameSite=Strict",
                "SESSIONID_SAMESITE_LAX=bar; Domain=mozilla.org; Path=/; Secure; HttpOnly; SameSite=Lax",
                "SESSIONID_SAMESITE_NONE=bar; Domain=mozilla.org; Path=/; Secure; HttpOnly; SameSite=None")))
                .isEqualTo("cookies-secure-with-httponly-sessions-and-samesite");
        assertThat(cookies(withCookies(
                "SESSIONID_SAMESITE_STRICT=bar; Domain=mozilla.org; Path=/; Secure; HttpOnly; SameSite=Strict",
                "SESSIONID_SAMESITE_NO_SAMESITE=bar; Domain=mozilla.org; Path=/; Secure; HttpOnly")))
                .isEqualTo("cookies-secure-with-httponly-sessions");
        assertThat(cookies(withCookies("CSRFTOKEN=bar; Domain=mozilla.org; Path=/; Secure; HttpOnly")))
                .isEqualTo("cookies-anticsrf-without-samesite-flag");
        for (String sameSite : List.of("", "True", "Invalid")) {
            assertThat(cookies(withCookies("SESSIONID=bar; Domain=mozilla.org; Path=/; Secure; HttpOnly; SameSite=" + sameSite)))
                    .isEqualTo("cookies-samesite-flag-invalid");
        }
        assertThat(cookies(withCookies("foo=bar; Domain=mozilla.org; Path=/"))).isEqualTo("cookies-without-secure-flag");
        assertThat(cookies(withCookies("foo=bar; Domain=mozilla.org; Path=/").withHeader("Strict-Transport-Security",
                "max-age=15768000"))).isEqualTo("cookies-without-secure-flag-but-protected-by-hsts");
        assertThat(cookies(withCookies("SESSIONID=bar; Domain=mozilla.org; Path=/; HttpOnly").withHeader("Strict-Transport-Security",
                "max-age=15768000"))).isEqualTo("cookies-session-without-secure-flag-but-protected-by-hsts");
        assertThat(cookies(withCookies("SESSIONID=bar; Domain=mozilla.org; Path=/; Secure")))
                .isEqualTo("cookies-session-without-httponly-flag");
        assertThat(cookies(withCookies("SESSIONID=bar; Domain=mozilla.org; Path=/; HttpOnly")))
                .isEqualTo("cookies-session-without-secure-flag");
        assertThat(cookies(withCookies("SESSIONID=bar; Domain=mozilla.org; Path=/"))).isEqualTo("cookies-session-without-secure-flag");
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', value = {
            "no-referrer|referrer-policy-private", "same-origin|referrer-policy-private", "strict-origin|referrer-policy-private",
            "STRICT-ORIGIN|referrer-policy-private", "strict-origin-when-cross-origin|referrer-policy-private",
            "whimsy|referrer-policy-header-invalid", "origin|referrer-policy-unsafe",
            "origin-when-cross-origin|referrer-policy-unsafe", "unsafe-url|referrer-policy-unsafe",
            "'origin-when-cross-origin, no-referrer, unsafe-url'|referrer-policy-unsafe",
            "'no-referrer, unsafe-url'|referrer-policy-unsafe", "'no-referrer, whimsy'|referrer-policy-private",
            "'whimsy, whimsy1, whimsy2'|referrer-policy-header-invalid"})
    void referrerExpectations(String value, String expected) {
        assertThat(mozilla("Referrer-Policy", value).result("referrer-policy", V4)).isEqualTo(expected);
    }

    @Test
    void referrerFromMetaBeatsTheHeader() {
        assertThat(mozilla().result("referrer-policy", V4)).isEqualTo("referrer-policy-not-implemented");
        assertThat(mozilla().body(META_REFERRER).result("referrer-policy", V4)).isEqualTo("referrer-policy-private");
        assertThat(mozilla("Referrer-Policy", "unsafe-url").body(META_REFERRER).result("referrer-policy", V4))
                .isEqualTo("referrer-policy-private");
        // test_parse_http_equiv_headers_case_insensitivity: the name attribute is matched case-insensitively
        assertThat(mozilla().body("<meta name=\"referRer\" content=\"no-referrer, same-origin\" />").result("referrer-policy", V4))
                .isEqualTo("referrer-policy-private");
    }

    @Test
    void hstsExpectations() {
        assertThat(mozilla().result("strict-transport-security", V4)).isEqualTo("hsts-not-implemented");
        assertThat(mozilla("Strict-Transport-Security", "includeSubDomains; preload").result("strict-transport-security", V4))
                .isEqualTo("hsts-header-invalid");
        assertThat(mozilla("Strict-Transport-Security", "max-age=15768000; includeSubDomains, max-age=15768000; includeSubDomains")
                .result("strict-transport-security", V4)).isEqualTo("hsts-header-invalid");
        assertThat(mozilla("Strict-Transport-Security", "max-age=86400").test("strict-transport-security", V4))
                .isEqualTo(new TestResult("strict-transport-security", "hsts-implemented-max-age-less-than-six-months", -10, false,
                        Remediations.forTest("strict-transport-security", "hsts-implemented-max-age-less-than-six-months")));
        assertThat(mozilla("Strict-Transport-Security", "max-age=15768000; includeSubDomains; preload")
                .result("strict-transport-security", V4)).isEqualTo("hsts-implemented-max-age-at-least-six-months");
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', value = {"whimsy|x-content-type-options-header-invalid",
            "'nosniff, nosniff'|x-content-type-options-header-invalid", "nosniff|x-content-type-options-nosniff",
            "'nosniff '|x-content-type-options-nosniff"})
    void xContentTypeOptionsExpectations(String value, String expected) {
        assertThat(mozilla("X-Content-Type-Options", value).result("x-content-type-options", V4)).isEqualTo(expected);
        assertThat(mozilla().result("x-content-type-options", V4)).isEqualTo("x-content-type-options-not-implemented");
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', value = {"whimsy|corp-header-invalid|-5", "same-site|corp-implemented-with-same-site|10",
            "same-origin|corp-implemented-with-same-origin|10", "cross-origin|corp-implemented-with-cross-origin|0"})
    void crossOriginResourcePolicyExpectations(String value, String expected, int modifier) {
        TestResult r = mozilla("Cross-Origin-Resource-Policy", value).test("cross-origin-resource-policy", V4);
        assertThat(r.result()).isEqualTo(expected);
        assertThat(r.scoreModifier()).isEqualTo(modifier);
        assertThat(mozilla().result("cross-origin-resource-policy", V4)).isEqualTo("corp-not-implemented");
    }

    @Test
    void corsExpectations() {
        Response star = new Response("https://mozilla.org/", 200, Site.headers("Access-Control-Allow-Origin", "*"), new byte[0]);
        Response restricted = new Response("https://mozilla.org/", 200,
                Site.headers("Access-Control-Allow-Origin", "https://mozilla.org"), new byte[0]);
        assertThat(HeaderRules.cors(Optional.empty())).isEqualTo("cross-origin-resource-sharing-not-implemented");
        assertThat(HeaderRules.cors(Optional.of(star))).isEqualTo("cross-origin-resource-sharing-implemented-with-public-access");
        assertThat(HeaderRules.cors(Optional.of(restricted)))
                .isEqualTo("cross-origin-resource-sharing-implemented-with-restricted-access");
        // MDN's unit test plants the Origin on the request object to reach universal-access; a real scan never sees it
        // (scoring spec §7, quirk 8), so Vigil scores the reflected origin as restricted, as the real scanner does.
    }
}
