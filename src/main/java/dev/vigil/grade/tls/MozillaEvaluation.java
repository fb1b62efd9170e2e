package dev.vigil.grade.tls;

import java.util.List;
import java.util.Map;

/**
 * The Mozilla verdict: the strictest level met ({@code modern}, {@code intermediate}, {@code old}) or
 * {@code non-compliant}, and per level what fails it and what is only advice, worded like TLS Observatory.
 */
public record MozillaEvaluation(String guidelines, String level, Map<String, Verdict> levels, List<String> insecure) {

    public record Verdict(boolean compliant, List<String> failures, List<String> advice) {
    }

    /** "for intermediate level: remove protocols TLSv1" lines for a target level, failures first. */
    public List<String> adviceFor(String level) {
        Verdict verdict = levels.get(level);
        if (verdict == null) {
            return List.of();
        }
        return java.util.stream.Stream.concat(verdict.failures().stream(), verdict.advice().stream())
                .map(m -> "for " + level + " level: " + m).toList();
    }
}
