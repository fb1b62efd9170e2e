package dev.vigil.sops;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A file before encryption, read by the same stores (and the same limits) that read it once sops has encrypted it,
 * so {@code seal} derives exactly the keys the operator will: go-yaml typing, dotenv lines as they are, INI sections.
 * Comments are dropped, as decryption drops them.
 */
public final class SopsCleartext {

    private SopsCleartext() {
    }

    /** @throws SopsException INVALID_DOCUMENT when the file does not parse, is too big, or is already encrypted */
    public static DecryptedDocument read(byte[] bytes, SopsFormat format) throws SopsException {
        Limits.DEFAULT.checkSize(bytes.length);
        if (format == SopsFormat.BINARY) {
            return new DecryptedDocument(format, List.of(), bytes.clone(), "", null);
        }
        ParsedDocument parsed = SopsDecryptor.read(bytes, format, Limits.DEFAULT, false);
        if (parsed.metadata() != null) {
            throw SopsException.invalid("the file is already encrypted by sops (it has sops metadata)");
        }
        List<Object> documents = new ArrayList<>();
        for (Branch branch : parsed.branches()) {
            documents.add(plain(branch));
        }
        return new DecryptedDocument(format, documents, null, "", null);
    }

    private static Object plain(Object value) {
        if (value instanceof Branch branch) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Branch.Item item : branch.items) {
                if (!(item.key() instanceof Comment)) {
                    out.put((String) item.key(), plain(item.value()));
                }
            }
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            for (Object element : list) {
                if (!(element instanceof Comment)) {
                    out.add(plain(element));
                }
            }
            return out;
        }
        return value;
    }
}
