package dev.vigil.grade.observatory;

import static dev.vigil.grade.observatory.ObservatoryAlgorithm.V4;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.grade.Grade;
import dev.vigil.probe.http.Html;
import dev.vigil.probe.http.HttpFindings;
import dev.vigil.probe.http.Response;
import dev.vigil.probe.http.Session;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Observatory's pieces one at a time: cookie jar, tag scan, registrable domain, preload list, fixes, chart edges. */
class ObservatoryPartsTest {

    static CookieJar.Cookie cookie(String line, String host) {
        return CookieJar.parse(line, host).orElseThrow();
    }

    @Test
    void cookieAttributesAsToughCookieStoresThem() {
        assertThat(cookie("a=1", "www.example.com"))
                .isEqualTo(new CookieJar.Cookie("a", "www.example.com", "/", false, false, Optional.empty()));
        assertThat(cookie(" sid = x ; SECURE; HttpOnly; Path=/app; SameSite=LAX; Domain=.Example.COM", "www.example.com"))
                .isEqualTo(new CookieJar.Cookie("sid", "example.com", "/app", true, true, Optional.of("lax")));
        assertThat(cookie("a=1; Path=relative", "h.test").path()).isEqualTo("/");
        assertThat(cookie("a=1; Domain=", "h.test").domain()).isEqualTo("h.test");
        assertThat(cookie("a=1; Domain=h.test", "h.test").domain()).isEqualTo("h.test");
        assertThat(cookie("a=1; SameSite=Strict", "h.test").sameSite()).contains("strict");
        assertThat(cookie("a=1; SameSite=none", "h.test").sameSite()).contains("none");
        // An unknown SameSite value is stored as no SameSite (only the raw check flags it).
        assertThat(cookie("a=1; SameSite=bogus", "h.test").sameSite()).isEmpty();
        assertThat(cookie("a=1; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Priority=High", "h.test").name()).isEqualTo("a");
        assertThat(cookie("a=", "h.test").name()).isEqualTo("a");
    }

    @Test
    void cookiesTheJarDropsSilently() {
        for (String line : List.of("novalue", "=1", " =1", "a\u0001b=1", "a=1; Domain=other.test", "a=1; Domain=test",
                "a=1; Domain=ample.com", "a=1; Domain=com", "__Secure-a=1", "__Host-a=1", "__Host-a=1; Secure; Domain=www.example.com",
                "__Host-a=1; Secure; Path=/x")) {
            assertThat(CookieJar.parse(line, "www.example.com")).as(line).isEmpty();
        }
        assertThat(CookieJar.parse("__Secure-a=1; Secure", "www.example.com")).isPresent();
        assertThat(CookieJar.parse("__Host-a=1; Secure; Path=/", "www.example.com")).isPresent();
        assertThat(CookieJar.parse("a\u007fb=1", "www.example.com")).isEmpty();
    }

    @Test
    void laterCookiesReplaceEarlierOnesWithTheSameNameDomainAndPath() {
        Response first = new Response("https://a.test/", 302, Site.headers("Set-Cookie", "sid=1", "Set-Cookie", "pref=1; Path=/x"),
                new byte[0]);
        Response second = new Response("https://www.a.test/", 200, Site.headers("Set-Cookie", "sid=2; Secure", "Set-Cookie",
                "pref=2"), new byte[0]);
        List<CookieJar.Cookie> jar = CookieJar.of(List.of(first, second));
        assertThat(jar).containsExactly(
                new CookieJar.Cookie("sid", "a.test", "/", false, false, Optional.empty()),
                new CookieJar.Cookie("pref", "a.test", "/x", false, false, Optional.empty()),
                new CookieJar.Cookie("sid", "www.a.test", "/", true, false, Optional.empty()),
                new CookieJar.Cookie("pref", "www.a.test", "/", false, false, Optional.empty()));
        Response again = new Response("https://A.test/", 200, Site.headers("Set-Cookie", "sid=3; HttpOnly"), new byte[0]);
        assertThat(CookieJar.of(List.of(first, again))).containsExactly(
                new CookieJar.Cookie("sid", "a.test", "/", false, true, Optional.empty()),
                new CookieJar.Cookie("pref", "a.test", "/x", false, false, Optional.empty()));
    }

    @Test
    void tagScanReadsMetaAndScriptStartTagsLeniently() {
        List<Html.Tag> tags = Html.tags("<html><META HTTP-EQUIV='Content-Security-Policy' content=\"default-src &apos;none&apos;\">"
                + "<Script SRC=/a.js async integrity=sha384-x></script><scripts><metadata><meta/><script\nsrc=\"b&amp;c.js\"\n>"
                + "<meta name=x name=y content='&lt;&gt;&quot;&#39;'>");
        assertThat(tags).extracting(Html.Tag::name).containsExactly("meta", "script", "meta", "script", "meta");
        assertThat(tags.get(0).attribute("http-equiv")).contains("Content-Security-Policy");
        assertThat(tags.get(0).attribute("content")).contains("default-src 'none'");
        assertThat(tags.get(1).attributes()).isEqualTo(Map.of("src", "/a.js", "async", "", "integrity", "sha384-x"));
        assertThat(tags.get(2).attributes()).isEmpty();
        assertThat(tags.get(3).attribute("src")).contains("b&c.js");
        // The first of repeated attributes wins; entities are decoded once.
        assertThat(tags.get(4).attribute("name")).contains("x");
        assertThat(tags.get(4).attribute("content")).contains("<>\"'");
        assertThat(tags.get(4).attribute("missing")).isEmpty();
        assertThat(Html.tags("no tags here")).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"example.com, example.com", "www.example.com, example.com", "a.b.example.com, example.com",
            "www.example.co.uk, example.co.uk", "example.co.uk, example.co.uk", "cdn.user.github.io, user.github.io",
            "localhost, localhost", "WWW.Example.COM, example.com", "site.test, site.test", "static.site.test, site.test"})
    void registrableDomain(String host, String domain) {
        assertThat(Sri.registrableDomain(host)).isEqualTo(domain);
    }

    @Test
    void sriRankingKeepsTheWorstAndQuirks() {
        Site site = Site.of("Content-Type", "text/html");
        // −20 ranks better than −5 (quirk): one integrity-but-http script and one https-without-integrity script end at −5.
        assertThat(site.body("<script src=\"http://cdn.other.example/a.js\" integrity=\"sha384-x\"></script>"
                + "<script src=\"https://cdn.other.example/b.js\"></script>").result("subresource-integrity", V4))
                .isEqualTo("sri-not-implemented-but-external-scripts-loaded-securely");
        assertThat(site.body("<script src=\"https://cdn.other.example/b.js\"></script>"
                + "<script src=\"http://cdn.other.example/a.js\" integrity=\"sha384-x\"></script>").result("subresource-integrity", V4))
                .isEqualTo("sri-not-implemented-but-external-scripts-loaded-securely");
        assertThat(site.body("<script src=\"//cdn.other.example/a.js\"></script><script src=\"https://cdn.other.example/b.js\"></script>")
                .result("subresource-integrity", V4)).isEqualTo("sri-not-implemented-and-external-scripts-not-loaded-securely");
        // An http:// script on the same registrable domain is never penalised; inline scripts are not counted.
        assertThat(site.body("<script src=\"http://cdn.site.test/a.js\"></script><script>var x;</script>")
                .result("subresource-integrity", V4)).isEqualTo("sri-not-implemented-but-all-scripts-loaded-from-secure-origin");
        assertThat(site.body("<script>var x;</script>").result("subresource-integrity", V4))
                .isEqualTo("sri-not-implemented-but-all-scripts-loaded-from-secure-origin");
        // A same-origin script with integrity earns the bonus only while nothing worse was seen.
        assertThat(site.body("<script src=\"/a.js\" integrity=\"sha384-x\"></script><script src=\"https://cdn.other.example/b.js\" "
                + "integrity=\"sha384-y\"></script>").result("subresource-integrity", V4))
                .isEqualTo("sri-implemented-and-all-scripts-loaded-securely");
        assertThat(site.body("<script src=\"/a.js\" integrity=\"\"></script>").result("subresource-integrity", V4))
                .isEqualTo("sri-not-implemented-but-all-scripts-loaded-from-secure-origin");
        assertThat(site.body("<script src=\"HTTPS://cdn.other.example/b.js\"></script>").result("subresource-integrity", V4))
                .isEqualTo("sri-not-implemented-but-external-scripts-loaded-securely");
        assertThat(site.body("<script src=\"https://bad host/b.js\"></script>").result("subresource-integrity", V4))
                .isEqualTo("sri-not-implemented-but-external-scripts-loaded-securely");
        // Content-Type is compared exactly (quirk 18).
        assertThat(Site.of("Content-Type", "Text/HTML").body("<script src=\"//x.example/a.js\"></script>")
                .result("subresource-integrity", V4)).isEqualTo("sri-not-implemented-response-not-html");
        assertThat(Site.of("Content-Type", "application/xhtml+xml; charset=utf-8").body("<script src=\"//x.example/a.js\"></script>")
                .result("subresource-integrity", V4)).isEqualTo("sri-not-implemented-and-external-scripts-not-loaded-securely");
    }

    @Test
    void preloadListHonoursOwnEntriesAndIncludeSubDomainsParents(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("transport_security_state_static.json");
        Files.writeString(file, """
                {
                  // Chromium's file carries comments
                  "entries": [
                    { "name": "bugzilla.mozilla.org", "policy": "custom", "mode": "force-https", "include_subdomains": true },
                    { "name": "Facebook.com", "mode": "force-https" },
                    { "name": "dropboxusercontent.com", "policy": "custom" },
                    { "name": "app", "mode": "force-https", "include_subdomains": true },
                    { "name": "", "mode": "force-https" }
                  ]
                }
                """);
        HstsPreloadList list = HstsPreloadList.load(file);
        assertThat(list.preloaded("bugzilla.mozilla.org")).isTrue();
        assertThat(list.preloaded("a.b.bugzilla.mozilla.org")).isTrue();
        assertThat(list.preloaded("mozilla.org")).isFalse();
        assertThat(list.preloaded("FACEBOOK.COM")).isTrue();
        // No include_subdomains: the parent's entry does not cover its children.
        assertThat(list.preloaded("www.facebook.com")).isFalse();
        assertThat(list.preloaded("dropboxusercontent.com")).isFalse();
        assertThat(list.preloaded("anything.app")).isTrue();
        assertThat(list.preloaded("app")).isTrue();
        assertThat(list.preloaded("")).isFalse();
        assertThat(HstsPreloadList.empty().preloaded("bugzilla.mozilla.org")).isFalse();
    }

    @Test
    void remediationsNameTheHeaderAndTheIngressAnnotation() {
        assertThat(Remediations.forTest("x-content-type-options", "x-content-type-options-not-implemented")).isEqualTo(
                "X-Content-Type-Options: nosniff (ingress-nginx: nginx.ingress.kubernetes.io/configuration-snippet: "
                        + "more_set_headers \"X-Content-Type-Options: nosniff\";)");
        assertThat(Remediations.forTest("referrer-policy", "referrer-policy-unsafe")).startsWith(
                "Referrer-Policy: strict-origin-when-cross-origin (ingress-nginx:");
        assertThat(Remediations.forTest("redirection", "redirection-invalid-cert")).isEqualTo(
                "serve a certificate that verifies for the host");
        assertThat(Remediations.forTest("redirection", "redirection-missing")).contains("ssl-redirect");
        assertThat(Remediations.forTest("strict-transport-security", "hsts-invalid-cert")).isEqualTo(
                "serve a certificate that verifies for the host, then send HSTS");
        assertThat(Remediations.forTest("strict-transport-security", "hsts-not-implemented")).contains("max-age=63072000");
        assertThat(Remediations.forTest("cookies", "cookies-without-secure-flag")).contains("Secure; HttpOnly; SameSite=Lax");
        assertThat(Remediations.forTest("cross-origin-resource-sharing", "x")).contains("cors-allow-origin");
        assertThat(Remediations.forTest("subresource-integrity", "x")).contains("integrity=");
        assertThat(Remediations.forTest("content-security-policy", "x")).startsWith("Content-Security-Policy: default-src 'none';");
        assertThat(Remediations.forTest("cross-origin-resource-policy", "x")).startsWith("Cross-Origin-Resource-Policy: same-origin");
        assertThat(Remediations.forTest("cross-origin-opener-policy", "x")).startsWith("Cross-Origin-Opener-Policy: same-origin");
        assertThat(Remediations.forTest("cross-origin-embedder-policy", "x")).startsWith("Cross-Origin-Embedder-Policy: require-corp");
        assertThat(Remediations.forTest("no-such-test", "x")).isEmpty();
        // A value with quotes is escaped inside the more_set_headers string.
        assertThat(Remediations.forTest("content-security-policy", "x")).contains("more_set_headers \"Content-Security-Policy: "
                + "default-src 'none';");
    }

    static HttpFindings answering(int status) {
        Response page = new Response("https://site.test/", status, Site.headers("Content-Type", "text/html"), new byte[0]);
        return new HttpFindings("site.test", Optional.empty(), Optional.of(new Session("https://site.test/", List.of(page), true)),
                Optional.empty(), List.of(), Duration.ZERO);
    }

    @ParameterizedTest
    @CsvSource({"200, true", "204, true", "301, true", "399, true", "401, true", "403, true", "199, false", "400, false",
            "404, false", "500, false"})
    void onlyUsableAnswersAreGraded(int status, boolean graded) {
        ObservatoryResult r = Observatory.grade(answering(status), V4, HstsPreloadList.empty());
        assertThat(r.score().isPresent()).isEqualTo(graded);
        assertThat(r.grade().isPresent()).isEqualTo(graded);
        assertThat(r.error()).isEqualTo(graded ? Optional.empty()
                : Optional.of("Site did respond with an unexpected HTTP status code " + status + "."));
        assertThat(r.tests()).hasSize(10);
    }

    @Test
    void aSiteThatIsDownHasNoGrade() {
        HttpFindings down = new HttpFindings("site.test", Optional.empty(), Optional.empty(), Optional.empty(), List.of("refused"),
                Duration.ZERO);
        ObservatoryResult r = Observatory.grade(down, V4, HstsPreloadList.empty());
        assertThat(r.error()).contains("The site seems to be down.");
        assertThat(r.score()).isEmpty();
        assertThat(r.tests().get("content-security-policy").result()).isEqualTo("csp-not-implemented");
        assertThat(r.tests().get("redirection").result()).isEqualTo("redirection-not-needed-no-http");
        assertThat(r.tests().get("strict-transport-security").result()).isEqualTo("hsts-not-implemented-no-https");
        assertThat(r.tests().get("subresource-integrity").result()).isEqualTo("sri-not-implemented-but-no-scripts-loaded");
    }

    @Test
    void theScoreHasAFloorButNoCeiling() {
        Site awful = Site.of("Content-Type", "text/html", "Set-Cookie", "sessionid=1")
                .body("<script src=\"//evil.example/a.js\"></script>");
        ObservatoryResult r = awful.grade(V4);
        assertThat(r.score()).contains(0);
        assertThat(r.grade()).contains(Grade.F);
        // Only CORS, redirection, Referrer-Policy (absent) and CORP (absent) pass.
        assertThat(r.testsPassed()).isEqualTo(4);
        Site perfect = Site.of("Content-Type", "text/html", "Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'",
                "Strict-Transport-Security", "max-age=63072000", "X-Content-Type-Options", "nosniff", "Referrer-Policy", "no-referrer",
                "Cross-Origin-Resource-Policy", "same-origin", "Set-Cookie", "sessionid=1; Secure; HttpOnly; SameSite=Strict");
        // 100 + CSP 10 + cookies 5 + referrer 5 + XFO via CSP 5 + CORP 10 = 135 (no cap above 100).
        assertThat(perfect.grade(V4).score()).contains(135);
        assertThat(perfect.grade(V4).testsPassed()).isEqualTo(10);
    }

    @Test
    void metaTagsAreReadOnlyFromHtmlWithContent() {
        // An http-equiv with surrounding spaces and odd case still counts; an empty content does not.
        Site meta = Site.of("Content-Type", "text/html").body("<meta http-equiv=\" content-SECURITY-policy \" content=\"\">"
                + "<meta http-equiv=\" content-SECURITY-policy \" content=\"default-src 'none'\">"
                + "<meta name=\"referrer\" content=\"unsafe-url\"><meta name=\" Referrer \" content=\"no-referrer\">"
                + "<meta name=\"referrer\" content=\"\">");
        assertThat(meta.result("content-security-policy", V4)).isEqualTo("csp-implemented-with-no-unsafe-default-src-none");
        // A later meta referrer replaces an earlier one; an empty one is ignored.
        assertThat(meta.result("referrer-policy", V4)).isEqualTo("referrer-policy-private");
        // A CSP http-equiv tag is read as CSP only, whatever its name says.
        Site both = Site.of("Content-Type", "text/html")
                .body("<meta http-equiv=\"Content-Security-Policy\" name=\"referrer\" content=\"default-src 'none'\">");
        assertThat(both.result("referrer-policy", V4)).isEqualTo("referrer-policy-not-implemented");
        assertThat(both.result("content-security-policy", V4)).isEqualTo("csp-implemented-with-no-unsafe-default-src-none");
        assertThat(Site.of("Content-Type", "text/plain").body("<meta name=\"referrer\" content=\"no-referrer\">")
                .result("referrer-policy", V4)).isEqualTo("referrer-policy-not-implemented");
    }
}
