package dev.vigil.sops;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Metadata flattened into keys with "__map_"/"__list_" separators (dotenv and INI stores). */
final class Flattening {

    private Flattening() {
    }

    static Branch unflatten(Map<String, String> flat) throws SopsException {
        Map<String, Object> root = new LinkedHashMap<>();
        for (var entry : flat.entrySet()) {
            List<Object> tokens = tokens(entry.getKey());
            insert(root, tokens, entry.getValue());
        }
        return (Branch) toBranch(root);
    }

    private static List<Object> tokens(String key) throws SopsException {
        List<Object> tokens = new ArrayList<>();
        int i = 0;
        int next = nextSeparator(key, 0);
        tokens.add(key.substring(0, next));
        i = next;
        while (i < key.length()) {
            boolean list = key.startsWith("__list_", i);
            int start = i + (list ? 7 : 6);
            int end = nextSeparator(key, start);
            String token = key.substring(start, end);
            if (list) {
                try {
                    tokens.add(Integer.parseInt(token));
                } catch (NumberFormatException e) {
                    throw SopsException.invalid("bad list index in metadata key " + key);
                }
            } else {
                tokens.add(token);
            }
            i = end;
        }
        return tokens;
    }

    private static int nextSeparator(String key, int from) {
        int map = key.indexOf("__map_", from);
        int list = key.indexOf("__list_", from);
        int next = key.length();
        if (map >= 0) {
            next = Math.min(next, map);
        }
        if (list >= 0) {
            next = Math.min(next, list);
        }
        return next;
    }

    @SuppressWarnings("unchecked")
    private static void insert(Map<String, Object> root, List<Object> tokens, String value) throws SopsException {
        Object container = root;
        for (int i = 0; i < tokens.size(); i++) {
            Object token = tokens.get(i);
            boolean last = i == tokens.size() - 1;
            Object child = last ? value : (tokens.get(i + 1) instanceof Integer ? new TreeMap<Integer, Object>() : new LinkedHashMap<String, Object>());
            if (container instanceof LinkedHashMap<?, ?> map && token instanceof String key) {
                Object existing = ((Map<String, Object>) map).putIfAbsent(key, child);
                container = existing == null ? child : existing;
            } else if (container instanceof TreeMap<?, ?> map && token instanceof Integer index) {
                Object existing = ((Map<Integer, Object>) map).putIfAbsent(index, child);
                container = existing == null ? child : existing;
            } else {
                throw SopsException.invalid("metadata key mixes a value and a container");
            }
            if (!last && container instanceof String) {
                throw SopsException.invalid("metadata key mixes a value and a container");
            }
        }
    }

    private static Object toBranch(Object node) throws SopsException {
        if (node instanceof TreeMap<?, ?> list) {
            List<Object> result = new ArrayList<>();
            int expected = 0;
            for (var e : list.entrySet()) {
                if (!e.getKey().equals(expected++)) {
                    throw SopsException.invalid("Incomplete list in metadata");
                }
                result.add(toBranch(e.getValue()));
            }
            return result;
        }
        if (node instanceof LinkedHashMap<?, ?> map) {
            Branch branch = new Branch();
            for (var e : map.entrySet()) {
                branch.put(e.getKey(), toBranch(e.getValue()));
            }
            return branch;
        }
        return node;
    }
}
