package dev.vigil.sops;

import java.util.List;

/**
 * A store's reading of a file: the user's documents and the (unflattened) sops metadata tree, {@code null} when the
 * file has none (cleartext, as {@code seal} reads it; the decryptor refuses it).
 */
record ParsedDocument(List<Branch> branches, Branch metadata) {
}
