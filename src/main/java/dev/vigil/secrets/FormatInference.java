package dev.vigil.secrets;

import dev.vigil.sops.SopsFormat;
import java.util.regex.Pattern;

/**
 * Picks the Sops store of a document whose spec leaves the format out. The document is a tenant's input,
 * so every check is linear: {@code (?m)^\s*\[sops]\s*$} (where \s also matches line breaks) took over a
 * minute on 64,000 blank lines.
 */
public final class FormatInference {

    private static final Pattern DOTENV_SOPS_LINE = Pattern.compile("(?m)^sops_[a-z_]+=");
    private static final Pattern JSON_SOPS_KEY = Pattern.compile("\"sops\"\\s*:");

    private FormatInference() {
    }

    public static SopsFormat infer(String document, String binaryKey) {
        String trimmed = document.stripLeading();
        if (trimmed.startsWith("{") && JSON_SOPS_KEY.matcher(document).find()) {
            return binaryKey != null && !binaryKey.isBlank() ? SopsFormat.BINARY : SopsFormat.JSON;
        }
        if (hasIniSopsSection(document)) {
            return SopsFormat.INI;
        }
        if (DOTENV_SOPS_LINE.matcher(document).find()) {
            return SopsFormat.DOTENV;
        }
        return SopsFormat.YAML;
    }

    /** A line that is "[sops]" between ASCII whitespace. */
    private static boolean hasIniSopsSection(String document) {
        int start = 0;
        while (start <= document.length()) {
            int end = document.indexOf('\n', start);
            if (end < 0) {
                end = document.length();
            }
            int from = start;
            int to = end;
            while (from < to && blank(document.charAt(from))) {
                from++;
            }
            while (to > from && blank(document.charAt(to - 1))) {
                to--;
            }
            if (document.startsWith("[sops]", from) && to - from == "[sops]".length()) {
                return true;
            }
            start = end + 1;
        }
        return false;
    }

    private static boolean blank(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == 0x0B;
    }
}
