package dev.vigil.sops;

import dev.vigil.sops.SopsException.ErrorClass;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Rewraps a document's data key for a new set of recipients, as {@code sops updatekeys} does: values,
 * IVs, {@code lastmodified} and the MAC stay as they are, so the cleartext (and everything derived from
 * it in a cluster) is unchanged. Only the recipients block of the metadata is rewritten; every other byte
 * of the document stays where it was. Needs a key that opens the document (the MAC is verified first).
 */
public final class SopsRekey {

    /** The recipients of one key group: age recipient strings (age1…, age1pq1…, ssh-…) and PGP fingerprints. */
    public record GroupRecipients(List<String> age, List<String> pgp, List<String> other) {
        public boolean isEmpty() {
            return age.isEmpty() && pgp.isEmpty() && other.isEmpty();
        }
    }

    /** What to do to one key group: age recipients and armored PGP public keys to add, recipients/fingerprints to remove. */
    public record GroupChange(List<String> addAge, List<byte[]> addPgp, List<String> remove) {
        public static GroupChange none() {
            return new GroupChange(List.of(), List.of(), List.of());
        }
    }

    /** The rewritten document and what changed (public identifiers only). */
    public record Result(String document, List<String> added, List<String> removed, List<GroupRecipients> after,
            int shamirThreshold) {
        public boolean changed() {
            return !added.isEmpty() || !removed.isEmpty();
        }
    }

    /** A stanza to insert: the fields in the order sops writes them. */
    record NewStanza(String recipientOrFingerprint, String enc, String createdAt) {
        boolean pgp() {
            return createdAt != null;
        }
    }

    /** One key group after the change: which existing stanzas stay (document order) and what is added. */
    record GroupPlan(List<Integer> keptAge, List<Integer> keptPgp, List<NewStanza> addAge, List<NewStanza> addPgp) {
    }

    private SopsRekey() {
    }

    /** The recipients of each key group (one group when the document does not use key_groups). */
    public static List<GroupRecipients> recipients(byte[] document, SopsFormat format) throws SopsException {
        Metadata metadata = Metadata.from(SopsDecryptor.parseForMetadata(document, format).metadata());
        List<GroupRecipients> out = new ArrayList<>();
        for (Metadata.KeyGroup group : metadata.groups()) {
            out.add(new GroupRecipients(group.age().stream().map(Metadata.AgeStanza::recipient).toList(),
                    group.pgp().stream().map(Metadata.PgpStanza::fingerprint).toList(), group.unsupported()));
        }
        return out;
    }

    /** Whether {@code spec} (a recipient, an ssh public key line or a PGP fingerprint / long key id) names {@code recipient}. */
    public static boolean names(String spec, String recipient) {
        String s = spec.trim();
        String r = recipient.trim();
        if (s.startsWith("ssh-") && r.startsWith("ssh-")) {
            String[] a = s.split("\\s+");
            String[] b = r.split("\\s+");
            return a.length >= 2 && b.length >= 2 && a[0].equals(b[0]) && a[1].equals(b[1]);
        }
        if (s.matches("(?i)(0x)?[0-9a-f]{16,40}") && r.matches("(?i)[0-9a-f]{16,40}")) {
            String hex = s.toUpperCase(Locale.ROOT).replaceFirst("^0X", "");
            return r.toUpperCase(Locale.ROOT).endsWith(hex);
        }
        return s.equals(r);
    }

    /**
     * Applies one change per key group. Refuses to remove the last recipient of the document or of a key
     * group (that would make the Shamir threshold unreachable), and to add to a group no given key opens.
     */
    public static Result rekey(byte[] document, SopsFormat format, SopsKeyring keys, List<GroupChange> changes, Clock clock)
            throws SopsException {
        if (format == SopsFormat.BINARY) {
            format = SopsFormat.JSON; // the binary store is a JSON envelope
        }
        SopsDecryptor.decrypt(document, format, keys); // a key must open it, and the MAC must hold
        ParsedDocument parsed = SopsDecryptor.parseForMetadata(document, format);
        Metadata metadata = Metadata.from(parsed.metadata());
        boolean keyGroups = metadata.groups().size() > 1 || !hasTopLevelKeys(parsed.metadata());
        if (changes.size() != metadata.groups().size()) {
            throw SopsException.invalid("the document has " + metadata.groups().size() + " key groups, the change names "
                    + changes.size());
        }
        DataKeys.GroupParts parts = DataKeys.recoverGroups(metadata, keys);
        List<GroupPlan> plans = new ArrayList<>();
        List<String> added = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        List<GroupRecipients> after = new ArrayList<>();
        String now = GoFormat.rfc3339(OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC));
        for (int g = 0; g < changes.size(); g++) {
            Metadata.KeyGroup group = metadata.groups().get(g);
            GroupChange change = changes.get(g);
            List<Integer> keptAge = new ArrayList<>();
            List<String> ageAfter = new ArrayList<>();
            for (int i = 0; i < group.age().size(); i++) {
                String recipient = group.age().get(i).recipient();
                if (change.remove().stream().anyMatch(spec -> names(spec, recipient))) {
                    removed.add(recipient);
                } else {
                    keptAge.add(i);
                    ageAfter.add(recipient);
                }
            }
            List<Integer> keptPgp = new ArrayList<>();
            List<String> pgpAfter = new ArrayList<>();
            for (int i = 0; i < group.pgp().size(); i++) {
                String fingerprint = group.pgp().get(i).fingerprint();
                if (change.remove().stream().anyMatch(spec -> names(spec, fingerprint))) {
                    removed.add("pgp " + fingerprint);
                } else {
                    keptPgp.add(i);
                    pgpAfter.add(fingerprint);
                }
            }
            List<NewStanza> addAge = new ArrayList<>();
            List<NewStanza> addPgp = new ArrayList<>();
            boolean adding = !change.addAge().isEmpty() || !change.addPgp().isEmpty();
            byte[] part = parts.parts().get(g);
            if (adding && part == null) {
                throw new SopsException(ErrorClass.DATA_KEY_UNAVAILABLE, "no given key opens key group " + (g + 1)
                        + ", so its part of the data key cannot be wrapped for new recipients");
            }
            try {
                for (String recipient : change.addAge()) {
                    String trimmed = recipient.trim();
                    if (ageAfter.stream().anyMatch(r -> names(trimmed, r))) {
                        continue; // already a recipient: nothing to do, as sops
                    }
                    addAge.add(new NewStanza(trimmed, Age.encrypt(part, List.of(trimmed)), null));
                    ageAfter.add(trimmed);
                    added.add(trimmed);
                }
                for (byte[] publicKey : change.addPgp()) {
                    Pgp.Sealed sealed = Pgp.encrypt(part, publicKey);
                    if (pgpAfter.stream().anyMatch(fp -> fp.equalsIgnoreCase(sealed.fingerprint()))) {
                        continue;
                    }
                    addPgp.add(new NewStanza(sealed.fingerprint(), stripTrailingNewline(sealed.armored()), now));
                    pgpAfter.add(sealed.fingerprint());
                    added.add("pgp " + sealed.fingerprint());
                }
            } catch (IllegalArgumentException e) {
                throw new SopsException(ErrorClass.KEY_UNSUPPORTED, "cannot use the recipient: " + e.getMessage());
            } catch (org.bouncycastle.crypto.InvalidCipherTextException e) {
                throw new SopsException(ErrorClass.DATA_KEY_UNAVAILABLE, "cannot wrap the data key: " + e.getMessage());
            }
            GroupRecipients groupAfter = new GroupRecipients(List.copyOf(ageAfter), List.copyOf(pgpAfter), group.unsupported());
            if (groupAfter.isEmpty() && metadata.groups().size() > 1) {
                throw SopsException.invalid("refusing to remove the last recipient of key group " + (g + 1) + ": with "
                        + metadata.groups().size() + " key groups and a Shamir threshold of " + metadata.shamirThreshold()
                        + " every group must keep a key");
            }
            after.add(groupAfter);
            plans.add(new GroupPlan(keptAge, keptPgp, addAge, addPgp));
        }
        if (after.stream().allMatch(GroupRecipients::isEmpty)) {
            throw SopsException.invalid("refusing to remove the last recipient: nobody could open the document any more");
        }
        String text = new String(document, StandardCharsets.UTF_8);
        String rewritten = added.isEmpty() && removed.isEmpty() ? text : switch (format) {
            case YAML -> YamlRecipients.rewrite(text, plans, keyGroups);
            case JSON, BINARY -> JsonRecipients.rewrite(text, plans, keyGroups);
            case DOTENV -> FlatRecipients.rewrite(text, plans, keyGroups, false);
            case INI -> FlatRecipients.rewrite(text, plans, keyGroups, true);
        };
        // What was written must still be the same document, opened by the new recipients' keys and the same MAC.
        List<GroupRecipients> check = recipients(rewritten.getBytes(StandardCharsets.UTF_8), format);
        if (!check.equals(after)) {
            throw SopsException.invalid("internal error: the rewritten recipients block does not read back as planned");
        }
        return new Result(rewritten, added, removed, after, metadata.shamirThreshold());
    }

    private static boolean hasTopLevelKeys(Branch sops) {
        for (String key : List.of("age", "pgp", "kms", "gcp_kms", "hckms", "azure_kv", "hc_vault")) {
            if (sops.get(key) instanceof List<?> list && !list.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    private static String stripTrailingNewline(String s) {
        return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }
}
