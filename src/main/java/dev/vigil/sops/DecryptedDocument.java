package dev.vigil.sops;

import java.util.List;
import java.util.Set;

/**
 * Cleartext of a document. {@code documents} holds one ordered map per YAML document (one for the
 * other stores; INI: section → key → value); values are String, Long, Double, Boolean, null, nested
 * maps and lists, and timestamps (printing as RFC 3339). {@code binary} holds the bytes of a binary
 * document. {@code openedBy} names the age recipient(s) or PGP fingerprint(s) whose keys opened it;
 * {@code keySources} the keyring sources those keys were loaded from (one per key group that opened).
 * {@code protection} says, per document, which leaf paths were encrypted: only those are bound to their
 * place by AES-GCM (the AAD is the key path), so only those can carry a binding nobody can move.
 * {@code macOnlyEncrypted} documents leave their clear values out of the MAC: anyone may edit them.
 * {@link #toString()} never shows values.
 */
public record DecryptedDocument(SopsFormat format, List<Object> documents, byte[] binary, String openedBy,
        String lastModified, List<String> keySources, List<Protection> protection, boolean macOnlyEncrypted) {

    /**
     * Leaf paths (mapping keys from the root; list indices are not part of a path, as in sops' AAD) whose
     * value was decrypted from an {@code ENC[…]} value, and those whose non-empty value was in clear text.
     */
    public record Protection(Set<List<String>> encrypted, Set<List<String>> clearText) {

        public static final Protection NONE = new Protection(Set.of(), Set.of());

        public boolean isEncrypted(List<String> path) {
            return encrypted.contains(path);
        }
    }

    /** A document that reports no leaf as encrypted and no key source (tests and tools that build cleartext). */
    public DecryptedDocument(SopsFormat format, List<Object> documents, byte[] binary, String openedBy, String lastModified) {
        this(format, documents, binary, openedBy, lastModified, List.of(),
                documents.stream().map(d -> Protection.NONE).toList(), false);
    }

    /** The protection of the {@code index}-th document. */
    public Protection protectionOf(int index) {
        return index < protection.size() ? protection.get(index) : Protection.NONE;
    }

    @Override
    public String toString() {
        return "DecryptedDocument[format=" + format + ", documents=" + documents.size() + ", openedBy=" + openedBy
                + ", lastModified=" + lastModified + "]";
    }
}
