package dev.vigil.grade;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** An exception from the baseline: a control accepted as failing on some hosts until it expires. */
public record AcceptedRisk(List<String> hosts, String control, String reason, String owner, Instant expires) {

    public boolean appliesTo(String host, String controlId) {
        return control.equals(controlId) && hosts.stream().anyMatch(pattern -> hostMatches(pattern, host));
    }

    public boolean expired(Instant now) {
        return !now.isBefore(expires);
    }

    /** Exact host, or "*.example.com" for any name below example.com. */
    static boolean hostMatches(String pattern, String host) {
        String p = pattern.toLowerCase(Locale.ROOT);
        String h = host.toLowerCase(Locale.ROOT);
        if (p.startsWith("*.")) {
            return h.endsWith(p.substring(1)) && h.length() > p.length() - 1;
        }
        return p.equals(h);
    }
}
