package dev.vigil.sops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/** Writes cleartext the way {@code sops decrypt} prints it, and as the fixtures' JSON layout. */
public final class CleartextWriter {

    private static final ObjectMapper JSON = new ObjectMapper();

    private CleartextWriter() {
    }

    static String render(DecryptedDocument document) {
        return switch (document.format()) {
            case YAML -> yaml(document.documents());
            case JSON -> json(plain(document.documents().get(0)), true);
            case DOTENV -> dotenv((Map<?, ?>) document.documents().get(0));
            case INI -> ini((Map<?, ?>) document.documents().get(0));
            case BINARY -> throw new IllegalArgumentException("a binary document has no text form");
        };
    }

    /**
     * The layout of the fixtures' expected.json: {"documents": [...]} (empty INI DEFAULT omitted,
     * timestamps as RFC 3339 text), or binary_base64/binary_sha256/binary_length for binary documents.
     */
    public static String json(DecryptedDocument document) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (document.format() == SopsFormat.BINARY) {
            out.put("binary_base64", Base64.getEncoder().encodeToString(document.binary()));
            out.put("binary_sha256", sha256(document.binary()));
            out.put("binary_length", document.binary().length);
        } else {
            List<Object> docs = new ArrayList<>();
            for (Object doc : document.documents()) {
                Object plain = plain(doc);
                if (document.format() == SopsFormat.INI && plain instanceof Map<?, ?> sections
                        && sections.get("DEFAULT") instanceof Map<?, ?> def && def.isEmpty()) {
                    Map<Object, Object> copy = new LinkedHashMap<>(sections);
                    copy.remove("DEFAULT");
                    plain = copy;
                }
                docs.add(plain);
            }
            out.put("documents", docs);
        }
        return json(out, true);
    }

    /** Replaces timestamps by their text so that JSON and YAML writers see plain values. */
    static Object plain(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(k, plain(v)));
            return out;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(CleartextWriter::plain).toList();
        }
        if (value instanceof SopsTime t) {
            return t.toString();
        }
        return value;
    }

    private static String yaml(List<Object> documents) {
        Yaml yaml = SopsEncryptor.yaml();
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < documents.size(); i++) {
            if (i > 0) {
                out.append("---\n");
            }
            out.append(yaml.dump(plain(documents.get(i))));
        }
        return out.toString();
    }

    private static String json(Object value, boolean pretty) {
        try {
            if (!pretty) {
                return JSON.writeValueAsString(value);
            }
            // Go's json.Indent with a tab, as sops prints JSON: "key": value, and {} / [] when empty.
            DefaultPrettyPrinter printer = new DefaultPrettyPrinter(Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER).withObjectEmptySeparator("").withArrayEmptySeparator(""))
                    .withObjectIndenter(new DefaultIndenter("\t", "\n"))
                    .withArrayIndenter(new DefaultIndenter("\t", "\n"));
            return JSON.writer(printer).writeValueAsString(value) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cleartext cannot be written as JSON", e);
        }
    }

    private static String dotenv(Map<?, ?> map) {
        StringBuilder out = new StringBuilder();
        map.forEach((k, v) -> out.append(k).append('=').append(String.valueOf(v).replace("\n", "\\n")).append('\n'));
        return out.toString();
    }

    private static String ini(Map<?, ?> sections) {
        StringBuilder out = new StringBuilder();
        sections.forEach((name, entries) -> {
            Map<?, ?> map = (Map<?, ?>) entries;
            if (map.isEmpty() && "DEFAULT".equals(name)) {
                return;
            }
            if (!"DEFAULT".equals(name)) {
                out.append('[').append(name).append("]\n");
            }
            map.forEach((k, v) -> out.append(k).append(" = ").append(v).append('\n'));
            out.append('\n');
        });
        return out.toString();
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
