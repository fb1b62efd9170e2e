package dev.vigil.sops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites the flattened recipients ({@code age__list_N__map_enc=…}) of a dotenv document's
 * {@code sops_} lines or an INI document's {@code [sops]} section. Kept stanzas keep their values and are
 * renumbered; the other metadata lines stay as they are (INI: re-aligned when the section is aligned).
 */
final class FlatRecipients {

    private static final Pattern RECIPIENT_KEY = Pattern.compile(
            "^(key_groups__list_(\\d+)__map_)?(age|pgp)__list_(\\d+)__map_(.+)$");

    private FlatRecipients() {
    }

    private record Line(String key, String rawValue) {
    }

    static String rewrite(String text, List<SopsRekey.GroupPlan> plans, boolean keyGroups, boolean ini) throws SopsException {
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        int from = 0;
        int to = lines.size();
        if (ini) {
            from = -1;
            for (int i = 0; i < lines.size(); i++) {
                String t = lines.get(i).trim();
                if (from < 0 && t.matches("\\[\\s*sops\\s*]")) {
                    from = i + 1;
                } else if (from >= 0 && t.startsWith("[")) {
                    to = i;
                    break;
                }
            }
            if (from < 0) {
                throw SopsException.invalid("no [sops] section to rewrite");
            }
        }
        // group -> type -> index -> field -> raw value
        Map<Integer, Map<String, TreeMap<Integer, LinkedHashMap<String, String>>>> stanzas = new TreeMap<>();
        int insertAt = -1;
        List<String> kept = new ArrayList<>();
        for (int i = from; i < to; i++) {
            Line line = parse(lines.get(i), ini);
            Matcher m = line == null ? null : RECIPIENT_KEY.matcher(line.key());
            if (m == null || !m.matches()) {
                kept.add(lines.get(i));
                continue;
            }
            if (insertAt < 0) {
                insertAt = kept.size();
            }
            int group = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
            stanzas.computeIfAbsent(group, g -> new LinkedHashMap<>()).computeIfAbsent(m.group(3), t -> new TreeMap<>())
                    .computeIfAbsent(Integer.parseInt(m.group(4)), n -> new LinkedHashMap<>()).put(m.group(5), line.rawValue());
        }
        if (insertAt < 0) {
            insertAt = kept.stream().filter(l -> parse(l, ini) != null).findFirst().map(kept::indexOf).orElse(kept.size());
        }
        List<Line> fresh = new ArrayList<>();
        for (int g = 0; g < plans.size(); g++) {
            String prefix = (keyGroups ? "key_groups__list_" + g + "__map_" : "");
            SopsRekey.GroupPlan plan = plans.get(g);
            var byType = stanzas.getOrDefault(g, Map.of());
            emit(fresh, prefix + "age", byType.getOrDefault("age", new TreeMap<>()), plan.keptAge(), plan.addAge());
            emit(fresh, prefix + "pgp", byType.getOrDefault("pgp", new TreeMap<>()), plan.keptPgp(), plan.addPgp());
        }
        String dotenvPrefix = ini ? "" : "sops_";
        List<String> section = new ArrayList<>(kept.subList(0, insertAt));
        fresh.forEach(l -> section.add(dotenvPrefix + l.key() + "=" + l.rawValue()));
        section.addAll(kept.subList(insertAt, kept.size()));
        List<String> out = new ArrayList<>(lines.subList(0, from));
        out.addAll(ini ? iniSection(section, fresh) : section);
        out.addAll(lines.subList(to, lines.size()));
        return String.join("\n", out);
    }

    private static void emit(List<Line> out, String listKey, TreeMap<Integer, LinkedHashMap<String, String>> existing,
            List<Integer> kept, List<SopsRekey.NewStanza> added) {
        List<Map<String, String>> items = new ArrayList<>();
        List<LinkedHashMap<String, String>> ordered = new ArrayList<>(existing.values());
        kept.forEach(k -> items.add(ordered.get(k)));
        for (SopsRekey.NewStanza stanza : added) {
            Map<String, String> fields = new LinkedHashMap<>();
            if (stanza.pgp()) {
                fields.put("created_at", stanza.createdAt());
                fields.put("enc", escape(stanza.enc()));
                fields.put("fp", stanza.recipientOrFingerprint());
            } else {
                fields.put("enc", escape(stanza.enc()));
                fields.put("recipient", stanza.recipientOrFingerprint());
            }
            items.add(fields);
        }
        for (int i = 0; i < items.size(); i++) {
            for (var field : items.get(i).entrySet()) {
                out.add(new Line(listKey + "__list_" + i + "__map_" + field.getKey(), field.getValue()));
            }
        }
    }

    /** INI lines of the [sops] section; aligned on '=' when the section was (gopkg.in/ini pretty format). */
    private static List<String> iniSection(List<String> section, List<Line> fresh) {
        List<Line> parsed = new ArrayList<>();
        boolean aligned = true;
        int column = -1;
        for (String l : section) {
            Line line = parse(l, true);
            if (line == null) {
                continue;
            }
            parsed.add(line);
            int eq = l.indexOf('=');
            if (fresh.stream().noneMatch(f -> f.key().equals(line.key()))) {
                column = column < 0 ? eq : column;
                aligned &= eq == column;
            }
        }
        int width = parsed.stream().mapToInt(l -> l.key().length()).max().orElse(0);
        List<String> out = new ArrayList<>();
        for (String l : section) {
            Line line = parse(l, true);
            if (line == null) {
                out.add(l);
            } else {
                String pad = aligned ? " ".repeat(width - line.key().length()) : "";
                out.add(line.key() + pad + " = " + line.rawValue());
            }
        }
        return out;
    }

    private static Line parse(String raw, boolean ini) {
        String line = ini ? raw.trim() : raw;
        if (line.isEmpty() || line.startsWith("#") || line.startsWith(";") || line.startsWith("[")) {
            return null;
        }
        int eq = line.indexOf('=');
        if (eq < 0) {
            return null;
        }
        if (ini) {
            return new Line(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
        }
        if (!line.startsWith("sops_")) {
            return null;
        }
        return new Line(line.substring(5, eq), line.substring(eq + 1));
    }

    private static String escape(String value) {
        return value.replace("\n", "\\n");
    }
}
