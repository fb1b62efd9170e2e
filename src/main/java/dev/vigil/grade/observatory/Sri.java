package dev.vigil.grade.observatory;

import dev.vigil.probe.http.Html;

import dev.vigil.probe.http.Response;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** The subresource-integrity test (§11), with a small built-in registrable-domain rule. */
final class Sri {

    private static final List<String> RANKING = List.of(
            "sri-implemented-and-all-scripts-loaded-securely",
            "sri-implemented-and-external-scripts-loaded-securely",
            "sri-implemented-but-external-scripts-not-loaded-securely",
            "sri-not-implemented-but-external-scripts-loaded-securely",
            "sri-not-implemented-and-external-scripts-not-loaded-securely",
            "sri-not-implemented-response-not-html");
    /** Public suffixes with two labels common enough to matter; anything else is one label. */
    private static final Set<String> TWO_LABEL_SUFFIXES = Set.of("co.uk", "org.uk", "ac.uk", "gov.uk", "com.au", "net.au",
            "org.au", "co.jp", "ne.jp", "or.jp", "com.br", "co.nz", "co.za", "com.cn", "com.mx", "co.in", "github.io",
            "herokuapp.com", "appspot.com", "cloudfront.net", "azurewebsites.net");

    private Sri() {
    }

    static String evaluate(Optional<Response> response, String mediaType, List<Html.Tag> tags, String host,
            boolean httpsSession, ObservatoryAlgorithm algorithm) {
        if (response.isEmpty()) {
            return "sri-not-implemented-but-no-scripts-loaded";
        }
        boolean html = "text/html".equals(mediaType) || "application/xhtml+xml".equals(mediaType)
                || mediaType == null && algorithm.readsUntypedPageAsHtml();
        if (!html) {
            return "sri-not-implemented-response-not-html";
        }
        List<Html.Tag> scripts = tags.stream().filter(t -> t.name().equals("script")).toList();
        if (scripts.isEmpty()) {
            return "sri-not-implemented-but-no-scripts-loaded";
        }
        String result = null;
        boolean foreignSeen = false;
        String site = registrableDomain(host);
        for (Html.Tag script : scripts) {
            String src = script.attribute("src").map(String::trim).orElse("");
            if (src.isEmpty()) {
                continue;
            }
            boolean integrity = script.attribute("integrity").map(v -> !v.isEmpty()).orElse(false);
            boolean sameOrigin;
            boolean secure;
            String lower = src.toLowerCase(Locale.ROOT);
            if (src.startsWith("//")) {
                sameOrigin = false;
                secure = false;
            } else if (lower.startsWith("http://") || lower.startsWith("https://")) {
                String scriptHost;
                try {
                    scriptHost = URI.create(src).getHost();
                } catch (IllegalArgumentException e) {
                    scriptHost = null;
                }
                sameOrigin = scriptHost != null && registrableDomain(scriptHost).equals(site);
                secure = lower.startsWith("https://");
            } else {
                sameOrigin = true;
                secure = httpsSession;
            }
            if (!sameOrigin) {
                foreignSeen = true;
                if (integrity && !secure) {
                    result = worse(result, "sri-implemented-but-external-scripts-not-loaded-securely");
                } else if (!integrity && secure) {
                    result = worse(result, "sri-not-implemented-but-external-scripts-loaded-securely");
                } else if (!integrity) {
                    result = worse(result, "sri-not-implemented-and-external-scripts-not-loaded-securely");
                }
            } else if (integrity && secure && result == null) {
                result = "sri-implemented-and-all-scripts-loaded-securely";
            }
        }
        if (result != null) {
            return result;
        }
        return foreignSeen ? "sri-implemented-and-external-scripts-loaded-securely"
                : "sri-not-implemented-but-all-scripts-loaded-from-secure-origin";
    }

    private static String worse(String current, String candidate) {
        return current == null || RANKING.indexOf(candidate) > RANKING.indexOf(current) ? candidate : current;
    }

    static String registrableDomain(String host) {
        String[] labels = host.toLowerCase(Locale.ROOT).split("\\.");
        if (labels.length <= 2) {
            return String.join(".", labels);
        }
        String lastTwo = labels[labels.length - 2] + "." + labels[labels.length - 1];
        int take = TWO_LABEL_SUFFIXES.contains(lastTwo) ? 3 : 2;
        return String.join(".", java.util.Arrays.copyOfRange(labels, labels.length - take, labels.length));
    }
}
