package dev.vigil.grade.observatory;

import java.text.Collator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The Observatory's CSP parser: policies into one effective directive → sources map, with its
 * quirks (lower-cased sources, collator-sorted and de-shadowed, "first policy rules" merging).
 */
final class Csp {

    /** A parsed policy list; {@code duplicateReporting} flags a repeated report-uri/report-to. */
    record Parsed(Map<String, List<String>> directives, boolean duplicateReporting) {
        boolean empty() {
            return directives.isEmpty();
        }

        List<String> get(String directive) {
            return directives.get(directive);
        }
    }

    static final String NONE = "'none'";
    private static final Collator COLLATOR = Collator.getInstance(Locale.ENGLISH);
    private static final Set<String> REPORTING = Set.of("report-uri", "report-to");

    private record Source(String value, int policy) {
    }

    private Csp() {
    }

    /** Parses the policies in order; empty when parsing fails (the Observatory's "invalid"). */
    static Optional<Parsed> parse(List<String> policies) {
        List<Map<String, List<String>>> parsed = new ArrayList<>();
        boolean duplicate = false;
        for (String raw : policies) {
            String policy = raw.replace("\r", "").replace("\n", "").trim();
            if (policy.length() < 6) {
                return Optional.empty();
            }
            Map<String, List<String>> directives = new LinkedHashMap<>();
            for (String piece : policy.split(";")) {
                String[] tokens = piece.trim().split("\\s+");
                if (tokens.length == 0 || tokens[0].isEmpty()) {
                    continue;
                }
                String name = tokens[0].toLowerCase(Locale.ROOT);
                List<String> sources = new ArrayList<>();
                for (int i = 1; i < tokens.length; i++) {
                    sources.add(tokens[i].toLowerCase(Locale.ROOT));
                }
                if (directives.containsKey(name)) {
                    if (!REPORTING.contains(name)) {
                        return Optional.empty();
                    }
                    duplicate = true;
                }
                directives.put(name, sources.isEmpty() ? List.of(NONE) : dedupe(sources));
            }
            parsed.add(directives);
        }
        if (parsed.isEmpty()) {
            return Optional.of(new Parsed(Map.of(), false));
        }
        return Optional.of(new Parsed(combine(parsed), duplicate));
    }

    /** Collator order; a source that starts with the previous kept source is shadowed by it. */
    private static List<String> dedupe(List<String> sources) {
        List<String> sorted = new ArrayList<>(sources);
        sorted.sort(COLLATOR);
        List<String> kept = new ArrayList<>();
        for (String s : sorted) {
            if (kept.isEmpty() || !s.startsWith(kept.get(kept.size() - 1))) {
                kept.add(s);
            }
        }
        return kept;
    }

    private static Map<String, List<String>> combine(List<Map<String, List<String>>> policies) {
        Map<String, List<String>> first = policies.get(0);
        Map<String, List<String>> result = new LinkedHashMap<>();
        for (var entry : first.entrySet()) {
            String directive = entry.getKey();
            Optional<List<String>> later = policies.stream().skip(1)
                    .filter(p -> p.containsKey(directive)).map(p -> p.get(directive)).findFirst();
            if (later.isEmpty()) {
                result.put(directive, entry.getValue());
                continue;
            }
            List<Source> all = new ArrayList<>();
            entry.getValue().forEach(s -> all.add(new Source(s, 0)));
            later.get().forEach(s -> all.add(new Source(s, 1)));
            all.sort(Comparator.comparing(Source::value, COLLATOR).thenComparingInt(Source::policy));
            List<String> survivors = new ArrayList<>();
            for (int i = 1; i < all.size(); i++) {
                Source previous = all.get(i - 1);
                Source current = all.get(i);
                if (previous.policy() != current.policy() && pathMatches(previous.value(), current.value())) {
                    survivors.add(current.value());
                }
            }
            result.put(directive, survivors.isEmpty() ? List.of(NONE) : survivors);
        }
        for (Map<String, List<String>> later : policies.subList(1, policies.size())) {
            for (String directive : later.keySet()) {
                result.putIfAbsent(directive, List.of(NONE));
            }
        }
        return result;
    }

    private static boolean pathMatches(String prefix, String value) {
        if (prefix.equals(value)) {
            return true;
        }
        return prefix.endsWith("/") && value.startsWith(prefix);
    }
}
