package dev.vigil.sops;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The INI store with gopkg.in/ini.v1 semantics: a DEFAULT section first, '=' or ':' delimiters,
 * trimmed keys and values, quotes and triple-quoted multi-line values, ';'/'#' comments, and the
 * flattened [sops] section with "\n"-escaped values.
 */
final class IniStore {

    private final Limits limits;

    IniStore(Limits limits) {
        this.limits = limits;
    }

    ParsedDocument parse(String text) throws SopsException {
        Branch root = new Branch();
        Branch current = new Branch();
        root.put("DEFAULT", current);
        Map<String, String> metadata = null;
        Branch pendingComments = new Branch();
        Limits.Budget budget = limits.budget();
        String[] lines = text.replace("\r\n", "\n").split("\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n].trim();
            if (line.isEmpty()) {
                continue;
            }
            budget.node(2);
            if (line.startsWith(";") || line.startsWith("#")) {
                pendingComments.put(new Comment(line.substring(1).trim()), null);
                continue;
            }
            if (line.startsWith("[")) {
                int close = line.indexOf(']');
                if (close < 0) {
                    throw SopsException.invalid("unclosed section header at line " + (n + 1) + ", column 1");
                }
                String name = line.substring(1, close).trim();
                if (name.equals("sops")) {
                    metadata = new LinkedHashMap<>();
                    current = null;
                } else {
                    Object existing = root.get(name);
                    if (existing instanceof Branch b) {
                        current = b;
                    } else {
                        current = new Branch();
                        root.put(name, current);
                    }
                    current.items.addAll(pendingComments.items);
                }
                pendingComments.items.clear();
                continue;
            }
            int delimiter = delimiter(line);
            if (delimiter < 0) {
                throw SopsException.invalid("key-value delimiter not found at line " + (n + 1) + ", column 1");
            }
            String key = line.substring(0, delimiter).trim();
            String rest = line.substring(delimiter + 1).trim();
            String value;
            if (rest.startsWith("\"\"\"")) {
                StringBuilder multi = new StringBuilder(rest.substring(3));
                while (multi.indexOf("\"\"\"") < 0) {
                    if (++n >= lines.length) {
                        throw SopsException.invalid("unterminated \"\"\" value at line " + (n + 1) + ", column 1");
                    }
                    multi.append('\n').append(lines[n]);
                }
                value = multi.substring(0, multi.indexOf("\"\"\""));
            } else {
                value = unquote(rest);
            }
            if (current == null) {
                metadata.put(key, value.replace("\\n", "\n"));
            } else {
                current.put(key, value);
                current.items.addAll(pendingComments.items);
            }
            pendingComments.items.clear();
        }
        return new ParsedDocument(List.of(root), metadata == null ? null : Flattening.unflatten(metadata));
    }

    private static int delimiter(String line) {
        int eq = line.indexOf('=');
        int colon = line.indexOf(':');
        if (eq < 0) {
            return colon;
        }
        return colon < 0 ? eq : Math.min(eq, colon);
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                || value.startsWith("'") && value.endsWith("'") || value.startsWith("`") && value.endsWith("`"))) {
            return value.substring(1, value.length() - 1);
        }
        int comment = firstOf(value, '#', ';');
        return comment < 0 ? value : value.substring(0, comment).trim();
    }

    private static int firstOf(String s, char a, char b) {
        int i = s.indexOf(a);
        int j = s.indexOf(b);
        if (i < 0) {
            return j;
        }
        return j < 0 ? i : Math.min(i, j);
    }
}
