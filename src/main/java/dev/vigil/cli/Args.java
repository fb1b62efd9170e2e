package dev.vigil.cli;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Option parsing: "--name value" or "--name=value" options, flags, positionals; "--" ends the
 * options (what follows is positional even if it starts with a dash). Anything else that starts
 * with a dash is an unknown option, reported with the nearest known name.
 */
final class Args {

    /** A command line the command cannot run: the message says what was wrong, in the user's words. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    /** Edits (insert, delete, replace) within which an unknown word is taken for a typo of a known one. */
    static final int TYPO_DISTANCE = 2;

    final Map<String, List<String>> options = new LinkedHashMap<>();
    final List<String> positionals = new ArrayList<>();

    /** Parses by the command's declared options. */
    static Args parse(List<String> args, List<Option> declared) throws UsageException {
        Map<String, Option> byName = new LinkedHashMap<>();
        declared.forEach(o -> byName.put(o.name(), o));
        Args parsed = new Args();
        boolean optionsEnded = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (optionsEnded || !arg.startsWith("-") || arg.equals("-")) {
                parsed.positionals.add(arg);
                continue;
            }
            if (arg.equals("--")) {
                optionsEnded = true;
                continue;
            }
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            Option option = byName.get(name);
            if (option == null) {
                throw new UsageException("unknown option " + name + nearest(name, byName.keySet()).map(n -> " (did you mean " + n + "?)").orElse(""));
            }
            if (!option.takesValue()) {
                if (value != null) {
                    throw new UsageException(name + " takes no value");
                }
                value = "true";
            } else if (value == null) {
                if (i + 1 >= args.size()) {
                    throw new UsageException(name + " needs a value (" + option.value() + ")");
                }
                value = args.get(++i);
            }
            List<String> values = parsed.options.computeIfAbsent(name, k -> new ArrayList<>());
            if (!values.isEmpty() && option.takesValue() && !option.repeatable()) {
                throw new UsageException(name + " given twice");
            }
            values.add(value);
        }
        return parsed;
    }

    /** Parses with option names only: {@code valued} take a value, {@code flags} do not. */
    static Args parse(List<String> args, Set<String> valued, Set<String> flags) throws UsageException {
        List<Option> declared = new ArrayList<>();
        valued.forEach(n -> declared.add(Option.repeatable(n, "VALUE", "")));
        flags.forEach(n -> declared.add(Option.flag(n, "")));
        return parse(args, declared);
    }

    /** The known word closest to {@code word}, if it is near enough to be a typo of it. */
    static Optional<String> nearest(String word, Collection<String> known) {
        String best = null;
        int bestDistance = TYPO_DISTANCE + 1;
        for (String candidate : known) {
            int d = distance(word, candidate);
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
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
