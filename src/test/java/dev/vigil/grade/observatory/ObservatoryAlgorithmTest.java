package dev.vigil.grade.observatory;

import static dev.vigil.grade.observatory.ObservatoryAlgorithm.V4;
import static dev.vigil.grade.observatory.ObservatoryAlgorithm.V5;
import static dev.vigil.grade.observatory.ObservatoryAlgorithm.V6;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.grade.Grade;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What separates the Observatory algorithms (docs/observatory-scoring.md §1): 5 is MDN's 1.5.0 (PR #332,
 * X-Frame-Options un-deprecated: DENY/SAMEORIGIN +5), 6 is 5 plus COOP/COEP, CSP header lines split into
 * policies and an untyped page read as HTML for SRI. X-Frame-Options cases are MDN's own
 * (test/x-frame-options.test.js of mdn/mdn-http-observatory).
 */
class ObservatoryAlgorithmTest {

    /** A site that passes every test; its frame protection is the X-Frame-Options header alone. */
    static Site framedByHeader(String xfo) {
        return Site.of("Content-Type", "text/html", "Content-Security-Policy", "default-src 'self'",
                "Strict-Transport-Security", "max-age=63072000", "X-Content-Type-Options", "nosniff", "X-Frame-Options", xfo);
    }

    @Test
    void theEnumIsTheOneListOfAllowedVersions() {
        assertThat(ObservatoryAlgorithm.versions()).containsExactly(4, 5, 6);
        assertThat(ObservatoryAlgorithm.choices()).isEqualTo("4|5|6");
        assertThat(ObservatoryAlgorithm.of(4)).isSameAs(V4);
        assertThat(ObservatoryAlgorithm.of(5)).isSameAs(V5);
        assertThat(ObservatoryAlgorithm.of(6)).isSameAs(V6);
        assertThat(ObservatoryAlgorithm.DEFAULT).isSameAs(V4);
        assertThat(V5.version()).isEqualTo(5);
        assertThatThrownBy(() -> ObservatoryAlgorithm.of(3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Observatory algorithm must be one of 4, 5, 6, not 3");
        assertThatThrownBy(() -> ObservatoryAlgorithm.of(7)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theCrdRuleListsExactlyTheAlgorithmsTheCodeKnows() {
        String listed = ObservatoryAlgorithm.versions().stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(", "));
        assertThat(ObservatoryAlgorithm.CRD_RULE).isEqualTo("self in [" + listed + "]");
        assertThat(ObservatoryAlgorithm.parse(5)).contains(V5);
        assertThat(ObservatoryAlgorithm.parse(3)).isEmpty();
    }

    @Test
    void frameOptionsHeaderEarnsFiveFromAlgorithmFiveOn() {
        for (String value : List.of("DENY", "SAMEORIGIN", "DENY ", "sameorigin")) {
            assertThat(framedByHeader(value).test("x-frame-options", V4))
                    .isEqualTo(new TestResult("x-frame-options", "x-frame-options-sameorigin-or-deny", 0, true, ""));
            assertThat(framedByHeader(value).test("x-frame-options", V5))
                    .isEqualTo(new TestResult("x-frame-options", "x-frame-options-sameorigin-or-deny", 5, true, ""));
            assertThat(framedByHeader(value).test("x-frame-options", V6).scoreModifier()).isEqualTo(5);
        }
        // CSP +5, and from 5 on XFO +5: 105 in 1.4.8, 110 in 1.5.0 and later.
        assertThat(framedByHeader("DENY").grade(V4).score()).contains(105);
        assertThat(framedByHeader("DENY").grade(V5).score()).contains(110);
        assertThat(framedByHeader("DENY").grade(V6).score()).contains(110);
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', value = {
            "whimsy|x-frame-options-header-invalid|-20|false",
            "SAMEORIGIN, SAMEORIGIN|x-frame-options-header-invalid|-20|false",
            "ALLOW-FROM https://mozilla.org|x-frame-options-allow-from-origin|0|true"})
    void otherFrameOptionsValuesScoreAlikeInEveryAlgorithm(String value, String result, int modifier, boolean pass) {
        for (ObservatoryAlgorithm algorithm : ObservatoryAlgorithm.values()) {
            TestResult test = framedByHeader(value).test("x-frame-options", algorithm);
            assertThat(test.result()).isEqualTo(result);
            assertThat(test.scoreModifier()).isEqualTo(modifier);
            assertThat(test.pass()).isEqualTo(pass);
        }
    }

    @Test
    void missingFrameProtectionCostsTwentyAndFrameAncestorsWinsInEveryAlgorithm() {
        Site bare = Site.of("Content-Type", "text/html");
        Site viaCsp = Site.of("Content-Type", "text/html", "X-Frame-Options", "DENY",
                "Content-Security-Policy", "frame-ancestors https://mozilla.org");
        // An X-Frame-Options <meta> tag is no header: still missing (MDN's test_parse_http_equiv_headers_x_frame_options).
        Site meta = bare.body("<html><head><meta http-equiv=\"X-Frame-Options\" content=\"DENY\"></head></html>");
        for (ObservatoryAlgorithm algorithm : ObservatoryAlgorithm.values()) {
            assertThat(bare.test("x-frame-options", algorithm).scoreModifier()).isEqualTo(-20);
            assertThat(bare.test("x-frame-options", algorithm).remediation()).contains("frame-ancestors 'none'")
                    .contains("X-Frame-Options: DENY");
            assertThat(meta.result("x-frame-options", algorithm)).isEqualTo("x-frame-options-not-implemented");
            assertThat(viaCsp.test("x-frame-options", algorithm))
                    .isEqualTo(new TestResult("x-frame-options", "x-frame-options-implemented-via-csp", 5, true, ""));
        }
    }

    @Test
    void theFrameOptionsBonusStillNeedsPenaltiesOfTenAtMost() {
        // XFO +5 and CSP +5 with exactly -10 of penalties: kept (uncurved 90) — 100 in algorithm 5, 95 in 4.
        Site tenOff = Site.of("Content-Type", "text/html", "Content-Security-Policy", "default-src 'self'",
                "Strict-Transport-Security", "max-age=63072000", "X-Frame-Options", "DENY", "Referrer-Policy", "unsafe-url");
        assertThat(tenOff.grade(V5).score()).contains(100);
        assertThat(tenOff.grade(V5).grade()).contains(Grade.A_PLUS);
        assertThat(tenOff.grade(V4).score()).contains(95);
        // One more -5 and every bonus is gone: 85 in both.
        Site fifteenOff = Site.of("Content-Type", "text/html", "Content-Security-Policy", "default-src 'self'",
                "Strict-Transport-Security", "max-age=63072000", "X-Frame-Options", "DENY", "Referrer-Policy", "unsafe-url",
                "Cross-Origin-Resource-Policy", "bogus");
        assertThat(fifteenOff.grade(V5).score()).contains(85);
        assertThat(fifteenOff.grade(V5).grade()).contains(Grade.A_MINUS);
        assertThat(fifteenOff.grade(V4).score()).contains(85);
    }

    @Test
    void crossOriginIsolationTestsExistFromAlgorithmSixOnly() {
        Site isolated = framedByHeader("DENY");
        Site withHeaders = Site.of("Content-Type", "text/html", "Cross-Origin-Opener-Policy", "same-origin",
                "Cross-Origin-Embedder-Policy", "require-corp");
        assertThat(isolated.grade(V4).tests()).hasSize(10).doesNotContainKeys("cross-origin-opener-policy",
                "cross-origin-embedder-policy");
        assertThat(isolated.grade(V5).tests()).hasSize(10).doesNotContainKeys("cross-origin-opener-policy",
                "cross-origin-embedder-policy");
        assertThat(isolated.grade(V6).tests()).hasSize(12);
        assertThat(withHeaders.result("cross-origin-opener-policy", V6)).isEqualTo("coop-implemented-with-same-origin");
        assertThat(withHeaders.result("cross-origin-embedder-policy", V6)).isEqualTo("coep-implemented-with-require-corp");
        assertThat(List.of(V4.testsQuantity(), V5.testsQuantity(), V6.testsQuantity())).containsExactly(10, 10, 12);
    }

    @Test
    void cspHeaderLinesAreSeparatePoliciesFromAlgorithmSixOnly() {
        Site twoLines = Site.of("Content-Type", "text/html", "Content-Security-Policy", "default-src 'self'",
                "Content-Security-Policy", "script-src 'unsafe-inline'");
        // 4 and 5: "default-src 'self', script-src 'unsafe-inline'" is one policy whose default-src holds 'unsafe-inline'.
        assertThat(twoLines.result("content-security-policy", V4)).isEqualTo("csp-implemented-with-unsafe-inline");
        assertThat(twoLines.result("content-security-policy", V5)).isEqualTo("csp-implemented-with-unsafe-inline");
        // 6: two policies; script-src appears only in the second, so it ends up 'none' and the first policy rules.
        assertThat(twoLines.result("content-security-policy", V6)).isEqualTo("csp-implemented-with-no-unsafe");
        // The same split applies to a <meta> policy.
        Site meta = Site.of("Content-Type", "text/html")
                .body("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self', script-src 'unsafe-inline'\">");
        assertThat(meta.result("content-security-policy", V5)).isEqualTo("csp-implemented-with-unsafe-inline");
        assertThat(meta.result("content-security-policy", V6)).isEqualTo("csp-implemented-with-no-unsafe");
    }

    @Test
    void aPageWithoutContentTypeIsHtmlForSriFromAlgorithmSixOnly() {
        Site untyped = Site.of().body("<html><script src=\"http://cdn.other.example/a.js\"></script></html>");
        assertThat(untyped.result("subresource-integrity", V4)).isEqualTo("sri-not-implemented-response-not-html");
        assertThat(untyped.result("subresource-integrity", V5)).isEqualTo("sri-not-implemented-response-not-html");
        assertThat(untyped.test("subresource-integrity", V6).result())
                .isEqualTo("sri-not-implemented-and-external-scripts-not-loaded-securely");
        assertThat(untyped.test("subresource-integrity", V6).scoreModifier()).isEqualTo(-50);
        assertThat(Site.of().result("subresource-integrity", V6)).isEqualTo("sri-not-implemented-but-no-scripts-loaded");
        // Its <meta> tags are still not read (upstream reads http-equiv only from a text/html or XHTML page).
        Site untypedMeta = Site.of().body("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'\">"
                + "<meta name=\"referrer\" content=\"no-referrer\">");
        assertThat(untypedMeta.result("content-security-policy", V6)).isEqualTo("csp-not-implemented");
        assertThat(untypedMeta.result("referrer-policy", V6)).isEqualTo("referrer-policy-not-implemented");
        assertThat(untypedMeta.result("subresource-integrity", V6)).isEqualTo("sri-not-implemented-but-no-scripts-loaded");
    }
}
