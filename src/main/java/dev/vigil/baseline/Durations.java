package dev.vigil.baseline;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Go-style durations as written in the spec: "1h", "15m", "1h30m", "500ms". */
final class Durations {

    private static final Pattern PART = Pattern.compile("([0-9]{1,9})(ms|s|m|h)");

    /** An age: the parts above plus days ("90d", "1d12h"), as {@code spec.requirements.secrets.maxDocumentAge}. */
    private static final Pattern AGE_PART = Pattern.compile("([0-9]{1,9})(ms|s|m|h|d)");

    private Durations() {
    }

    /** Empty when the text is not a positive duration made of number+unit parts. */
    static Optional<Duration> parse(String text) {
        return parse(text, PART);
    }

    /** {@link #parse} that also takes days ("90d"); empty when the text is not a positive age. */
    static Optional<Duration> parseAge(String text) {
        return parse(text, AGE_PART);
    }

    private static Optional<Duration> parse(String text, Pattern part) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        String trimmed = text.trim();
        Matcher m = part.matcher(trimmed);
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find()) {
            if (m.start() != end) {
                return Optional.empty();
            }
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "d" -> Duration.ofDays(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            });
            end = m.end();
        }
        return end == trimmed.length() && !total.isZero() ? Optional.of(total) : Optional.empty();
    }

    static String format(Duration d) {
        if (d.toMillis() < 1000) {
            return d.toMillis() + "ms";
        }
        if (d.toSeconds() < 120) {
            return d.toMillisPart() == 0 ? d.toSeconds() + "s" : String.format(java.util.Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
        }
        return d.toMinutes() + "m" + (d.toSecondsPart() == 0 ? "" : d.toSecondsPart() + "s");
    }
}
