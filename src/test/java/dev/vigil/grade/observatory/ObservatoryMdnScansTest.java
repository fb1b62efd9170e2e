package dev.vigil.grade.observatory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.grade.Grade;
import dev.vigil.probe.http.Headers;
import dev.vigil.probe.http.HttpFindings;
import dev.vigil.probe.http.Response;
import dev.vigil.probe.http.Session;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * MDN's own published expectations for its two captured scans: {@code test/scanner.test.js} of
 * mdn/mdn-http-observatory runs {@code test/fixtures/observatory-mozilla-org.json} and {@code mozilla-org.json}
 * (captured 2026-01-12) and asserts, for algorithm 5 (1.5.x) and later for algorithm 6:
 * <pre>
 *   observatory.mozilla.org  A+ 110, 10 of 10 passed (algorithm 5) — A+ 110, 12 of 12 (algorithm 6)
 *   mozilla.org              B   75,  8 of 10 passed (algorithm 5) — B   75, 10 of 12 (algorithm 6)
 * </pre>
 * The findings below carry what those fixtures hold for the tests: the auto response's headers as captured, the
 * redirect routes, and the page reduced to the elements the Observatory reads (its {@code <script>} and
 * {@code <meta>} tags; the rest of the markup is navigation text). No network.
 */
class ObservatoryMdnScansTest {

    static HttpFindings findings(String host, List<String> httpRoute, List<String> httpsRoute, Headers headers, String body) {
        return new HttpFindings(host, Optional.of(session(httpRoute, headers, body)), Optional.of(session(httpsRoute, headers, body)),
                Optional.empty(), List.of(), Duration.ZERO);
    }

    /** A session along a route of URLs: every hop but the last a redirect to the next, the last the page. */
    static Session session(List<String> route, Headers headers, String body) {
        List<Response> responses = new java.util.ArrayList<>();
        for (int i = 0; i < route.size() - 1; i++) {
            responses.add(new Response(route.get(i), 301, Site.headers("Location", route.get(i + 1)), new byte[0]));
        }
        responses.add(new Response(route.get(route.size() - 1), 200, headers, body.getBytes(StandardCharsets.UTF_8)));
        return new Session(route.get(0), responses, true);
    }

    static HttpFindings observatoryMozillaOrg() {
        Headers headers = Site.headers(
                "content-length", "17984",
                "referrer-policy", "strict-origin-when-cross-origin",
                "content-security-policy", "default-src 'self'; script-src 'report-sample' 'self' 'wasm-unsafe-eval' "
                        + "https://www.google-analytics.com/analytics.js https://*.googletagmanager.com assets.codepen.io "
                        + "production-assets.codepen.io https://js.stripe.com 'sha256-XNBp89FG76amD8BqrJzyflxOF9PaWPqPqvJfKZPCv7M=' "
                        + "'sha256-YCNoU9DNiinACbd8n6UPyB/8vj0kXvhkOni9/06SuYw=' 'sha256-PZjP7OR6mBEtnvXIZfCZ5PuOlxoDF1LDZL8aj8c42rw='; "
                        + "script-src-elem 'report-sample' 'self' 'wasm-unsafe-eval' https://www.google-analytics.com/analytics.js "
                        + "https://*.googletagmanager.com assets.codepen.io production-assets.codepen.io https://js.stripe.com "
                        + "'sha256-XNBp89FG76amD8BqrJzyflxOF9PaWPqPqvJfKZPCv7M=' 'sha256-YCNoU9DNiinACbd8n6UPyB/8vj0kXvhkOni9/06SuYw=' "
                        + "'sha256-PZjP7OR6mBEtnvXIZfCZ5PuOlxoDF1LDZL8aj8c42rw='; style-src 'report-sample' 'self' 'unsafe-inline'; "
                        + "object-src 'none'; base-uri 'self'; connect-src 'self' developer.allizom.org bcd.developer.allizom.org "
                        + "bcd.developer.mozilla.org updates.developer.allizom.org updates.developer.mozilla.org "
                        + "https://*.google-analytics.com https://*.analytics.google.com https://*.googletagmanager.com "
                        + "https://incoming.telemetry.mozilla.org https://observatory-api.mdn.allizom.net "
                        + "https://observatory-api.mdn.mozilla.net https://api.github.com/search/issues stats.g.doubleclick.net "
                        + "https://api.stripe.com; font-src 'self'; frame-src 'self' mdn.github.io *.mdnplay.dev *.mdnyalp.dev "
                        + "*.play.test.mdn.allizom.net https://v2.scrimba.com https://scrimba.com jsfiddle.net www.youtube-nocookie.com "
                        + "codepen.io survey.alchemer.com https://js.stripe.com; img-src 'self' data: *.githubusercontent.com "
                        + "*.googleusercontent.com *.gravatar.com mozillausercontent.com firefoxusercontent.com profile.stage.mozaws.net "
                        + "profile.accounts.firefox.com developer.mozilla.org mdn.dev wikipedia.org upload.wikimedia.org "
                        + "https://mdn.github.io/shared-assets/ https://mdn.dev/ https://*.google-analytics.com "
                        + "https://*.googletagmanager.com www.gstatic.com; manifest-src 'self'; media-src 'self' archive.org "
                        + "videos.cdn.mozilla.net https://mdn.github.io/shared-assets/; child-src 'self'; worker-src 'self';",
                "x-frame-options", "DENY",
                "server", "Google Frontend",
                "x-content-type-options", "nosniff",
                "content-type", "text/html",
                "cache-control", "public, max-age=3600",
                "strict-transport-security", "max-age=63072000",
                "vary", "Accept-Encoding");
        String body = """
                <!doctype html><html lang="en-US"><head><meta charset="UTF-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1.0" />
                <title>HTTP Header Security Test - HTTP Observatory | MDN</title>
                <script>try { document.documentElement.dataset.theme = localStorage.getItem("theme") || "light dark"; } catch (e) {}</script>
                <script src="/static/client/runtime.78ab025a4834993c.js" type="module"></script>
                <script src="/static/client/1111.53dba753dc3eb961.js" type="module"></script>
                <script src="/static/client/8903.ce3ee42276c345b9.js" type="module"></script>
                <script src="/static/client/index.84551a04d557157b.js" type="module"></script>
                <meta name="description" content="Test your site’s HTTP headers, including CSP and HSTS." />
                <meta name="og:url" content="https://developer.mozilla.org/en-US/observatory" />
                </head><body class="page-layout"></body></html>
                """;
        return findings("observatory.mozilla.org", List.of("http://observatory.mozilla.org/", "https://observatory.mozilla.org/"),
                List.of("https://observatory.mozilla.org/"), headers, body);
    }

    static HttpFindings mozillaOrg() {
        String csp = "frame-src 'self' accounts.firefox.com js.stripe.com www.google-analytics.com www.googletagmanager.com "
                + "www.youtube.com; script-src 'self' 'unsafe-eval' 'unsafe-inline' cdn.transcend.io js.stripe.com s.ytimg.com "
                + "tagmanager.google.com transcend-cdn.com www.google-analytics.com www.googletagmanager.com www.mozilla.org "
                + "www.youtube.com; form-action 'self' https://abdri3ttkb.execute-api.us-east-2.amazonaws.com "
                + "https://accounts.firefox.com/ https://basket.mozilla.org; font-src 'self' www.mozilla.org; style-src 'self' "
                + "'unsafe-inline' cdn.transcend.io transcend-cdn.com www.mozilla.org; default-src 'self' *.mozilla.org; "
                + "frame-ancestors 'none'; connect-src 'self' cdn.transcend.io https://abdri3ttkb.execute-api.us-east-2.amazonaws.com "
                + "https://accounts.firefox.com/ https://basket.mozilla.org o1069899.ingest.sentry.io o1069899.sentry.io "
                + "region1.google-analytics.com telemetry.transcend.io telemetry.us.transcend.io transcend-cdn.com "
                + "www.google-analytics.com www.googletagmanager.com www.mozilla.org/submit/bedrock/; upgrade-insecure-requests; "
                + "img-src 'self' blog.mozilla.org data: images.ctfassets.net www.google-analytics.com www.googletagmanager.com "
                + "www.mozilla.org; object-src 'none'; media-src 'self' assets.mozilla.net videos.cdn.mozilla.net www.mozilla.org; "
                + "base-uri 'none'";
        Headers headers = Site.headers(
                "x-content-type-options", "nosniff",
                "content-security-policy", csp,
                "content-type", "text/html; charset=utf-8",
                "cross-origin-opener-policy", "same-origin",
                "strict-transport-security", "max-age=31536000",
                "referrer-policy", "strict-origin-when-cross-origin",
                "server", "granian",
                "content-security-policy-report-only", csp,
                "cache-control", "max-age=600",
                "x-frame-options", "DENY",
                "vary", "Accept-Language, Accept-Encoding");
        String body = """
                <!doctype html>
                <html class="windows no-js" lang="en" dir="ltr"><head><meta charset="utf-8">
                <script data-cfasync="false" src="https://transcend-cdn.com/cm/d556c3a1-e57c-4bdf-a490-390a1aebf6dd/airgap.js"></script>
                <!--[if !IE]><!--><script src="https://www.mozilla.org/media/js/site.a066757d134f.js"></script><!--<![endif]-->
                <!--[if IE 9]><script src="https://www.mozilla.org/media/js/site-ie.c7db1be2702b.js"></script><![endif]-->
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <meta name="description" content="Mozilla is the not-for-profit behind the lightning fast Firefox browser.">
                <meta property="og:type" content="website">
                <meta name="twitter:domain" content="mozilla.org">
                <script src="https://www.mozilla.org/media/js/gtm-snippet.b5b7c885f8fa.js"></script>
                </head><body class="html-ltr mzp-t-mozilla">
                <script src="https://www.mozilla.org/media/js/sentry.c634abfeefb4.js"></script>
                <script src="https://www.mozilla.org/media/js/lib.7cb1e204ce21.js"></script>
                <script src="https://www.mozilla.org/media/js/consent-banner.497ea1aa3e76.js"></script>
                </body></html>
                """;
        return findings("mozilla.org", List.of("http://mozilla.org/", "https://mozilla.org/", "https://www.mozilla.org/"),
                List.of("https://mozilla.org/", "https://www.mozilla.org/"), headers, body);
    }

    static ObservatoryResult grade(HttpFindings findings, ObservatoryAlgorithm algorithm) {
        return Observatory.grade(findings, algorithm, HstsPreloadList.empty());
    }

    @Test
    void observatoryMozillaOrgWithAlgorithmFive() {
        ObservatoryResult r = grade(observatoryMozillaOrg(), ObservatoryAlgorithm.V5);
        assertThat(r.grade()).contains(Grade.A_PLUS);
        assertThat(r.score()).contains(110);
        assertThat(r.tests()).hasSize(10);
        assertThat(r.testsPassed()).isEqualTo(10);
        // Where the 110 comes from: the Referrer-Policy bonus and, new in 5, X-Frame-Options: DENY.
        assertThat(r.tests().get("x-frame-options").scoreModifier()).isEqualTo(5);
        assertThat(r.tests().get("referrer-policy").scoreModifier()).isEqualTo(5);
        assertThat(r.tests().get("content-security-policy").result()).isEqualTo("csp-implemented-with-unsafe-inline-in-style-src-only");
    }

    @Test
    void mozillaOrgWithAlgorithmFive() {
        ObservatoryResult r = grade(mozillaOrg(), ObservatoryAlgorithm.V5);
        assertThat(r.grade()).contains(Grade.B);
        assertThat(r.score()).contains(75);
        assertThat(r.tests()).hasSize(10);
        assertThat(r.testsPassed()).isEqualTo(8);
        assertThat(r.tests().values().stream().filter(t -> !t.pass()).map(TestResult::result)).containsExactlyInAnyOrder(
                "csp-implemented-with-unsafe-inline", "sri-not-implemented-but-external-scripts-loaded-securely");
    }

    @Test
    void bothWithAlgorithmSix() {
        ObservatoryResult observatory = grade(observatoryMozillaOrg(), ObservatoryAlgorithm.V6);
        assertThat(observatory.grade()).contains(Grade.A_PLUS);
        assertThat(observatory.score()).contains(110);
        assertThat(observatory.tests()).hasSize(12);
        assertThat(observatory.testsPassed()).isEqualTo(12);
        ObservatoryResult mozilla = grade(mozillaOrg(), ObservatoryAlgorithm.V6);
        assertThat(mozilla.grade()).contains(Grade.B);
        assertThat(mozilla.score()).contains(75);
        assertThat(mozilla.tests()).hasSize(12);
        assertThat(mozilla.testsPassed()).isEqualTo(10);
        // COOP same-origin earns +10, but 25 points of penalties cancel every bonus.
        assertThat(mozilla.tests().get("cross-origin-opener-policy").scoreModifier()).isEqualTo(10);
    }

    @Test
    void algorithmFourScoresTheHeaderOnlySiteFiveLower() {
        // Not an MDN expectation for these fixtures (1.4.8 predates them): the spec's table gives XFO DENY 0 in 4.
        assertThat(grade(observatoryMozillaOrg(), ObservatoryAlgorithm.V4).score()).contains(105);
        assertThat(grade(mozillaOrg(), ObservatoryAlgorithm.V4).score()).contains(75);
    }
}
