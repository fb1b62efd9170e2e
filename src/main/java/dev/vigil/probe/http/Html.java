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

    private static final Pattern TAG = Pattern.compile("<(meta|script)(\\s[^>]*)?/?>", Pattern.CASE_INSENSITIVE);
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
        Matcher m = TAG.matcher(html);
        while (m.find()) {
            out.append(m.group()).append('\n');
        }
        return out.toString();
    }

    public static List<Tag> tags(String html) {
        List<Tag> tags = new ArrayList<>();
        Matcher m = TAG.matcher(html);
        while (m.find()) {
            Map<String, String> attributes = new LinkedHashMap<>();
            if (m.group(2) != null) {
                Matcher a = ATTRIBUTE.matcher(m.group(2));
                while (a.find()) {
                    String value = a.group(2) != null ? a.group(2) : a.group(3) != null ? a.group(3) : a.group(4) != null ? a.group(4) : "";
                    attributes.putIfAbsent(a.group(1).toLowerCase(Locale.ROOT), decode(value));
                }
            }
            tags.add(new Tag(m.group(1).toLowerCase(Locale.ROOT), attributes));
        }
        return tags;
    }

    private static String decode(String value) {
        return value.replace("&quot;", "\"").replace("&#39;", "'").replace("&apos;", "'")
                .replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }
}
