package dev.vigil.sops;

/**
 * Bounds on hostile input: a document beyond any of them is INVALID_DOCUMENT, never an
 * OutOfMemoryError or a hang. Generous for real secrets (Flux caps documents at 5 MiB).
 */
record Limits(int maxBytes, int maxDepth, int maxNodes, int maxAliases) {

    static final Limits DEFAULT = new Limits(8 * 1024 * 1024, 64, 200_000, 100);

    void checkSize(int bytes) throws SopsException {
        if (bytes > maxBytes) {
            throw SopsException.invalid("document is " + bytes + " bytes, more than the limit of " + maxBytes);
        }
    }

    /** Counts nodes and depth while a store builds the tree. */
    final class Budget {
        private int nodes;

        void node(int depth) throws SopsException {
            if (++nodes > maxNodes) {
                throw SopsException.invalid("document has more than " + maxNodes + " values");
            }
            if (depth > maxDepth) {
                throw SopsException.invalid("document is nested deeper than " + maxDepth + " levels");
            }
        }
    }

    Budget budget() {
        return new Budget();
    }
}
