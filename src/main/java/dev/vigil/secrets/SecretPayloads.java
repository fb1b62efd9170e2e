package dev.vigil.secrets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.sops.DecryptedDocument;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Maps decrypted cleartext to Secret data: a v1 Secret manifest gives its data/stringData/type and
 * binds the target; any other map gives one key per top-level entry; dotenv one key per variable;
 * INI {@code section.key} (DEFAULT keys bare); binary one key named by the spec.
 */
public final class SecretPayloads {

    private static final Pattern VALID_KEY = Pattern.compile("[-._a-zA-Z0-9]+");
    private static final ObjectMapper JSON = new ObjectMapper();

    private SecretPayloads() {
    }

    public static SecretPayload from(DecryptedDocument document, String binaryKey) throws PayloadException {
        return switch (document.format()) {
            case BINARY -> binary(document.binary(), binaryKey);
            case INI -> fromIni(single(document.documents()));
            case DOTENV, YAML, JSON -> fromMap(single(document.documents()));
        };
    }

    private static SecretPayload binary(byte[] bytes, String binaryKey) throws PayloadException {
        if (binaryKey == null || binaryKey.isBlank()) {
            throw invalid("a binary document needs spec.binaryKey");
        }
        SortedMap<String, byte[]> data = new TreeMap<>();
        data.put(checkedKey(binaryKey), bytes);
        return new SecretPayload(data, Optional.empty(), Optional.empty(), Optional.empty());
    }

    private static Map<?, ?> single(List<Object> documents) throws PayloadException {
        if (documents.size() != 1) {
            throw invalid("the document holds " + documents.size() + " YAML documents; a SealedSecret holds exactly one");
        }
        if (!(documents.get(0) instanceof Map<?, ?> map)) {
            throw invalid("the cleartext is not a map of keys to values");
        }
        return map;
    }

    private static SecretPayload fromIni(Map<?, ?> sections) throws PayloadException {
        SortedMap<String, byte[]> data = new TreeMap<>();
        for (var section : sections.entrySet()) {
            String prefix = "DEFAULT".equals(section.getKey()) ? "" : section.getKey() + ".";
            if (!(section.getValue() instanceof Map<?, ?> entries)) {
                throw invalid("INI section " + section.getKey() + " is not a map");
            }
            for (var entry : entries.entrySet()) {
                put(data, prefix + entry.getKey(), text(entry.getValue()));
            }
        }
        return new SecretPayload(data, Optional.empty(), Optional.empty(), Optional.empty());
    }

    private static SecretPayload fromMap(Map<?, ?> map) throws PayloadException {
        if (isSecretManifest(map)) {
            return fromSecretManifest(map);
        }
        SortedMap<String, byte[]> data = new TreeMap<>();
        for (var entry : map.entrySet()) {
            put(data, String.valueOf(entry.getKey()), text(entry.getValue()));
        }
        return new SecretPayload(data, Optional.empty(), Optional.empty(), Optional.empty());
    }

    static boolean isSecretManifest(Map<?, ?> map) {
        return "v1".equals(map.get("apiVersion")) && "Secret".equals(map.get("kind"));
    }

    private static SecretPayload fromSecretManifest(Map<?, ?> manifest) throws PayloadException {
        SortedMap<String, byte[]> data = new TreeMap<>();
        for (var entry : mapAt(manifest, "data").entrySet()) {
            String key = String.valueOf(entry.getKey());
            try {
                put(data, key, Base64.getDecoder().decode(text(entry.getValue()).strip()));
            } catch (IllegalArgumentException e) {
                throw invalid("data." + key + " is not valid base64");
            }
        }
        for (var entry : mapAt(manifest, "stringData").entrySet()) {
            put(data, String.valueOf(entry.getKey()), text(entry.getValue()));
        }
        Map<?, ?> metadata = mapAt(manifest, "metadata");
        return new SecretPayload(data,
                optionalText(manifest.get("type")),
                optionalText(metadata.get("namespace")),
                optionalText(metadata.get("name")));
    }

    private static Map<?, ?> mapAt(Map<?, ?> map, String key) throws PayloadException {
        Object value = map.get(key);
        if (value == null) {
            return Map.of();
        }
        if (value instanceof Map<?, ?> m) {
            return m;
        }
        throw invalid(key + " is not a map");
    }

    private static Optional<String> optionalText(Object value) {
        return value == null ? Optional.empty() : Optional.of(String.valueOf(value)).filter(s -> !s.isEmpty());
    }

    private static void put(SortedMap<String, byte[]> data, String key, String value) throws PayloadException {
        put(data, key, value.getBytes(StandardCharsets.UTF_8));
    }

    private static void put(SortedMap<String, byte[]> data, String key, byte[] value) throws PayloadException {
        data.put(checkedKey(key), value);
    }

    private static String checkedKey(String key) throws PayloadException {
        if (key.length() > 253 || !VALID_KEY.matcher(key).matches()) {
            throw invalid("\"" + printable(key) + "\" is not a valid Secret key (allowed: letters, digits, '-', '_', '.')");
        }
        return key;
    }

    private static String printable(String key) {
        String shortened = key.length() > 64 ? key.substring(0, 64) + "…" : key;
        return shortened.replaceAll("\\p{Cntrl}", "?");
    }

    /** Scalars as text, nested values as JSON, null as empty. */
    static String text(Object value) throws PayloadException {
        if (value == null) {
            return "";
        }
        if (value instanceof Map<?, ?> || value instanceof List<?>) {
            try {
                return JSON.writeValueAsString(value);
            } catch (JsonProcessingException e) {
                throw invalid("a nested value cannot be written as JSON");
            }
        }
        return String.valueOf(value);
    }

    private static PayloadException invalid(String message) {
        return new PayloadException(Outcome.InvalidDocument, message);
    }
}
