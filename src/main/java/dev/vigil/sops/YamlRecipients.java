package dev.vigil.sops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Rewrites the recipients block ({@code age}, {@code pgp}, or the same lists inside {@code key_groups})
 * of every {@code sops:} mapping in a YAML document, line by line: stanzas that stay are copied verbatim,
 * new ones are written in the indentation the document already uses, and no other line moves.
 */
final class YamlRecipients {

    /** Column offsets of a stanza list: dash from the list's key, content from the dash, block scalar from the content. */
    record Style(int dashOffset, int contentOffset, int blockOffset) {
        static final Style SOPS = new Style(4, 2, 4);
    }

    private YamlRecipients() {
    }

    static String rewrite(String text, List<SopsRekey.GroupPlan> plans, boolean keyGroups) throws SopsException {
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        Style style = detectStyle(lines);
        List<String> out = new ArrayList<>();
        int i = 0;
        boolean found = false;
        while (i < lines.size()) {
            String line = lines.get(i);
            if (!line.matches("sops:\\s*")) {
                out.add(line);
                i++;
                continue;
            }
            found = true;
            int end = i + 1;
            while (end < lines.size() && (lines.get(end).isBlank() || indent(lines.get(end)) > 0 || lines.get(end).startsWith("#"))) {
                end++;
            }
            // trailing blank lines belong to what follows
            while (end > i + 1 && lines.get(end - 1).isBlank()) {
                end--;
            }
            List<String> block = lines.subList(i + 1, end);
            int keyColumn = block.stream().filter(l -> !l.isBlank()).mapToInt(YamlRecipients::indent).findFirst()
                    .orElseThrow(() -> SopsException.invalid("empty sops metadata"));
            out.add(line);
            out.addAll(keyGroups ? rewriteKeyGroups(block, keyColumn, plans, style) : rewriteGroup(block, keyColumn, plans.get(0), style));
            i = end;
        }
        if (!found) {
            throw SopsException.invalid("no top-level sops: mapping to rewrite");
        }
        return String.join("\n", out);
    }

    private static List<String> rewriteKeyGroups(List<String> block, int keyColumn, List<SopsRekey.GroupPlan> plans, Style style)
            throws SopsException {
        Entry entry = find(block, keyColumn, "key_groups");
        if (entry == null) {
            throw SopsException.invalid("sops metadata has no key_groups to rewrite");
        }
        List<int[]> items = items(block, entry);
        if (items.size() != plans.size()) {
            throw SopsException.invalid("key_groups does not list " + plans.size() + " groups");
        }
        List<String> out = new ArrayList<>(block.subList(0, entry.from + 1));
        for (int g = 0; g < items.size(); g++) {
            int[] item = items.get(g);
            List<String> group = new ArrayList<>(block.subList(item[0], item[1]));
            String first = group.get(0);
            int dash = indent(first);
            int content = dash + 1 + indent(first.substring(dash + 1));
            // Seen without its dash, a group item is a mapping at the content column.
            group.set(0, " ".repeat(content) + first.substring(content));
            List<String> rewritten = rewriteGroup(group, content, plans.get(g), style);
            String head = rewritten.get(0);
            rewritten.set(0, first.substring(0, content) + head.substring(Math.min(content, indent(head))));
            out.addAll(rewritten);
        }
        out.addAll(block.subList(entry.to, block.size()));
        return out;
    }

    /** One mapping holding {@code age:} and {@code pgp:} lists with keys at {@code keyColumn}. */
    private static List<String> rewriteGroup(List<String> mapping, int keyColumn, SopsRekey.GroupPlan plan, Style style)
            throws SopsException {
        List<String> out = new ArrayList<>(mapping);
        // pgp after age in the file is the usual order, but rewrite whichever comes last first so offsets stay valid
        Entry age = find(out, keyColumn, "age");
        Entry pgp = find(out, keyColumn, "pgp");
        boolean pgpFirst = age != null && pgp != null && pgp.from < age.from;
        if (pgpFirst) {
            out = replace(out, keyColumn, "age", age, plan.keptAge(), plan.addAge(), style);
            out = replace(out, keyColumn, "pgp", find(out, keyColumn, "pgp"), plan.keptPgp(), plan.addPgp(), style);
        } else {
            out = replace(out, keyColumn, "pgp", pgp, plan.keptPgp(), plan.addPgp(), style);
            out = replace(out, keyColumn, "age", find(out, keyColumn, "age"), plan.keptAge(), plan.addAge(), style);
        }
        return out;
    }

    private static List<String> replace(List<String> mapping, int keyColumn, String key, Entry entry, List<Integer> kept,
            List<SopsRekey.NewStanza> added, Style style) throws SopsException {
        List<int[]> items = entry == null ? List.of() : items(mapping, entry);
        if (entry != null && kept.size() + added.size() == items.size() && added.isEmpty()) {
            return mapping; // unchanged
        }
        List<String> lines = new ArrayList<>();
        if (kept.size() + added.size() > 0) {
            boolean block = entry != null && !items.isEmpty();
            lines.add(block ? mapping.get(entry.from) : " ".repeat(keyColumn) + key + ":");
            for (int k : kept) {
                lines.addAll(mapping.subList(items.get(k)[0], items.get(k)[1]));
            }
            for (SopsRekey.NewStanza stanza : added) {
                lines.addAll(render(stanza, keyColumn, style));
            }
        }
        List<String> out = new ArrayList<>();
        if (entry != null) {
            out.addAll(mapping.subList(0, entry.from));
            out.addAll(lines);
            out.addAll(mapping.subList(entry.to, mapping.size()));
        } else {
            int at = mapping.size();
            for (int i = 0; i < mapping.size(); i++) {
                String line = mapping.get(i);
                if (!line.isBlank() && indent(line) == keyColumn && !line.trim().startsWith("-") && !line.trim().startsWith("#")
                        && line.trim().compareTo(key + ":") > 0) {
                    at = i;
                    break;
                }
            }
            while (at == mapping.size() && at > 0 && mapping.get(at - 1).isBlank()) {
                at--;
            }
            out.addAll(mapping.subList(0, at));
            out.addAll(lines);
            out.addAll(mapping.subList(at, mapping.size()));
        }
        return out;
    }

    static List<String> render(SopsRekey.NewStanza stanza, int keyColumn, Style style) {
        String dash = " ".repeat(keyColumn + style.dashOffset()) + "-" + " ".repeat(style.contentOffset() - 1);
        String content = " ".repeat(keyColumn + style.dashOffset() + style.contentOffset());
        String blockIndent = " ".repeat(keyColumn + style.dashOffset() + style.contentOffset() + style.blockOffset());
        List<String> out = new ArrayList<>();
        String enc = stanza.enc();
        String indicator = enc.endsWith("\n") ? "|" : "|-";
        List<String> encLines = Arrays.asList((enc.endsWith("\n") ? enc.substring(0, enc.length() - 1) : enc).split("\n", -1));
        if (stanza.pgp()) {
            out.add(dash + "created_at: \"" + stanza.createdAt() + "\"");
            out.add(content + "enc: " + indicator);
            encLines.forEach(l -> out.add(l.isEmpty() ? "" : blockIndent + l));
            out.add(content + "fp: " + stanza.recipientOrFingerprint());
        } else {
            out.add(dash + "recipient: " + scalar(stanza.recipientOrFingerprint()));
            out.add(content + "enc: " + indicator);
            encLines.forEach(l -> out.add(l.isEmpty() ? "" : blockIndent + l));
        }
        return out;
    }

    /** A plain scalar where YAML reads it back as the same string, else a double-quoted one. */
    private static String scalar(String s) {
        if (s.matches("[A-Za-z0-9][A-Za-z0-9+/=@._ -]*") && !s.endsWith(" ") && s.equals(YamlScalars.resolvePlain(s))) {
            return s;
        }
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** The lines of one key's entry in a mapping: [from, to). */
    record Entry(int from, int to) {
    }

    static Entry find(List<String> mapping, int keyColumn, String key) {
        for (int i = 0; i < mapping.size(); i++) {
            String line = mapping.get(i);
            if (indent(line) == keyColumn && (line.startsWith(key + ":", keyColumn))
                    && (line.length() == keyColumn + key.length() + 1 || line.charAt(keyColumn + key.length() + 1) == ' ')) {
                int end = i + 1;
                while (end < mapping.size()) {
                    String next = mapping.get(end);
                    if (!next.isBlank()) {
                        int in = indent(next);
                        boolean indentlessItem = in == keyColumn && next.trim().startsWith("-");
                        if (in < keyColumn || in == keyColumn && !indentlessItem) {
                            break;
                        }
                    }
                    end++;
                }
                while (end > i + 1 && mapping.get(end - 1).isBlank()) {
                    end--;
                }
                return new Entry(i, end);
            }
        }
        return null;
    }

    /** The items of a block sequence entry: each from its dash line to the next dash at the same column. */
    static List<int[]> items(List<String> mapping, Entry entry) {
        List<int[]> items = new ArrayList<>();
        int dashColumn = -1;
        int start = -1;
        for (int i = entry.from + 1; i < entry.to; i++) {
            String line = mapping.get(i);
            if (line.isBlank()) {
                continue;
            }
            int in = indent(line);
            boolean dash = line.startsWith("- ", in) || line.length() == in + 1 && line.charAt(in) == '-';
            if (dashColumn < 0 && dash) {
                dashColumn = in;
            }
            if (dash && in == dashColumn) {
                if (start >= 0) {
                    items.add(new int[] {start, i});
                }
                start = i;
            }
        }
        if (start >= 0) {
            int end = entry.to;
            items.add(new int[] {start, end});
        }
        return items;
    }

    /** The document's own list style, learnt from its first stanza list; sops' style when it has none to learn from. */
    static Style detectStyle(List<String> lines) {
        for (int i = 0; i < lines.size() - 2; i++) {
            String line = lines.get(i);
            String trimmed = line.trim();
            if (!(trimmed.equals("age:") || trimmed.equals("pgp:") || trimmed.equals("- age:") || trimmed.equals("- pgp:"))) {
                continue;
            }
            int keyColumn = line.indexOf(trimmed.startsWith("-") ? trimmed.substring(2) : trimmed);
            String item = lines.get(i + 1);
            int dash = indent(item);
            if (!item.startsWith("- ", dash)) {
                continue;
            }
            int content = dash + 1 + indent(item.substring(dash + 1));
            for (int j = i + 1; j < Math.min(lines.size() - 1, i + 40); j++) {
                if (lines.get(j).trim().matches("(- )?enc: \\|[-+]?")) {
                    int block = indent(lines.get(j + 1));
                    if (dash >= keyColumn && content > dash && block > content) {
                        return new Style(dash - keyColumn, content - dash, block - content);
                    }
                    break;
                }
            }
        }
        return Style.SOPS;
    }

    static int indent(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) == ' ') {
            i++;
        }
        return i;
    }
}
