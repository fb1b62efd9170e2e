package dev.vigil.sops;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rewrites the {@code age}/{@code pgp} arrays of a JSON document's {@code sops} object (or of each
 * object in {@code key_groups}) in place: kept stanzas are copied verbatim, new ones follow the
 * document's indentation, every other character stays where it was.
 */
final class JsonRecipients {

    private static final JsonFactory FACTORY = new JsonFactory();

    /** A value's character range, and for objects their members, for arrays their elements. */
    record Node(int start, int end, Map<String, Node> members, List<Node> elements) {
    }

    private record Edit(int start, int end, String text) {
    }

    private JsonRecipients() {
    }

    static String rewrite(String text, List<SopsRekey.GroupPlan> plans, boolean keyGroups) throws SopsException {
        Node root;
        try (JsonParser parser = FACTORY.createParser(text)) {
            parser.nextToken();
            root = read(parser);
        } catch (IOException e) {
            throw SopsException.invalid("cannot re-read the JSON document: " + e.getClass().getSimpleName());
        }
        Node sops = root.members() == null ? null : root.members().get("sops");
        if (sops == null || sops.members() == null) {
            throw SopsException.invalid("no sops object to rewrite");
        }
        List<Node> groups;
        if (keyGroups) {
            Node list = sops.members().get("key_groups");
            if (list == null || list.elements() == null || list.elements().size() != plans.size()) {
                throw SopsException.invalid("key_groups does not list " + plans.size() + " groups");
            }
            groups = list.elements();
        } else {
            groups = List.of(sops);
        }
        String unit = indentUnit(text, sops);
        List<Edit> edits = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            Node group = groups.get(g);
            SopsRekey.GroupPlan plan = plans.get(g);
            edit(text, group, "age", plan.keptAge(), plan.addAge(), unit, edits);
            edit(text, group, "pgp", plan.keptPgp(), plan.addPgp(), unit, edits);
        }
        edits.sort(Comparator.comparingInt(Edit::start).reversed());
        StringBuilder out = new StringBuilder(text);
        for (Edit e : edits) {
            out.replace(e.start(), e.end(), e.text());
        }
        return out.toString();
    }

    private static void edit(String text, Node group, String key, List<Integer> kept, List<SopsRekey.NewStanza> added,
            String unit, List<Edit> edits) {
        Node array = group.members().get(key);
        List<Node> elements = array == null || array.elements() == null ? List.of() : array.elements();
        if (added.isEmpty() && kept.size() == elements.size()) {
            return; // unchanged, or absent and staying absent
        }
        String fieldIndent = lineIndent(text, group.members().values().iterator().next().start());
        String itemIndent = elements.isEmpty() ? fieldIndent + unit : lineIndent(text, elements.get(0).start());
        List<String> items = new ArrayList<>();
        for (int k : kept) {
            Node element = elements.get(k);
            items.add(text.substring(element.start(), element.end()));
        }
        for (SopsRekey.NewStanza stanza : added) {
            items.add(render(stanza, itemIndent, unit));
        }
        String value = items.isEmpty() ? "[]"
                : "[\n" + itemIndent + String.join(",\n" + itemIndent, items) + "\n" + fieldIndent + "]";
        if (array != null) {
            edits.add(new Edit(array.start(), array.end(), value));
        } else {
            int insertAt = group.start() + 1; // just after '{'
            edits.add(new Edit(insertAt, insertAt, "\n" + fieldIndent + quote(key) + ": " + value + ","));
        }
    }

    private static String render(SopsRekey.NewStanza stanza, String itemIndent, String unit) {
        String in = itemIndent + unit;
        if (stanza.pgp()) {
            return "{\n" + in + "\"created_at\": " + quote(stanza.createdAt()) + ",\n" + in + "\"enc\": " + quote(stanza.enc())
                    + ",\n" + in + "\"fp\": " + quote(stanza.recipientOrFingerprint()) + "\n" + itemIndent + "}";
        }
        return "{\n" + in + "\"recipient\": " + quote(stanza.recipientOrFingerprint()) + ",\n" + in + "\"enc\": "
                + quote(stanza.enc()) + "\n" + itemIndent + "}";
    }

    private static String quote(String s) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + "\"";
    }

    /** The whitespace that starts the line holding {@code offset}. */
    private static String lineIndent(String text, int offset) {
        int lineStart = text.lastIndexOf('\n', offset - 1) + 1;
        int i = lineStart;
        while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
            i++;
        }
        return text.substring(lineStart, i);
    }

    /** One level of indentation: the sops object's members' indentation minus the "sops" key's line indentation. */
    private static String indentUnit(String text, Node sops) {
        String outer = lineIndent(text, sops.start());
        if (sops.members().isEmpty()) {
            return "\t";
        }
        String inner = lineIndent(text, sops.members().values().iterator().next().start());
        return inner.length() > outer.length() && inner.startsWith(outer) ? inner.substring(outer.length()) : "\t";
    }

    private static Node read(JsonParser p) throws IOException {
        int start = (int) p.currentTokenLocation().getCharOffset();
        JsonToken token = p.currentToken();
        if (token == JsonToken.START_OBJECT) {
            Map<String, Node> members = new LinkedHashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                members.put(name, read(p));
            }
            return new Node(start, (int) p.currentTokenLocation().getCharOffset() + 1, members, null);
        }
        if (token == JsonToken.START_ARRAY) {
            List<Node> elements = new ArrayList<>();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                elements.add(read(p));
            }
            return new Node(start, (int) p.currentTokenLocation().getCharOffset() + 1, null, elements);
        }
        return new Node(start, (int) p.currentLocation().getCharOffset(), null, null);
    }
}
