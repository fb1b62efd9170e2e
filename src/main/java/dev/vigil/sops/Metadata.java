package dev.vigil.sops;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** The sops metadata block, as far as decryption needs it. */
record Metadata(String lastModified, Optional<String> mac, EncryptionRules rules, boolean macOnlyEncrypted,
        int shamirThreshold, List<KeyGroup> groups) {

    record AgeStanza(String recipient, String enc) {
    }

    record PgpStanza(String fingerprint, String enc) {
    }

    /** Keys wrapping the data key (or one Shamir share of it); other services are listed by name only. */
    record KeyGroup(List<AgeStanza> age, List<PgpStanza> pgp, List<String> unsupported) {
        boolean empty() {
            return age.isEmpty() && pgp.isEmpty() && unsupported.isEmpty();
        }
    }

    private static final List<String> CLOUD_KEYS = List.of("kms", "gcp_kms", "hckms", "azure_kv", "hc_vault");

    static Metadata from(Branch sops) throws SopsException {
        Object lastModified = sops.get("lastmodified");
        if (lastModified == null) {
            throw SopsException.invalid("sops metadata has no lastmodified");
        }
        Object mac = sops.get("mac");
        EncryptionRules rules = EncryptionRules.from(sops);
        KeyGroup top = group(sops);
        List<KeyGroup> groups = new ArrayList<>();
        if (!top.empty()) {
            groups.add(top);
        } else if (sops.get("key_groups") instanceof List<?> list && !list.isEmpty()) {
            for (Object g : list) {
                if (!(g instanceof Branch b)) {
                    throw SopsException.invalid("sops.key_groups holds a non-mapping entry");
                }
                groups.add(group(b));
            }
        } else {
            throw new SopsException(SopsException.ErrorClass.DATA_KEY_UNAVAILABLE, "No keys found in file");
        }
        int threshold = groups.size();
        Object t = sops.get("shamir_threshold");
        if (t != null) {
            threshold = weakInt(t, "shamir_threshold");
        }
        return new Metadata(text(lastModified), Optional.ofNullable(mac).map(Metadata::text).filter(s -> !s.isEmpty()),
                rules, weakBool(sops.get("mac_only_encrypted")), threshold, groups);
    }

    private static KeyGroup group(Branch b) throws SopsException {
        List<AgeStanza> age = new ArrayList<>();
        for (Branch e : entries(b, "age")) {
            age.add(new AgeStanza(optionalText(e.get("recipient")), optionalText(e.get("enc"))));
        }
        List<PgpStanza> pgp = new ArrayList<>();
        for (Branch e : entries(b, "pgp")) {
            pgp.add(new PgpStanza(optionalText(e.get("fp")), optionalText(e.get("enc"))));
        }
        List<String> unsupported = new ArrayList<>();
        for (String type : CLOUD_KEYS) {
            for (int i = 0; i < entries(b, type).size(); i++) {
                unsupported.add(type);
            }
        }
        return new KeyGroup(age, pgp, unsupported);
    }

    private static List<Branch> entries(Branch b, String key) throws SopsException {
        Object value = b.get(key);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw SopsException.invalid("sops." + key + " is not a list");
        }
        List<Branch> result = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof Branch e)) {
                throw SopsException.invalid("sops." + key + " holds a non-mapping entry");
            }
            result.add(e);
        }
        return result;
    }

    static String text(Object value) {
        return value instanceof SopsTime t ? t.toString() : String.valueOf(value);
    }

    private static String optionalText(Object value) {
        return value == null ? "" : text(value);
    }

    static boolean weakBool(Object value) throws SopsException {
        if (value == null) {
            return false;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        return switch (text(value)) {
            case "1", "t", "T", "true", "TRUE", "True" -> true;
            case "", "0", "f", "F", "false", "FALSE", "False" -> false;
            default -> throw SopsException.invalid("sops metadata holds a non-boolean where a boolean belongs");
        };
    }

    static int weakInt(Object value, String field) throws SopsException {
        if (value instanceof Long l && l >= 0 && l <= 255) {
            return l.intValue();
        }
        try {
            String s = text(value);
            return s.isEmpty() ? 0 : Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw SopsException.invalid("sops." + field + " is not an integer");
        }
    }

    /** Which leaves are encrypted: at most one rule; none means the "_unencrypted" suffix. */
    record EncryptionRules(String unencryptedSuffix, String encryptedSuffix, Pattern unencryptedRegex,
            Pattern encryptedRegex, Pattern unencryptedCommentRegex, Pattern encryptedCommentRegex) {

        static EncryptionRules from(Branch sops) throws SopsException {
            String us = field(sops, "unencrypted_suffix");
            String es = field(sops, "encrypted_suffix");
            String ur = field(sops, "unencrypted_regex");
            String er = field(sops, "encrypted_regex");
            String ucr = field(sops, "unencrypted_comment_regex");
            String ecr = field(sops, "encrypted_comment_regex");
            long set = java.util.stream.Stream.of(us, es, ur, er, ucr, ecr).filter(s -> s != null && !s.isEmpty()).count();
            if (set > 1) {
                throw SopsException.invalid("Cannot use more than one of encrypted_suffix, unencrypted_suffix, "
                        + "encrypted_regex, unencrypted_regex, encrypted_comment_regex or unencrypted_comment_regex");
            }
            if (set == 0) {
                us = "_unencrypted";
            }
            return new EncryptionRules(blankToNull(us), blankToNull(es), regex(ur), regex(er), regex(ucr), regex(ecr));
        }

        boolean usesComments() {
            return unencryptedCommentRegex != null || encryptedCommentRegex != null;
        }

        /**
         * sops' shouldBeEncrypted for a leaf at {@code path} with the comment stack; the document's regular
         * expressions spend from {@code budget}, one per document.
         */
        boolean encrypted(List<String> path, List<List<String>> comments, boolean isComment, BoundedText.Budget budget) {
            try {
                return decide(path, comments, isComment, budget);
            } catch (BoundedText.Exhausted e) {
                throw new RegexTooSlow();
            }
        }

        /** A document's own regular expression that backtracks without end must not hang the operator. */
        static final class RegexTooSlow extends RuntimeException {
            RegexTooSlow() {
                super("a regular expression of the sops metadata takes too long to match", null, false, false);
            }
        }

        private static boolean find(Pattern pattern, String text, BoundedText.Budget budget) {
            return pattern.matcher(new BoundedText(text, budget)).find();
        }

        private boolean decide(List<String> path, List<List<String>> comments, boolean isComment, BoundedText.Budget budget) {
            boolean encrypted = true;
            if (unencryptedSuffix != null && path.stream().anyMatch(p -> p.endsWith(unencryptedSuffix))) {
                encrypted = false;
            }
            if (encryptedSuffix != null) {
                encrypted = path.stream().anyMatch(p -> p.endsWith(encryptedSuffix));
            }
            if (unencryptedRegex != null && path.stream().anyMatch(p -> find(unencryptedRegex, p, budget))) {
                encrypted = false;
            }
            if (encryptedRegex != null) {
                encrypted = path.stream().anyMatch(p -> find(encryptedRegex, p, budget));
            }
            if (unencryptedCommentRegex != null && comments.stream().flatMap(List::stream)
                    .anyMatch(c -> find(unencryptedCommentRegex, c, budget))) {
                encrypted = false;
            }
            if (encryptedCommentRegex != null) {
                encrypted = false;
                for (int level = 0; level < comments.size(); level++) {
                    List<String> cs = comments.get(level);
                    for (int i = 0; i < cs.size(); i++) {
                        boolean self = isComment && level == comments.size() - 1 && i == cs.size() - 1;
                        if (!self && find(encryptedCommentRegex, cs.get(i), budget)) {
                            encrypted = true;
                        }
                    }
                }
            }
            return encrypted;
        }

        private static String field(Branch sops, String key) {
            Object v = sops.get(key);
            return v == null ? null : text(v);
        }

        private static String blankToNull(String s) {
            return s == null || s.isEmpty() ? null : s;
        }

        private static Pattern regex(String re) throws SopsException {
            if (re == null || re.isEmpty()) {
                return null;
            }
            if (re.length() > 1024) {
                throw SopsException.invalid("a regular expression in the sops metadata is longer than 1024 characters");
            }
            try {
                return Pattern.compile(re);
            } catch (PatternSyntaxException e) {
                throw SopsException.invalid("invalid regular expression in sops metadata: " + e.getDescription());
            }
        }
    }
}
