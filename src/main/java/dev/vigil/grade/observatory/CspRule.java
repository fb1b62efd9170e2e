package dev.vigil.grade.observatory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The content-security-policy test (§5.3 of the scoring spec). */
final class CspRule {

    static final List<String> BROAD = List.of("ftp:", "http:", "https:", "*", "http://*", "http://*.*", "https://*", "https://*.*");

    record Outcome(String result, Optional<Csp.Parsed> data) {
    }

    private CspRule() {
    }

    static Outcome evaluate(Optional<String> header, boolean reportOnlyPresent, List<String> metaPolicies,
            boolean httpsSession, ObservatoryAlgorithm algorithm, boolean hasResponse) {
        if (!hasResponse) {
            return new Outcome("csp-not-implemented", Optional.empty());
        }
        List<String> headerPolicies = new ArrayList<>();
        header.ifPresent(h -> headerPolicies.addAll(split(h, algorithm)));
        List<String> meta = new ArrayList<>();
        metaPolicies.forEach(m -> meta.addAll(split(m, algorithm)));
        List<String> all = new ArrayList<>(headerPolicies);
        all.addAll(meta);
        Optional<Csp.Parsed> combined = Csp.parse(all);
        if (combined.isEmpty()) {
            return new Outcome("csp-header-invalid", Optional.empty());
        }
        Csp.Parsed headerOnly = Csp.parse(headerPolicies).orElse(new Csp.Parsed(Map.of(), false));
        Map<String, List<String>> metaOnly = new LinkedHashMap<>(Csp.parse(meta).orElse(new Csp.Parsed(Map.of(), false)).directives());
        metaOnly.keySet().removeAll(Set.of("frame-ancestors", "report-uri", "sandbox"));
        if (headerOnly.empty() && metaOnly.isEmpty()) {
            return new Outcome(reportOnlyPresent ? "csp-not-implemented-but-reporting-enabled" : "csp-not-implemented",
                    Optional.empty());
        }
        Map<String, List<String>> d = new LinkedHashMap<>();
        combined.get().directives().forEach((k, v) -> d.put(k, new ArrayList<>(v)));
        List<String> star = List.of("*");
        List<String> defaultSrc = d.get("default-src");
        List<String> scriptSrc = d.getOrDefault("script-src", defaultSrc != null ? defaultSrc : new ArrayList<>(star));
        List<String> styleSrc = d.getOrDefault("style-src", defaultSrc != null ? defaultSrc : new ArrayList<>(star));
        List<String> objectSrc = d.getOrDefault("object-src", defaultSrc != null ? defaultSrc : new ArrayList<>(star));

        for (List<String> set : List.of(scriptSrc, styleSrc)) {
            if (hasNonceOrHash(set) && set.contains("'unsafe-inline'")) {
                set.remove("'unsafe-inline'");
            }
        }
        boolean strictDynamicInvalid = false;
        if (scriptSrc.contains("'strict-dynamic'")) {
            if (hasNonceOrHash(scriptSrc)) {
                scriptSrc.removeIf(s -> s.equals("'self'") || s.equals("'unsafe-inline'")
                        || BROAD.stream().anyMatch(s::startsWith));
            } else {
                strictDynamicInvalid = true;
            }
        }
        String result;
        if (scriptSrc.contains("'unsafe-inline'") || scriptSrc.contains("data:") || scriptSrc.stream().anyMatch(BROAD::contains)
                || objectSrc.stream().anyMatch(BROAD::contains)) {
            result = "csp-implemented-with-unsafe-inline";
        } else if (httpsSession && activeSources(d, scriptSrc).stream().anyMatch(CspRule::insecureScheme)) {
            result = "csp-implemented-with-insecure-scheme";
        } else if (scriptSrc.contains("'unsafe-eval'") || styleSrc.contains("'unsafe-eval'")) {
            result = "csp-implemented-with-unsafe-eval";
        } else if (httpsSession && passiveSources(d).stream().anyMatch(CspRule::insecureScheme)) {
            result = "csp-implemented-with-insecure-scheme-in-passive-content-only";
        } else if (styleSrc.contains("'unsafe-inline'") || styleSrc.contains("data:") || styleSrc.stream().anyMatch(BROAD::contains)) {
            result = "csp-implemented-with-unsafe-inline-in-style-src-only";
        } else if (defaultSrc != null && defaultSrc.equals(List.of(Csp.NONE))) {
            result = "csp-implemented-with-no-unsafe-default-src-none";
        } else {
            result = "csp-implemented-with-no-unsafe";
        }
        if (strictDynamicInvalid) {
            result = "csp-header-invalid";
        } else if (Observatory.passes("content-security-policy", result) && combined.get().duplicateReporting()) {
            result = "csp-implemented-but-duplicate-directives";
        }
        return new Outcome(result, combined);
    }

    static List<String> split(String header, ObservatoryAlgorithm algorithm) {
        if (!algorithm.splitsCspOnCommas()) {
            return List.of(header);
        }
        List<String> policies = new ArrayList<>();
        for (String piece : header.split(",")) {
            policies.add(piece.trim());
        }
        return policies;
    }

    private static boolean hasNonceOrHash(List<String> sources) {
        return sources.stream().anyMatch(s -> s.startsWith("'nonce-") || s.startsWith("'sha256-")
                || s.startsWith("'sha384-") || s.startsWith("'sha512-"));
    }

    private static Set<String> activeSources(Map<String, List<String>> d, List<String> scriptSrc) {
        Set<String> active = new HashSet<>(scriptSrc);
        d.forEach((k, v) -> {
            if (!Set.of("img-src", "media-src", "script-src").contains(k)) {
                active.addAll(v);
            }
        });
        return active;
    }

    private static Set<String> passiveSources(Map<String, List<String>> d) {
        Set<String> passive = new HashSet<>();
        List<String> fallback = d.getOrDefault("default-src", List.of());
        passive.addAll(d.getOrDefault("img-src", fallback));
        passive.addAll(d.getOrDefault("media-src", fallback));
        return passive;
    }

    private static boolean insecureScheme(String source) {
        return source.startsWith("http:") || source.startsWith("ftp:");
    }
}
