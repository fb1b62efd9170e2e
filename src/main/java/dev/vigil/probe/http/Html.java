package dev.vigil.probe.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A lenient scan of the start tags the Observatory reads: {@code <meta>} and {@code <script>}. Findings keep only
 * these tags' text instead of whole pages, so thousands of stored findings cost kilobytes each, not page sizes.
 */
public final class Html {

    private static final Pattern ATTRIBUTE = Pattern.compile(
            "([^\\s=/>\"']+)(?:\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)'|([^\\s>\"']+)))?");

    public record Tag(String name, Map<String, String> attributes) {
        public Optional<String> attribute(String name) {
            return Optional.ofNullable(attributes.get(name));
        }
    }

    private Html() {
    }

    /** The text of every tag {@link #tags} reads, in order: scanning it gives the same tags as the whole page. */
    public static String tagSource(String html) {
        StringBuilder out = new StringBuilder();
        scan(html, (start, end) -> out.append(html, start, end).append('\n'));
        return out.toString();
    }

    public static List<Tag> tags(String html) {
        List<Tag> tags = new ArrayList<>();
        scan(html, (start, end) -> {
            int nameEnd = start + 1;
            while (nameEnd < end && Character.isLetter(html.charAt(nameEnd))) {
                nameEnd++;
            }
            Map<String, String> attributes = new LinkedHashMap<>();
            Matcher a = ATTRIBUTE.matcher(html).region(nameEnd, end - 1);
            while (a.find()) {
                String value = a.group(2) != null ? a.group(2) : a.group(3) != null ? a.group(3) : a.group(4) != null ? a.group(4) : "";
                attributes.putIfAbsent(a.group(1).toLowerCase(Locale.ROOT), decode(value));
            }
            tags.add(new Tag(html.substring(start + 1, nameEnd).toLowerCase(Locale.ROOT), attributes));
        });
        return tags;
    }

    private interface TagVisitor {
        void tag(int start, int end);
    }

    /**
     * Finds {@code <meta …>} and {@code <script …>} start tags in one pass (a regular expression with an open
     * {@code [^>]*} was quadratic on a body of unclosed tags, and the body is a hostile server's choice).
     */
    private static void scan(String html, TagVisitor visitor) {
        int i = html.indexOf('<');
        while (i >= 0) {
            int nameEnd = i + 1;
            while (nameEnd < html.length() && Character.isLetter(html.charAt(nameEnd))) {
                nameEnd++;
            }
            String name = html.substring(i + 1, nameEnd);
            boolean wanted = name.equalsIgnoreCase("meta") || name.equalsIgnoreCase("script");
            if (wanted && nameEnd < html.length()) {
                char next = html.charAt(nameEnd);
                boolean startsTag = next == '>' || next == '/' || " \t\n\u000B\f\r".indexOf(next) >= 0;
                int close = html.indexOf('>', nameEnd);
                if (close < 0) {
                    return; // nothing closes any more: no later tag can be complete either
                }
                boolean selfClosingOnly = next == '/' && close != nameEnd + 1;
                if (startsTag && !selfClosingOnly) {
                    visitor.tag(i, close + 1);
                    i = html.indexOf('<', close + 1);
                    continue;
                }
            }
            i = html.indexOf('<', i + 1);
        }
    }

    private static String decode(String value) {
        return value.replace("&quot;", "\"").replace("&#39;", "'").replace("&apos;", "'")
                .replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }
}
