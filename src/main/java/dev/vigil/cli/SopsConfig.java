package dev.vigil.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * A repository's {@code .sops.yaml}: the first {@code creation_rules} entry whose {@code path_regex}
 * matches a file (a rule without one matches every file) gives its recipients, flat ({@code age},
 * {@code pgp}, comma-separated or lists) or as {@code key_groups}. Found as sops finds it, in the
 * file's directory or the nearest parent; paths are matched relative to the config's directory.
 */
record SopsConfig(Path file, List<Rule> rules) {

    static final String FILE_NAME = ".sops.yaml";

    /** One key group of a rule: age recipients and PGP fingerprints. */
    record Group(List<String> age, List<String> pgp) {
    }

    record Rule(Pattern pathRegex, List<Group> groups, boolean keyGroups, Integer shamirThreshold) {
    }

    static final class ConfigException extends Exception {
        ConfigException(String message) {
            super(message);
        }
    }

    /** The nearest .sops.yaml from {@code start}'s directory upwards, or null. */
    static SopsConfig find(Path start) throws ConfigException {
        Path dir = start.toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            dir = dir.getParent();
        }
        for (; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(FILE_NAME);
            if (Files.isRegularFile(candidate)) {
                return read(candidate);
            }
        }
        return null;
    }

    static SopsConfig read(Path file) throws ConfigException {
        Object parsed;
        try {
            parsed = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            throw new ConfigException(file + " cannot be read as YAML");
        }
        List<Rule> rules = new ArrayList<>();
        if (parsed instanceof Map<?, ?> map && map.get("creation_rules") instanceof List<?> list) {
            for (Object entry : list) {
                if (!(entry instanceof Map<?, ?> rule)) {
                    throw new ConfigException(file + ": a creation rule is not a mapping");
                }
                rules.add(rule(file, rule));
            }
        }
        return new SopsConfig(file, rules);
    }

    private static Rule rule(Path file, Map<?, ?> rule) throws ConfigException {
        Pattern regex = null;
        if (rule.get("path_regex") != null) {
            try {
                regex = Pattern.compile(String.valueOf(rule.get("path_regex")));
            } catch (PatternSyntaxException e) {
                throw new ConfigException(file + ": invalid path_regex " + e.getDescription());
            }
        }
        List<Group> groups = new ArrayList<>();
        boolean keyGroups = rule.get("key_groups") instanceof List<?>;
        if (keyGroups) {
            for (Object g : (List<?>) rule.get("key_groups")) {
                if (!(g instanceof Map<?, ?> group)) {
                    throw new ConfigException(file + ": a key group is not a mapping");
                }
                groups.add(new Group(list(group.get("age")), list(group.get("pgp"))));
            }
        } else {
            groups.add(new Group(list(rule.get("age")), list(rule.get("pgp"))));
        }
        Integer threshold = rule.get("shamir_threshold") instanceof Number n ? n.intValue() : null;
        return new Rule(regex, groups, keyGroups, threshold);
    }

    /** sops accepts "a,b" strings and YAML lists. */
    private static List<String> list(Object value) {
        List<String> out = new ArrayList<>();
        if (value instanceof List<?> items) {
            items.forEach(i -> out.add(String.valueOf(i).trim()));
        } else if (value != null) {
            for (String part : String.valueOf(value).split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
        }
        out.removeIf(String::isEmpty);
        return out;
    }

    /** The rule for {@code path}, or null when none matches. */
    Rule ruleFor(Path path) {
        Path base = file.toAbsolutePath().normalize().getParent();
        Path absolute = path.toAbsolutePath().normalize();
        String relative = (absolute.startsWith(base) ? base.relativize(absolute) : absolute).toString().replace('\\', '/');
        for (Rule rule : rules) {
            if (rule.pathRegex() == null || rule.pathRegex().matcher(relative).find()) {
                return rule;
            }
        }
        return null;
    }

    /** The recipients of the .sops.yaml creation rule for {@code file} (seal wraps for age and flat rules only). */
    static List<String> recipientsFor(Path file) throws ConfigException {
        SopsConfig config = find(file);
        if (config == null) {
            throw new ConfigException("no --recipient or --pgp given and no " + FILE_NAME + " found");
        }
        SopsConfig.Rule rule = config.ruleFor(file);
        if (rule == null) {
            throw new ConfigException("no creation rule of " + config.file() + " matches " + file);
        }
        if (rule.keyGroups() || !rule.groups().get(0).pgp().isEmpty()) {
            throw new ConfigException("the creation rule for " + file + " uses key groups or PGP fingerprints; "
                    + "give --recipient/--pgp (PGP public key files) explicitly");
        }
        return rule.groups().get(0).age();
    }
}
