package dev.vigil.sops;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The dotenv store: KEY=value lines, no trimming or quote handling, "\n" escapes, sops_ metadata. */
final class DotenvStore {

    private final Limits limits;

    DotenvStore(Limits limits) {
        this.limits = limits;
    }

    ParsedDocument parse(String text) throws SopsException {
        Branch branch = new Branch();
        Map<String, String> metadata = new LinkedHashMap<>();
        Limits.Budget budget = limits.budget();
        String[] lines = text.split("\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n];
            if (line.isEmpty()) {
                continue;
            }
            budget.node(1);
            if (line.startsWith("#")) {
                branch.put(new Comment(line.substring(1)), null);
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw SopsException.invalid("invalid dotenv input line at line " + (n + 1) + ", column 1: no '='");
            }
            String key = line.substring(0, eq);
            String value = line.substring(eq + 1).replace("\\n", "\n");
            if (key.startsWith("sops_")) {
                metadata.put(key.substring(5), value);
            } else {
                branch.put(key, value);
            }
        }
        return new ParsedDocument(List.of(branch), metadata.isEmpty() ? null : Flattening.unflatten(metadata));
    }
}
