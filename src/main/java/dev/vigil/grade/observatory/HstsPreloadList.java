package dev.vigil.grade.observatory;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** Chromium's HSTS preload list (transport_security_state_static.json); empty unless loaded. */
public final class HstsPreloadList {

    record Entry(boolean forceHttps, boolean includeSubDomains) {
    }

    private final Map<String, Entry> entries;

    private HstsPreloadList(Map<String, Entry> entries) {
        this.entries = entries;
    }

    public static HstsPreloadList empty() {
        return new HstsPreloadList(Map.of());
    }

    /** Reads Chromium's file; it carries // comments, which are stripped. */
    public static HstsPreloadList load(Path file) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        mapper.enable(JsonParser.Feature.ALLOW_COMMENTS);
        JsonNode root = mapper.readTree(Files.readString(file));
        Map<String, Entry> entries = new HashMap<>();
        for (JsonNode e : root.path("entries")) {
            String name = e.path("name").asText("").toLowerCase(Locale.ROOT);
            if (!name.isEmpty()) {
                entries.put(name, new Entry("force-https".equals(e.path("mode").asText()), e.path("include_subdomains").asBoolean(false)));
            }
        }
        return new HstsPreloadList(entries);
    }

    /** Own entry in force-https mode, or a parent's force-https entry with include_subdomains. */
    public boolean preloaded(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        Entry own = entries.get(h);
        if (own != null && own.forceHttps()) {
            return true;
        }
        int dot = h.indexOf('.');
        while (dot >= 0) {
            String parent = h.substring(dot + 1);
            Entry e = entries.get(parent);
            if (e != null && e.forceHttps() && e.includeSubDomains()) {
                return true;
            }
            dot = h.indexOf('.', dot + 1);
        }
        return false;
    }
}
