package dev.vigil.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Minimal option parsing: repeatable "--name value" options, boolean flags, positionals. */
final class Args {

    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    final Map<String, List<String>> options = new LinkedHashMap<>();
    final List<String> positionals = new ArrayList<>();

    static Args parse(List<String> args, Set<String> valued, Set<String> flags) throws UsageException {
        Args parsed = new Args();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.startsWith("--")) {
                String name = arg;
                String value = null;
                int eq = arg.indexOf('=');
                if (eq > 0) {
                    name = arg.substring(0, eq);
                    value = arg.substring(eq + 1);
                }
                if (flags.contains(name) && value == null) {
                    parsed.options.computeIfAbsent(name, k -> new ArrayList<>()).add("true");
                } else if (valued.contains(name)) {
                    if (value == null) {
                        if (i + 1 >= args.size()) {
                            throw new UsageException(name + " needs a value");
                        }
                        value = args.get(++i);
                    }
                    parsed.options.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
                } else {
                    throw new UsageException("unknown option " + name);
                }
            } else {
                parsed.positionals.add(arg);
            }
        }
        return parsed;
    }

    List<String> all(String name) {
        return options.getOrDefault(name, List.of());
    }

    String one(String name) {
        List<String> values = all(name);
        return values.isEmpty() ? null : values.get(values.size() - 1);
    }

    boolean flag(String name) {
        return options.containsKey(name);
    }
}
