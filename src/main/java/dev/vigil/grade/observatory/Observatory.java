package dev.vigil.grade.observatory;

import dev.vigil.grade.Grade;
import dev.vigil.probe.http.Html;
import dev.vigil.probe.http.HttpFindings;
import dev.vigil.probe.http.Response;
import dev.vigil.probe.http.Session;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The MDN HTTP Observatory's tests, modifiers and grade chart as a pure function of what the
 * header probe saw (scoring spec in the README). Algorithm 4 reproduces npm 1.4.8, quirks included.
 */
public final class Observatory {

    record Rule(int modifier, boolean pass) {
    }

    private static final Map<String, Rule> RESULTS = new LinkedHashMap<>();

    /** Every test any algorithm runs, in report order (COOP and COEP only from algorithm 6). */
    public static final List<String> TESTS = List.of("content-security-policy", "cookies", "cross-origin-resource-sharing",
            "redirection", "referrer-policy", "strict-transport-security", "subresource-integrity", "x-content-type-options",
            "x-frame-options", "cross-origin-resource-policy", "cross-origin-opener-policy", "cross-origin-embedder-policy");

    static {
        r("csp-implemented-with-no-unsafe-default-src-none", 10, true);
        r("csp-implemented-with-no-unsafe", 5, true);
        r("csp-implemented-with-unsafe-inline-in-style-src-only", 0, true);
        r("csp-implemented-but-duplicate-directives", 0, true);
        r("csp-implemented-with-insecure-scheme-in-passive-content-only", -10, true);
        r("csp-implemented-with-unsafe-eval", -10, false);
        r("csp-implemented-with-unsafe-inline", -20, false);
        r("csp-implemented-with-insecure-scheme", -20, false);
        r("csp-header-invalid", -25, false);
        r("csp-not-implemented", -25, false);
        r("csp-not-implemented-but-reporting-enabled", -25, false);
        r("cookies-secure-with-httponly-sessions-and-samesite", 5, true);
        r("cookies-secure-with-httponly-sessions", 0, true);
        r("cookies-not-found", 0, true);
        r("cookies-without-secure-flag-but-protected-by-hsts", -5, false);
        r("cookies-session-without-secure-flag-but-protected-by-hsts", -10, false);
        r("cookies-without-secure-flag", -20, false);
        r("cookies-samesite-flag-invalid", -20, false);
        r("cookies-anticsrf-without-samesite-flag", -20, false);
        r("cookies-session-without-httponly-flag", -30, false);
        r("cookies-session-without-secure-flag", -40, false);
        r("cross-origin-resource-sharing-not-implemented", 0, true);
        r("cross-origin-resource-sharing-implemented-with-public-access", 0, true);
        r("cross-origin-resource-sharing-implemented-with-restricted-access", 0, true);
        r("cross-origin-resource-sharing-implemented-with-universal-access", -50, false);
        r("redirection-all-redirects-preloaded", 0, true);
        r("redirection-to-https", 0, true);
        r("redirection-not-needed-no-http", 0, true);
        r("redirection-off-host-from-http", -5, false);
        r("redirection-not-to-https-on-initial-redirection", -10, false);
        r("redirection-not-to-https", -20, false);
        r("redirection-missing", -20, false);
        r("redirection-invalid-cert", -20, false);
        r("referrer-policy-private", 5, true);
        r("referrer-policy-not-implemented", 0, true);
        r("referrer-policy-unsafe", -5, false);
        r("referrer-policy-header-invalid", -5, false);
        r("hsts-preloaded", 5, true);
        r("hsts-implemented-max-age-at-least-six-months", 0, true);
        r("hsts-implemented-max-age-less-than-six-months", -10, false);
        r("hsts-not-implemented", -20, false);
        r("hsts-header-invalid", -20, false);
        r("hsts-not-implemented-no-https", -20, false);
        r("hsts-invalid-cert", -20, false);
        r("sri-implemented-and-all-scripts-loaded-securely", 5, true);
        r("sri-implemented-and-external-scripts-loaded-securely", 5, true);
        r("sri-not-implemented-response-not-html", 0, true);
        r("sri-not-implemented-but-no-scripts-loaded", 0, true);
        r("sri-not-implemented-but-all-scripts-loaded-from-secure-origin", 0, true);
        r("sri-not-implemented-but-external-scripts-loaded-securely", -5, false);
        r("sri-implemented-but-external-scripts-not-loaded-securely", -20, false);
        r("sri-not-implemented-and-external-scripts-not-loaded-securely", -50, false);
        r("x-content-type-options-nosniff", 0, true);
        r("x-content-type-options-not-implemented", -5, false);
        r("x-content-type-options-header-invalid", -5, false);
        r("x-frame-options-implemented-via-csp", 5, true);
        r("x-frame-options-sameorigin-or-deny", 0, true);
        r("x-frame-options-allow-from-origin", 0, true);
        r("x-frame-options-not-implemented", -20, false);
        r("x-frame-options-header-invalid", -20, false);
        r("corp-implemented-with-same-origin", 10, true);
        r("corp-implemented-with-same-site", 10, true);
        r("corp-implemented-with-cross-origin", 0, true);
        r("corp-not-implemented", 0, true);
        r("corp-header-invalid", -5, false);
        r("coop-implemented-with-same-origin", 10, true);
        r("coop-implemented-with-same-origin-allow-popups", 10, true);
        r("coop-implemented-with-noopener-allow-popups", 10, true);
        r("coop-implemented-with-unsafe-none", 0, true);
        r("coop-not-implemented", 0, true);
        r("coop-header-invalid", -5, false);
        r("coep-implemented-with-require-corp", 10, true);
        r("coep-implemented-with-credentialless", 10, true);
        r("coep-implemented-with-unsafe-none", 0, true);
        r("coep-not-implemented", 0, true);
        r("coep-header-invalid", -5, false);
    }

    private static void r(String result, int modifier, boolean pass) {
        RESULTS.put(result, new Rule(modifier, pass));
    }

    private Observatory() {
    }

    static boolean passes(String test, String result) {
        return RESULTS.get(result).pass();
    }

    static int modifier(String result, ObservatoryAlgorithm algorithm) {
        if (result.equals("x-frame-options-sameorigin-or-deny") && algorithm.rewardsFrameOptionsHeader()) {
            return 5;
        }
        return RESULTS.get(result).modifier();
    }

    public static ObservatoryResult grade(HttpFindings findings, ObservatoryAlgorithm algorithm, HstsPreloadList preload) {
        Optional<Session> auto = findings.autoSession();
        Optional<Response> response = auto.map(Session::finalResponse);
        Map<String, String> results = new LinkedHashMap<>();
        boolean httpsSession = auto.map(s -> s.startUrl().startsWith("https:")).orElse(false);
        String mediaType = response.flatMap(r -> r.headers().first("Content-Type")).map(ct -> ct.split(";", 2)[0]).orElse(null);
        boolean html = mediaType != null && (mediaType.equals("text/html") || mediaType.equals("application/xhtml+xml"));
        // Algorithm 6 reads the scripts of a page that sends no Content-Type (SRI), but never its <meta> tags.
        boolean scriptsRead = html || mediaType == null && algorithm.readsUntypedPageAsHtml();
        List<Html.Tag> tags = response.filter(r -> scriptsRead && r.body().length > 0)
                .map(r -> Html.tags(new String(r.body(), StandardCharsets.UTF_8))).orElse(List.of());
        List<String> metaCsp = new ArrayList<>();
        Optional<String> metaReferrer = Optional.empty();
        for (Html.Tag tag : tags) {
            if (!html || !tag.name().equals("meta")) {
                continue;
            }
            String content = tag.attribute("content").orElse("");
            if (tag.attribute("http-equiv").map(v -> v.trim().equalsIgnoreCase("content-security-policy")).orElse(false)) {
                if (!content.isEmpty()) {
                    metaCsp.add(content);
                }
            } else if (tag.attribute("name").map(v -> v.trim().equalsIgnoreCase("referrer")).orElse(false) && !content.isEmpty()) {
                metaReferrer = Optional.of(content);
            }
        }

        CspRule.Outcome csp = CspRule.evaluate(response.flatMap(r -> r.headers().joined("Content-Security-Policy")),
                response.map(r -> r.headers().has("Content-Security-Policy-Report-Only")).orElse(false), metaCsp,
                httpsSession, algorithm, response.isPresent());
        results.put("content-security-policy", csp.result());
        String hsts = HeaderRules.hsts(findings.https(), preload, findings.host());
        results.put("cookies", HeaderRules.cookies(auto, response, Observatory.passes("strict-transport-security", hsts)));
        results.put("cross-origin-resource-sharing", HeaderRules.cors(findings.preflight()));
        results.put("redirection", HeaderRules.redirection(findings.http(), preload));
        results.put("referrer-policy", HeaderRules.referrer(response, metaReferrer));
        results.put("strict-transport-security", hsts);
        results.put("subresource-integrity", Sri.evaluate(response, mediaType, tags, findings.host(), httpsSession, algorithm));
        results.put("x-content-type-options", HeaderRules.xcto(response));
        results.put("x-frame-options", HeaderRules.xfo(response, csp.data()));
        results.put("cross-origin-resource-policy", HeaderRules.corp(response));
        if (algorithm.gradesCrossOriginIsolation()) {
            results.put("cross-origin-opener-policy", HeaderRules.structuredToken(response, "Cross-Origin-Opener-Policy", "coop",
                    Map.of("same-origin", "same-origin", "same-origin-allow-popups", "same-origin-allow-popups",
                            "noopener-allow-popups", "noopener-allow-popups", "unsafe-none", "unsafe-none")));
            results.put("cross-origin-embedder-policy", HeaderRules.structuredToken(response, "Cross-Origin-Embedder-Policy", "coep",
                    Map.of("require-corp", "require-corp", "credentialless", "credentialless", "unsafe-none", "unsafe-none")));
        }

        Map<String, TestResult> tests = new LinkedHashMap<>();
        results.forEach((test, result) -> {
            int modifier = modifier(result, algorithm);
            boolean pass = RESULTS.get(result).pass();
            tests.put(test, new TestResult(test, result, modifier, pass, pass ? "" : Remediations.forTest(test, result)));
        });
        Optional<String> ungradable = ungradable(findings, response);
        if (ungradable.isPresent()) {
            return new ObservatoryResult(Optional.empty(), Optional.empty(), ungradable, tests);
        }
        int penalties = tests.values().stream().mapToInt(TestResult::scoreModifier).filter(m -> m < 0).sum();
        int all = tests.values().stream().mapToInt(TestResult::scoreModifier).sum();
        int score = Math.max(0, 100 + penalties >= 90 ? 100 + all : 100 + penalties);
        return new ObservatoryResult(Optional.of(score), Optional.of(Grade.fromObservatoryScore(score)), Optional.empty(), tests);
    }

    private static Optional<String> ungradable(HttpFindings findings, Optional<Response> response) {
        if (response.isEmpty()) {
            return Optional.of("The site seems to be down.");
        }
        int status = response.get().status();
        if ((status < 200 || status >= 400) && status != 401 && status != 403) {
            return Optional.of("Site did respond with an unexpected HTTP status code " + status + ".");
        }
        return Optional.empty();
    }

    static String host(String url) {
        return URI.create(url).getHost().toLowerCase(Locale.ROOT);
    }
}
