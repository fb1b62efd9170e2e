package dev.vigil.grade.observatory;

import dev.vigil.probe.http.Response;
import dev.vigil.probe.http.Session;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The Observatory's smaller tests: cookies, CORS, redirection, referrer, HSTS, XCTO, XFO, CORP, COOP/COEP. */
final class HeaderRules {

    private static final List<String> COOKIE_RANKING = List.of(
            "cookies-without-secure-flag-but-protected-by-hsts",
            "cookies-without-secure-flag",
            "cookies-session-without-secure-flag-but-protected-by-hsts",
            "cookies-samesite-flag-invalid",
            "cookies-anticsrf-without-samesite-flag",
            "cookies-session-without-httponly-flag",
            "cookies-session-without-secure-flag");
    private static final Set<String> PRIVATE_REFERRER = Set.of("no-referrer", "same-origin", "strict-origin",
            "strict-origin-when-cross-origin");
    private static final Set<String> UNSAFE_REFERRER = Set.of("origin", "origin-when-cross-origin", "unsafe-url",
            "no-referrer-when-downgrade");
    private static final Pattern MAX_AGE = Pattern.compile("^\\s*([+-]?\\d+)");

    private HeaderRules() {
    }

    static String cookies(Optional<Session> auto, Optional<Response> response, boolean hsts) {
        String result = null;
        for (String line : response.map(r -> r.headers().all("Set-Cookie")).orElse(List.of())) {
            for (String attribute : line.split(";")) {
                String[] kv = attribute.split("=", 2);
                if (kv[0].trim().equalsIgnoreCase("samesite")) {
                    String v = kv.length < 2 ? "" : kv[1].trim().toLowerCase(Locale.ROOT);
                    if (!Set.of("lax", "strict", "none").contains(v)) {
                        result = worse(result, "cookies-samesite-flag-invalid");
                    }
                }
            }
        }
        List<CookieJar.Cookie> cookies = auto.map(s -> CookieJar.of(s.responses())).orElse(List.of()).stream()
                .filter(c -> !c.name().equals("heroku-session-affinity")).toList();
        if (cookies.isEmpty()) {
            return "cookies-not-found";
        }
        boolean missingSameSite = false;
        for (CookieJar.Cookie c : cookies) {
            String name = c.name().toLowerCase(Locale.ROOT);
            boolean session = name.contains("login") || name.contains("sess");
            boolean antiCsrf = name.contains("csrf");
            if (!c.secure() && c.sameSite().map("none"::equals).orElse(false)) {
                result = worse(result, "cookies-samesite-flag-invalid");
            }
            if (!c.secure()) {
                result = worse(result, hsts ? "cookies-without-secure-flag-but-protected-by-hsts" : "cookies-without-secure-flag");
            }
            if (antiCsrf && c.sameSite().isEmpty()) {
                result = worse(result, "cookies-anticsrf-without-samesite-flag");
            }
            if (session && !c.secure()) {
                result = worse(result, hsts ? "cookies-session-without-secure-flag-but-protected-by-hsts"
                        : "cookies-session-without-secure-flag");
            }
            if (session && !c.httpOnly()) {
                result = worse(result, "cookies-session-without-httponly-flag");
            }
            missingSameSite |= c.sameSite().isEmpty();
        }
        if (result != null) {
            return result;
        }
        return missingSameSite ? "cookies-secure-with-httponly-sessions" : "cookies-secure-with-httponly-sessions-and-samesite";
    }

    private static String worse(String current, String candidate) {
        return current == null || COOKIE_RANKING.indexOf(candidate) > COOKIE_RANKING.indexOf(current) ? candidate : current;
    }

    static String cors(Optional<Response> preflight) {
        Optional<String> acao = preflight.flatMap(r -> r.headers().first("Access-Control-Allow-Origin"));
        if (acao.isEmpty()) {
            return "cross-origin-resource-sharing-not-implemented";
        }
        String value = truncate(acao.get(), 256).trim().toLowerCase(Locale.ROOT);
        // The MDN code never sees the Origin it sent, so a reflected origin scores as restricted (quirk 8).
        return value.equals("*") ? "cross-origin-resource-sharing-implemented-with-public-access"
                : "cross-origin-resource-sharing-implemented-with-restricted-access";
    }

    static String redirection(Optional<Session> http, HstsPreloadList preload) {
        if (http.isEmpty()) {
            return "redirection-not-needed-no-http";
        }
        if (!http.get().verified()) {
            return "redirection-invalid-cert";
        }
        List<String> route = http.get().route();
        if (route.stream().allMatch(u -> preload.preloaded(Observatory.host(u)))) {
            return "redirection-all-redirects-preloaded";
        }
        if (route.size() == 1) {
            return "redirection-missing";
        }
        if (!route.get(route.size() - 1).startsWith("https:")) {
            return "redirection-not-to-https";
        }
        if (route.get(1).startsWith("http:")) {
            return "redirection-not-to-https-on-initial-redirection";
        }
        if (!Observatory.host(route.get(0)).equals(Observatory.host(route.get(1)))) {
            return "redirection-off-host-from-http";
        }
        return "redirection-to-https";
    }

    static String referrer(Optional<Response> response, Optional<String> meta) {
        List<String> values = new ArrayList<>();
        response.flatMap(r -> r.headers().joined("Referrer-Policy")).ifPresent(values::add);
        meta.ifPresent(values::add);
        if (values.isEmpty()) {
            return "referrer-policy-not-implemented";
        }
        String last = null;
        for (String token : String.join(", ", values).split(",")) {
            String t = token.trim().toLowerCase(Locale.ROOT);
            if (PRIVATE_REFERRER.contains(t) || UNSAFE_REFERRER.contains(t)) {
                last = t;
            }
        }
        if (last == null) {
            return "referrer-policy-header-invalid";
        }
        return PRIVATE_REFERRER.contains(last) ? "referrer-policy-private" : "referrer-policy-unsafe";
    }

    static String hsts(Optional<Session> https, HstsPreloadList preload, String host) {
        if (https.isEmpty()) {
            return "hsts-not-implemented-no-https";
        }
        if (preload.preloaded(host)) {
            return "hsts-preloaded";
        }
        if (!https.get().verified()) {
            return "hsts-invalid-cert";
        }
        Optional<String> header = https.get().finalResponse().headers().joined("Strict-Transport-Security");
        if (header.isEmpty()) {
            return "hsts-not-implemented";
        }
        String value = truncate(header.get(), 1024);
        if (value.contains(",")) {
            return "hsts-header-invalid";
        }
        Double maxAge = null;
        boolean found = false;
        for (String piece : value.split(";")) {
            String p = piece.trim().toLowerCase(Locale.ROOT);
            if (p.startsWith("max-age=")) {
                found = true;
                Matcher m = MAX_AGE.matcher(p.substring(8));
                maxAge = m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
            }
        }
        if (!found) {
            return "hsts-header-invalid";
        }
        // A non-numeric max-age is NaN, which is not "less than" (quirk 10).
        return maxAge < 15_552_000 ? "hsts-implemented-max-age-less-than-six-months" : "hsts-implemented-max-age-at-least-six-months";
    }

    static String xcto(Optional<Response> response) {
        Optional<String> value = response.flatMap(r -> r.headers().joined("X-Content-Type-Options"));
        if (value.isEmpty()) {
            return "x-content-type-options-not-implemented";
        }
        return value.get().trim().toLowerCase(Locale.ROOT).equals("nosniff") ? "x-content-type-options-nosniff"
                : "x-content-type-options-header-invalid";
    }

    static String xfo(Optional<Response> response, Optional<Csp.Parsed> csp) {
        if (csp.map(p -> p.directives().containsKey("frame-ancestors")).orElse(false)) {
            return "x-frame-options-implemented-via-csp";
        }
        Optional<String> value = response.flatMap(r -> r.headers().joined("X-Frame-Options"));
        if (value.isEmpty()) {
            return "x-frame-options-not-implemented";
        }
        String v = truncate(value.get(), 1024).trim().toLowerCase(Locale.ROOT);
        if (v.equals("deny") || v.equals("sameorigin")) {
            return "x-frame-options-sameorigin-or-deny";
        }
        return v.startsWith("allow-from") ? "x-frame-options-allow-from-origin" : "x-frame-options-header-invalid";
    }

    static String corp(Optional<Response> response) {
        Optional<String> value = response.flatMap(r -> r.headers().joined("Cross-Origin-Resource-Policy"));
        if (value.isEmpty()) {
            return "corp-not-implemented";
        }
        return switch (truncate(value.get(), 256).trim().toLowerCase(Locale.ROOT)) {
            case "same-origin" -> "corp-implemented-with-same-origin";
            case "same-site" -> "corp-implemented-with-same-site";
            case "cross-origin" -> "corp-implemented-with-cross-origin";
            default -> "corp-header-invalid";
        };
    }

    /** COOP/COEP: one header line holding an RFC 8941 token item (parameters ignored), matched case-sensitively. */
    static String structuredToken(Optional<Response> response, String header, String prefix, Map<String, String> keywords) {
        List<String> lines = response.map(r -> r.headers().all(header)).orElse(List.of());
        if (lines.isEmpty()) {
            return prefix + "-not-implemented";
        }
        if (lines.size() > 1) {
            return prefix + "-header-invalid";
        }
        String item = truncate(lines.get(0), 1024).trim().split(";", 2)[0].trim();
        String keyword = keywords.get(item);
        return keyword == null ? prefix + "-header-invalid" : prefix + "-implemented-with-" + keyword;
    }

    private static String truncate(String s, int max) {
        return s.length() > max ? s.substring(0, max) : s;
    }
}
