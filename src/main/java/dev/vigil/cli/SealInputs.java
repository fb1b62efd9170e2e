package dev.vigil.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Every input a SealedSecret accepts, as {@code sops encrypt} takes it, turned into the v1 Secret
 * manifest {@code seal} encrypts, with the keys the operator would derive from that input: a Secret
 * manifest or dotenv file as they are; a plain YAML/JSON map one key per top-level entry; INI
 * {@code section.key} (DEFAULT keys bare); anything that is not UTF-8 text (or any file with
 * {@code --binary-key}) one binary key.
 */
final class SealInputs {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SealInputs() {
    }

    static String asSecretManifest(Path file, byte[] bytes, String binaryKey) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        String text = binaryKey == null ? utf8(bytes) : null;
        if (text == null) {
            String key = binaryKey != null ? binaryKey : file.getFileName().toString();
            return dump(secret("data", Map.of(key, Base64.getEncoder().encodeToString(bytes))));
        }
        if (name.endsWith(".ini")) {
            return dump(secret("stringData", ini(text)));
        }
        if (name.endsWith(".env")) {
            return text;
        }
        Object parsed;
        try {
            parsed = name.endsWith(".json") ? JSON.readValue(text, Object.class)
                    : new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        } catch (Exception e) {
            return text; // dotenv or another text the existing reader judges
        }
        if (parsed instanceof Map<?, ?> map && !("Secret".equals(map.get("kind")))) {
            Map<String, Object> values = new LinkedHashMap<>();
            for (var entry : map.entrySet()) {
                values.put(String.valueOf(entry.getKey()), stringValue(entry.getValue()));
            }
            return dump(secret("stringData", values));
        }
        return text;
    }

    /** The recipients of the .sops.yaml creation rule for {@code file} (seal wraps for age and flat rules only). */
    static List<String> recipientsFromConfig(Path file) throws SopsConfig.ConfigException {
        SopsConfig config = SopsConfig.find(file);
        if (config == null) {
            throw new SopsConfig.ConfigException("no --recipient or --pgp given and no " + SopsConfig.FILE_NAME + " found");
        }
        SopsConfig.Rule rule = config.ruleFor(file);
        if (rule == null) {
            throw new SopsConfig.ConfigException("no creation rule of " + config.file() + " matches " + file);
        }
        if (rule.keyGroups() || !rule.groups().get(0).pgp().isEmpty()) {
            throw new SopsConfig.ConfigException("the creation rule for " + file + " uses key groups or PGP fingerprints; "
                    + "give --recipient/--pgp (PGP public key files) explicitly");
        }
        return rule.groups().get(0).age();
    }

    private static Map<String, Object> ini(String text) {
        Map<String, Object> values = new LinkedHashMap<>();
        String section = "";
        for (String raw : text.split("\\r?\\n")) {
            String line = raw.trim();
            if (line.isEmpty() || line.startsWith(";") || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                String s = line.substring(1, line.length() - 1).trim();
                section = s.equals("DEFAULT") ? "" : s + ".";
                continue;
            }
            int eq = line.indexOf('=');
            int colon = line.indexOf(':');
            int at = eq < 0 ? colon : colon < 0 ? eq : Math.min(eq, colon);
            if (at < 0) {
                throw new IllegalArgumentException("INI line without '=' or ':'");
            }
            String value = line.substring(at + 1).trim();
            if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))) {
                value = value.substring(1, value.length() - 1);
            }
            values.put(section + line.substring(0, at).trim(), value);
        }
        return values;
    }

    private static Object stringValue(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Map<?, ?> || value instanceof List<?>) {
            try {
                return JSON.writeValueAsString(value);
            } catch (Exception e) {
                throw new IllegalArgumentException("a value cannot be written as JSON");
            }
        }
        return String.valueOf(value);
    }

    private static Map<String, Object> secret(String section, Map<String, ?> values) {
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("apiVersion", "v1");
        manifest.put("kind", "Secret");
        manifest.put("type", "Opaque");
        manifest.put(section, new LinkedHashMap<>(values));
        return manifest;
    }

    private static String dump(Map<String, Object> manifest) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setWidth(Integer.MAX_VALUE);
        return new Yaml(options).dump(manifest);
    }

    private static String utf8(byte[] bytes) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            return text.indexOf('\0') >= 0 ? null : text;
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
