package dev.vigil.reports;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One result of a policy report, in the fields both published report APIs define ({@code wgpolicyk8s.io/v1alpha2}
 * {@code PolicyReportResult} and {@code openreports.io/v1alpha1} {@code ReportResult}), as plain data. Which API
 * the result is written to is the {@link ReportApi}'s business.
 *
 * @param policy the policy's identifier; for a baseline {@code <namespace>/<name>}
 * @param rule the rule within the policy; for a baseline the control
 * @param resource the checked object (the Ingress or HTTPRoute a service comes from)
 * @param properties extra facts (host, grade, owner of an accepted risk …), values only strings as both APIs require
 */
public record ReportResult(String policy, String rule, Outcome result, Optional<Severity> severity, String category,
        String message, boolean scored, Optional<ResourceRef> resource, Map<String, String> properties, Instant timestamp) {

    /** Strings longer than this are cut, so one long remediation cannot make a report too big to store. */
    public static final int MAX_TEXT = 1024;

    public ReportResult {
        message = cut(message);
        TreeMap<String, String> sorted = new TreeMap<>();
        properties.forEach((k, v) -> sorted.put(k, cut(v)));
        properties = java.util.Collections.unmodifiableMap(sorted);
    }

    /** About how many bytes this result takes in the stored object (JSON field names and punctuation included). */
    public int estimatedBytes() {
        int bytes = 320; // field names, timestamp, source, result, severity, scored, apiVersion/kind of the resource
        bytes += length(policy) + length(rule) + length(category) + length(message);
        bytes += resource.map(r -> length(r.namespace()) + length(r.name()) + length(r.uid())).orElse(0);
        for (Map.Entry<String, String> e : properties.entrySet()) {
            bytes += 6 + length(e.getKey()) + length(e.getValue());
        }
        return bytes;
    }

    private static int length(String text) {
        // UTF-8 takes up to 3 bytes for the BMP characters a message holds ("—", "…"); JSON escapes add a few more.
        return text == null ? 0 : text.length() * 3 / 2 + 2;
    }

    static String cut(String text) {
        return text == null || text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT - 1) + "…";
    }

    /** The result values of both APIs, in the order a bounded report keeps them: the worst first. */
    public enum Outcome {
        ERROR, FAIL, WARN, SKIP, PASS;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Outcome> parse(Object text) {
            for (Outcome o : values()) {
                if (o.label().equals(text)) {
                    return Optional.of(o);
                }
            }
            return Optional.empty();
        }
    }

    /** The severity values of both APIs (critical and info came with the v1alpha2 Go types and OpenReports). */
    public enum Severity {
        CRITICAL, HIGH, MEDIUM, LOW, INFO;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Severity> parse(Object text) {
            for (Severity s : values()) {
                if (s.label().equals(text)) {
                    return Optional.of(s);
                }
            }
            return Optional.empty();
        }
    }

    /** A {@code corev1.ObjectReference} to the checked object; {@code uid} may be null when not known. */
    public record ResourceRef(String apiVersion, String kind, String namespace, String name, String uid) {
    }
}
