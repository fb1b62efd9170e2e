package dev.vigil.sops;

import dev.vigil.sops.SopsException.ErrorClass;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Encrypts a YAML tree into a Sops document that {@code sops decrypt} opens: fresh data key wrapped
 * for age X25519 recipients, values chosen by an encrypted_regex, MAC over all values.
 */
public final class SopsEncryptor {

    /** The Sops file-format version this implementation follows. */
    static final String FORMAT_VERSION = "3.13.2";
    private static final SecureRandom RANDOM = new SecureRandom();

    private SopsEncryptor() {
    }

    public static String encryptYaml(Map<String, Object> tree, List<String> ageRecipients, List<byte[]> pgpPublicKeys,
            String encryptedRegex, Clock clock) throws SopsException {
        return encryptYaml(tree, ageRecipients, pgpPublicKeys, encryptedRegex, false, clock);
    }

    /** As sops {@code --mac-only-encrypted}: the MAC covers the encrypted values only (tests of such documents). */
    public static String encryptYaml(Map<String, Object> tree, List<String> ageRecipients, List<byte[]> pgpPublicKeys,
            String encryptedRegex, boolean macOnlyEncrypted, Clock clock) throws SopsException {
        if (ageRecipients.isEmpty() && pgpPublicKeys.isEmpty()) {
            throw SopsException.invalid("at least one age recipient or PGP public key is needed");
        }
        byte[] dataKey = new byte[32];
        RANDOM.nextBytes(dataKey);
        Pattern regex = Pattern.compile(encryptedRegex);
        MessageDigest mac = sha512();
        if (macOnlyEncrypted) {
            mac.update(TreeDecryptor.SOPS_SHA256);
        }
        Map<String, Object> encrypted;
        try {
            encrypted = branch(tree, List.of(), regex, false, dataKey, new Hashing(mac, macOnlyEncrypted));
        } catch (GeneralSecurityException e) {
            throw new SopsException(ErrorClass.VALUE_DECRYPT_FAILED, "AES-GCM unavailable: " + e.getMessage());
        }
        String lastModified = GoFormat.rfc3339(OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC));
        String macHex = HexFormat.of().formatHex(mac.digest()).toUpperCase(Locale.ROOT);
        Map<String, Object> sops = new LinkedHashMap<>();
        List<Object> age = new ArrayList<>();
        try {
            for (String recipient : ageRecipients) {
                Map<String, Object> stanza = new LinkedHashMap<>();
                stanza.put("recipient", recipient.trim());
                stanza.put("enc", Age.encrypt(dataKey, List.of(recipient)));
                age.add(stanza);
            }
            if (!age.isEmpty()) {
                sops.put("age", age);
            }
            List<Object> pgp = new ArrayList<>();
            for (byte[] armoredKey : pgpPublicKeys) {
                Pgp.Sealed sealed = Pgp.encrypt(dataKey, armoredKey);
                Map<String, Object> stanza = new LinkedHashMap<>();
                stanza.put("created_at", GoFormat.rfc3339(OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC)));
                stanza.put("enc", sealed.armored());
                stanza.put("fp", sealed.fingerprint());
                pgp.add(stanza);
            }
            if (!pgp.isEmpty()) {
                sops.put("pgp", pgp);
            }
            sops.put("lastmodified", lastModified);
            sops.put("mac", ValueCipher.encrypt(macHex.getBytes(StandardCharsets.UTF_8), "str", dataKey,
                    lastModified.getBytes(StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException e) {
            throw SopsException.invalid("not an age X25519 recipient: " + e.getMessage());
        } catch (GeneralSecurityException | org.bouncycastle.crypto.InvalidCipherTextException e) {
            throw new SopsException(ErrorClass.DATA_KEY_UNAVAILABLE, "cannot wrap the data key: " + e.getMessage());
        }
        sops.put("encrypted_regex", encryptedRegex);
        if (macOnlyEncrypted) {
            sops.put("mac_only_encrypted", true);
        }
        sops.put("version", FORMAT_VERSION);
        encrypted.put("sops", sops);
        return yaml().dump(encrypted);
    }

    /** The primary fingerprint of the first key ring in an armored PGP public key with an encryption key. */
    public static String pgpFingerprint(byte[] armoredPublicKey) throws SopsException {
        return Pgp.encrypt(new byte[1], armoredPublicKey).fingerprint();
    }

    /** The running MAC, and whether clear values stay out of it. */
    private record Hashing(MessageDigest digest, boolean encryptedOnly) {
    }

    private static Map<String, Object> branch(Map<?, ?> map, List<String> path, Pattern regex, boolean inherited,
            byte[] key, Hashing mac) throws GeneralSecurityException, SopsException {
        Map<String, Object> out = new LinkedHashMap<>();
        for (var entry : map.entrySet()) {
            if (!(entry.getKey() instanceof String k)) {
                throw SopsException.invalid("Tree contains a non-string key");
            }
            List<String> childPath = new ArrayList<>(path);
            childPath.add(k);
            boolean encrypt = inherited || regex.matcher(k).find();
            out.put(k, value(entry.getValue(), childPath, regex, encrypt, key, mac));
        }
        return out;
    }

    private static Object value(Object value, List<String> path, Pattern regex, boolean encrypt, byte[] key,
            Hashing mac) throws GeneralSecurityException, SopsException {
        if (value instanceof Map<?, ?> map) {
            return branch(map, path, regex, encrypt, key, mac);
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            for (Object item : list) {
                out.add(value(item, path, regex, encrypt, key, mac));
            }
            return out;
        }
        if (value == null) {
            return null;
        }
        byte[] plain = GoFormat.toBytes(value);
        if (encrypt || !mac.encryptedOnly()) {
            mac.digest().update(plain);
        }
        if (!encrypt) {
            return value;
        }
        if (plain.length == 0) {
            return "";
        }
        return ValueCipher.encrypt(plain, typeOf(value), key, TreeDecryptor.aad(path));
    }

    private static String typeOf(Object value) {
        if (value instanceof Long || value instanceof Integer) {
            return "int";
        }
        if (value instanceof Double || value instanceof Float) {
            return "float";
        }
        if (value instanceof Boolean) {
            return "bool";
        }
        return "str";
    }

    private static MessageDigest sha512() {
        try {
            return MessageDigest.getInstance("SHA-512");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Block YAML, 4-space indent, multi-line strings as literal blocks, strings quoted where go-yaml would retype them
     * (shared by the encryptor and the cleartext writer). */
    static Yaml yaml() {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndent(4);
        options.setIndicatorIndent(2);
        options.setIndentWithIndicator(true);
        options.setWidth(Integer.MAX_VALUE);
        Representer representer = new Representer(options) {
            {
                this.representers.put(String.class, data -> {
                    String s = (String) data;
                    DumperOptions.ScalarStyle style = s.contains("\n") ? DumperOptions.ScalarStyle.LITERAL
                            : !s.equals(YamlScalars.resolvePlain(s.isEmpty() ? "x" : s)) || s.isEmpty()
                                    ? DumperOptions.ScalarStyle.DOUBLE_QUOTED : DumperOptions.ScalarStyle.PLAIN;
                    return representScalar(Tag.STR, s, style);
                });
            }
        };
        return new Yaml(representer, options);
    }
}
