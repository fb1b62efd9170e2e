package dev.vigil.secrets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.sops.DecryptedDocument;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Maps decrypted cleartext to Secret data: a v1 Secret manifest gives its data/stringData/type and
 * binds the target with its encrypted metadata.namespace/name; any other map gives one key per
 * top-level entry; dotenv one key per variable; INI {@code section.key} (DEFAULT keys bare); binary one
 * key named by the spec. A Secret key that two entries would both fill is refused: empty and null values
 * are outside the Sops MAC, so an added empty {@code stringData} entry could otherwise blank a
 * {@code data} value without breaking the MAC.
 */
public final class SecretPayloads {

    private static final Pattern VALID_KEY = Pattern.compile("[-._a-zA-Z0-9]+");
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Where a Secret manifest's values come from; in a mac_only_encrypted document each must be encrypted. (Its
     * clear {@code type} is accepted: the template allow-list bounds it, and editing it only breaks the Secret.)
     */
    private static final List<List<String>> MANIFEST_CONTENT = List.of(List.of("data"), List.of("stringData"));
    private static final List<String> NAMESPACE_PATH = List.of("metadata", "namespace");
    private static final List<String> NAME_PATH = List.of("metadata", "name");

    private SecretPayloads() {
    }

    public static SecretPayload from(DecryptedDocument document, String binaryKey) throws PayloadException {
        return switch (document.format()) {
            case BINARY -> binary(document, binaryKey);
            case INI -> fromIni(single(document.documents()), document);
            case DOTENV, YAML, JSON -> fromMap(single(document.documents()), document);
        };
    }

    private static SecretPayload binary(DecryptedDocument document, String binaryKey) throws PayloadException {
        if (binaryKey == null || binaryKey.isBlank()) {
            throw invalid("a binary document needs spec.binaryKey");
        }
        requireProtected(document, List.of());
        SortedMap<String, byte[]> data = new TreeMap<>();
        data.put(checkedKey(binaryKey), document.binary());
        return new SecretPayload(data, Optional.empty(), ScopeRules.Binding.NONE);
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

    private static SecretPayload fromIni(Map<?, ?> sections, DecryptedDocument document) throws PayloadException {
        requireProtected(document, List.of());
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
        return new SecretPayload(data, Optional.empty(), ScopeRules.Binding.NONE);
    }

    private static SecretPayload fromMap(Map<?, ?> map, DecryptedDocument document) throws PayloadException {
        if (isSecretManifest(map)) {
            return fromSecretManifest(map, document);
        }
        requireProtected(document, List.of());
        SortedMap<String, byte[]> data = new TreeMap<>();
        for (var entry : map.entrySet()) {
            put(data, String.valueOf(entry.getKey()), text(entry.getValue()));
        }
        return new SecretPayload(data, Optional.empty(), ScopeRules.Binding.NONE);
    }

    public static boolean isSecretManifest(Map<?, ?> map) {
        return "v1".equals(map.get("apiVersion")) && "Secret".equals(map.get("kind"));
    }

    private static SecretPayload fromSecretManifest(Map<?, ?> manifest, DecryptedDocument document) throws PayloadException {
        for (List<String> content : MANIFEST_CONTENT) {
            requireProtected(document, content);
        }
        SortedMap<String, byte[]> data = new TreeMap<>();
        for (var entry : mapAt(manifest, "data").entrySet()) {
            String key = String.valueOf(entry.getKey());
            byte[] decoded;
            try {
                decoded = Base64.getDecoder().decode(text(entry.getValue()).strip());
            } catch (IllegalArgumentException e) {
                throw invalid("data." + key + " is not valid base64");
            }
            put(data, key, decoded);
        }
        for (var entry : mapAt(manifest, "stringData").entrySet()) {
            put(data, String.valueOf(entry.getKey()), text(entry.getValue()));
        }
        Map<?, ?> metadata = mapAt(manifest, "metadata");
        DecryptedDocument.Protection protection = document.protectionOf(0);
        List<String> clearBinding = new ArrayList<>();
        Optional<String> namespace = encryptedText(metadata.get("namespace"), NAMESPACE_PATH, protection, clearBinding);
        Optional<String> name = encryptedText(metadata.get("name"), NAME_PATH, protection, clearBinding);
        return new SecretPayload(data, optionalText(manifest.get("type")),
                new ScopeRules.Binding(namespace, name, List.copyOf(clearBinding)));
    }

    /** A binding value counts only when AES-GCM authenticated it at exactly this path; clear text is noted and ignored. */
    private static Optional<String> encryptedText(Object value, List<String> path, DecryptedDocument.Protection protection,
            List<String> clearBinding) {
        if (!(value instanceof String text) || text.isEmpty()) {
            return Optional.empty();
        }
        if (!protection.isEncrypted(path)) {
            clearBinding.add(String.join(".", path));
            return Optional.empty();
        }
        return Optional.of(text);
    }

    /**
     * A mac_only_encrypted document's MAC leaves clear values out, so anyone may edit them: every value that
     * becomes Secret content (below {@code prefix}; the empty prefix is the whole document) must be encrypted.
     */
    private static void requireProtected(DecryptedDocument document, List<String> prefix) throws PayloadException {
        if (!document.macOnlyEncrypted()) {
            return;
        }
        for (int i = 0; i < document.protection().size(); i++) {
            for (List<String> clear : document.protectionOf(i).clearText()) {
                if (clear.size() >= prefix.size() && clear.subList(0, prefix.size()).equals(prefix)) {
                    throw new PayloadException(Outcome.UnprotectedCleartext, "the document is mac_only_encrypted, so its MAC "
                            + "does not cover clear-text values, and " + printable(String.join(".", clear))
                            + " is in clear text: anyone could change it; encrypt every value that goes into the Secret");
                }
            }
        }
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
        if (data.putIfAbsent(checkedKey(key), value) != null) {
            throw invalid("the Secret key \"" + printable(key) + "\" is given twice (in data and stringData, or as an INI "
                    + "section key and a dotted DEFAULT key)");
        }
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
