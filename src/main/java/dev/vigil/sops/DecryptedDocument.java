package dev.vigil.sops;

import java.util.List;

/**
 * Cleartext of a document. {@code documents} holds one ordered map per YAML document (one for the
 * other stores; INI: section → key → value); values are String, Long, Double, Boolean, null, nested
 * maps and lists, and timestamps (printing as RFC 3339). {@code binary} holds the bytes of a binary
 * document. {@code openedBy} names the age recipient(s) or PGP fingerprint(s) whose keys opened it.
 * {@link #toString()} never shows values.
 */
public record DecryptedDocument(SopsFormat format, List<Object> documents, byte[] binary, String openedBy,
        String lastModified) {

    @Override
    public String toString() {
        return "DecryptedDocument[format=" + format + ", documents=" + documents.size() + ", openedBy=" + openedBy
                + ", lastModified=" + lastModified + "]";
    }
}
