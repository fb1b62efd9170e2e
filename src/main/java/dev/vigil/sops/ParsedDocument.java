package dev.vigil.sops;

import java.util.List;

/** A store's reading of a file: the user's documents and the (unflattened) sops metadata tree. */
record ParsedDocument(List<Branch> branches, Branch metadata) {
}
