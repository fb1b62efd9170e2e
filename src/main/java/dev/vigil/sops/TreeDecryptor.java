package dev.vigil.sops;

import dev.vigil.sops.SopsException.ErrorClass;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Walks the documents in order, decrypting the leaves the rules mark as encrypted and feeding the
 * running SHA-512 exactly as sops does: values only, no separators, nulls and comments skipped.
 */
final class TreeDecryptor {

    /** Marks a leaf that turned out to be a comment: dropped from the output and the MAC. */
    private static final Object COMMENT = new Object();
    static final byte[] SOPS_SHA256 = HexFormat.of().parseHex("8a3fd2ad54ce66527b1034f3d147be0b0b975b3bf44f72c6fdadec8176f27d69");

    private final byte[] dataKey;
    private final Metadata.EncryptionRules rules;
    private final boolean macOnlyEncrypted;
    private final boolean rawStrings;
    private final MessageDigest mac;
    /** One regular-expression budget for every rule check of this document. */
    private final BoundedText.Budget regexBudget = BoundedText.Budget.perDocument();
    private Set<List<String>> encryptedLeaves = new LinkedHashSet<>();
    private Set<List<String>> clearLeaves = new LinkedHashSet<>();

    TreeDecryptor(byte[] dataKey, Metadata metadata, boolean rawStrings) {
        this.dataKey = dataKey;
        this.rules = metadata.rules();
        this.macOnlyEncrypted = metadata.macOnlyEncrypted();
        this.rawStrings = rawStrings;
        try {
            this.mac = MessageDigest.getInstance("SHA-512");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        if (macOnlyEncrypted) {
            mac.update(SOPS_SHA256);
        }
    }

    Map<String, Object> decrypt(Branch branch) throws SopsException {
        encryptedLeaves = new LinkedHashSet<>();
        clearLeaves = new LinkedHashSet<>();
        return walkBranch(branch, List.of(), new ArrayList<>());
    }

    /** Which leaf paths of the branch last decrypted held encrypted values, and which held clear ones. */
    DecryptedDocument.Protection protection() {
        return new DecryptedDocument.Protection(Set.copyOf(encryptedLeaves), Set.copyOf(clearLeaves));
    }

    String computedMac() {
        return HexFormat.of().formatHex(mac.digest()).toUpperCase(Locale.ROOT);
    }

    private Map<String, Object> walkBranch(Branch branch, List<String> path, List<List<String>> stack) throws SopsException {
        List<List<String>> levels = push(stack);
        Map<String, Object> out = new LinkedHashMap<>();
        for (Branch.Item item : branch.items) {
            if (item.key() instanceof Comment comment) {
                levels.get(levels.size() - 1).add(comment.text());
                leaf(comment, path, levels);
                continue;
            }
            String key = (String) item.key();
            List<String> childPath = append(path, key);
            Object value = walkValue(item.value(), childPath, levels);
            if (value != COMMENT) {
                levels.get(levels.size() - 1).clear();
                out.put(key, value);
            }
        }
        return out;
    }

    private List<Object> walkSlice(List<?> list, List<String> path, List<List<String>> stack) throws SopsException {
        List<List<String>> levels = push(stack);
        List<Object> out = new ArrayList<>();
        for (Object element : list) {
            if (element instanceof Comment comment) {
                levels.get(levels.size() - 1).add(comment.text());
            }
            Object value = walkValue(element, path, levels);
            if (value != COMMENT) {
                levels.get(levels.size() - 1).clear();
                out.add(value);
            }
        }
        return out;
    }

    private Object walkValue(Object value, List<String> path, List<List<String>> stack) throws SopsException {
        if (value instanceof Branch branch) {
            return walkBranch(branch, path, stack);
        }
        if (value instanceof List<?> list) {
            return walkSlice(list, path, stack);
        }
        if (value == null) {
            return null;
        }
        return leaf(value, path, stack);
    }

    private Object leaf(Object value, List<String> path, List<List<String>> stack) throws SopsException {
        boolean isComment = value instanceof Comment;
        boolean encrypted = rules.encrypted(path, stack, isComment, regexBudget);
        if (isComment) {
            return COMMENT; // encrypted or not, comments are neither output nor hashed
        }
        if (!encrypted) {
            if (!macOnlyEncrypted) {
                mac.update(GoFormat.toBytes(value));
            }
            if (!"".equals(value)) {
                clearLeaves.add(List.copyOf(path));
            }
            return value;
        }
        if (!(value instanceof String text)) {
            throw new SopsException(ErrorClass.VALUE_DECRYPT_FAILED, "Expected encrypted value as string at " + where(path));
        }
        if (text.isEmpty()) {
            return "";
        }
        if (!ValueCipher.looksEncrypted(text)) {
            throw new SopsException(ErrorClass.VALUE_DECRYPT_FAILED, "value at " + where(path) + " does not match sops' data format");
        }
        ValueCipher.Plain plain;
        try {
            plain = ValueCipher.decrypt(text, dataKey, aad(path));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new SopsException(ErrorClass.VALUE_DECRYPT_FAILED, "could not decrypt the value at " + where(path));
        }
        if (plain.type().equals("comment")) {
            return COMMENT;
        }
        Object typed = typed(plain, path);
        mac.update(typed instanceof byte[] raw ? raw : GoFormat.toBytes(typed));
        encryptedLeaves.add(List.copyOf(path));
        return typed;
    }

    private Object typed(ValueCipher.Plain plain, List<String> path) throws SopsException {
        String text = plain.text();
        try {
            return switch (plain.type()) {
                case "str" -> rawStrings ? plain.bytes() : text;
                case "bytes" -> rawStrings ? plain.bytes() : text;
                case "int" -> Long.parseLong(text);
                case "float" -> parseFloat(text);
                case "bool" -> parseBool(text);
                case "time" -> new SopsTime(OffsetDateTime.parse(text));
                default -> throw new SopsException(ErrorClass.VALUE_DECRYPT_FAILED,
                        "Unknown datatype at " + where(path));
            };
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new SopsException(ErrorClass.VALUE_DECRYPT_FAILED, "decrypted value at " + where(path)
                    + " is not a valid " + plain.type());
        }
    }

    private static double parseFloat(String text) {
        return switch (text) {
            case "+Inf", "Inf", "inf", "+inf" -> Double.POSITIVE_INFINITY;
            case "-Inf", "-inf" -> Double.NEGATIVE_INFINITY;
            case "NaN", "nan" -> Double.NaN;
            default -> Double.parseDouble(text);
        };
    }

    private static boolean parseBool(String text) {
        return switch (text) {
            case "1", "t", "T", "TRUE", "true", "True" -> true;
            case "0", "f", "F", "FALSE", "false", "False" -> false;
            default -> throw new NumberFormatException("not a bool");
        };
    }

    static byte[] aad(List<String> path) {
        StringBuilder sb = new StringBuilder();
        for (String p : path) {
            sb.append(p).append(':');
        }
        if (path.isEmpty()) {
            sb.append(':');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String where(List<String> path) {
        return path.isEmpty() ? "the top level" : String.join(":", path);
    }

    private static List<List<String>> push(List<List<String>> stack) {
        List<List<String>> levels = new ArrayList<>(stack);
        levels.add(new ArrayList<>());
        return levels;
    }

    private static List<String> append(List<String> path, String key) {
        List<String> next = new ArrayList<>(path.size() + 1);
        next.addAll(path);
        next.add(key);
        return next;
    }
}
