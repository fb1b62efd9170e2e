package dev.vigil.sops;

import java.util.List;

/** The binary store: a JSON envelope {"data": ENC[...], "sops": {...}} around arbitrary bytes. */
final class BinaryStore {

    private final JsonStore json;

    BinaryStore(Limits limits) {
        this.json = new JsonStore(limits);
    }

    ParsedDocument parse(byte[] bytes) throws SopsException {
        ParsedDocument envelope = json.parse(bytes);
        Branch root = envelope.branches().get(0);
        if (!(root.get("data") instanceof String) || root.items.size() != 1) {
            throw SopsException.invalid("a binary document must hold exactly one string key \"data\" besides \"sops\"");
        }
        return new ParsedDocument(List.of(root), envelope.metadata());
    }
}
