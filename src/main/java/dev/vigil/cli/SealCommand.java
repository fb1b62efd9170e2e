package dev.vigil.cli;

import dev.vigil.secrets.ScopeRules;
import dev.vigil.sops.SopsEncryptor;
import dev.vigil.sops.SopsException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * {@code seal} turns a plain Secret manifest or a dotenv file into a ready-to-commit SealedSecret:
 * a Secret manifest naming NS/NAME whose data, stringData and metadata.name/namespace are encrypted.
 * The encrypted binding is what makes the document open only into that namespace and name: AES-GCM
 * authenticates each value with its key path, so it can be neither edited nor moved (clear-text
 * metadata would be MAC-protected only as part of a separator-less concatenation, and not its key).
 */
final class SealCommand implements Command {

    static final String ENCRYPTED_REGEX = ScopeRules.BINDING_RECIPE_REGEX;

    @Override
    public String name() {
        return "seal";
    }

    @Override
    public String usage() {
        return "seal [--recipient RECIPIENT...] [--pgp PUBLIC_KEY_FILE...] [--binary-key KEY] --namespace NS --name NAME FILE";
    }

    @Override
    public String summary() {
        return "encrypt a Secret (manifest, YAML/JSON map, dotenv, INI or binary) into a SealedSecret bound to one"
                + " namespace and name";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.repeatable("--recipient", "RECIPIENT", "age recipient (age1…, age1pq1…) or ssh-ed25519 public key that may open the document"),
                Option.repeatable("--pgp", "PUBLIC_KEY_FILE", "armored PGP public key that may open the document"),
                Option.valued("--binary-key", "KEY", "the Secret key of a binary FILE (default: the file name)"),
                Option.valued("--namespace", "NS", "the namespace the Secret is written to (bound, encrypted, into the document)"),
                Option.valued("--name", "NAME", "the Secret's name (bound, encrypted, into the document)"));
    }

    @Override
    public String details() {
        return "FILE is a v1 Secret manifest (data/stringData), a plain YAML or JSON map, dotenv, INI or any binary file;\n"
                + "the SealedSecret goes to stdout. Without --recipient/--pgp the recipients come from the nearest .sops.yaml.\n"
                + "Example: vigil seal --recipient age1… --namespace shop --name db-credentials secret.yaml > db-credentials.sealed.yaml";
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) throws Args.UsageException {
        Args args = Args.parse(argv, options());
        if (args.one("--namespace") == null || args.one("--name") == null) {
            throw new Args.UsageException("missing " + (args.one("--namespace") == null ? "--namespace NS" : "--name NAME")
                    + " (the document opens only into that namespace and name)");
        }
        if (args.positionals.size() != 1) {
            throw new Args.UsageException(args.positionals.isEmpty() ? "missing FILE" : "expected one FILE, got " + args.positionals.size());
        }
        String namespace = args.one("--namespace");
        String name = args.one("--name");
        try {
            Path inputFile = Path.of(args.positionals.get(0));
            String input = SealInputs.asSecretManifest(inputFile, Files.readAllBytes(inputFile), args.one("--binary-key"));
            Map<String, Object> manifest = secretManifest(input, namespace, name);
            List<byte[]> pgpKeys = new java.util.ArrayList<>();
            for (String file : args.all("--pgp")) {
                pgpKeys.add(Files.readAllBytes(Path.of(file)));
            }
            List<String> recipients = args.all("--recipient");
            if (recipients.isEmpty() && pgpKeys.isEmpty()) {
                recipients = SealInputs.recipientsFromConfig(inputFile);
            }
            String document = SopsEncryptor.encryptYaml(manifest, recipients, pgpKeys, ENCRYPTED_REGEX,
                    Clock.systemUTC());
            out.print(sealedSecret(namespace, name, document));
            out.flush();
            return EXIT_OK;
        } catch (SopsException e) {
            err.println(e.errorClass() + " " + e.getMessage());
            return EXIT_FAILURE;
        } catch (IllegalArgumentException | YAMLException | SopsConfig.ConfigException e) {
            return Cli.usageError(this, e.getMessage(), err);
        } catch (IOException e) {
            return Cli.usageError(this, "cannot read " + e.getMessage(), err);
        }
    }

    /** A v1 Secret manifest bound to namespace/name, from a Secret manifest or a dotenv file. */
    static Map<String, Object> secretManifest(String input, String namespace, String name) {
        Object parsed = looksLikeDotenv(input) ? null : new Yaml(new SafeConstructor(new LoaderOptions())).load(input);
        Map<String, Object> manifest = new LinkedHashMap<>();
        if (parsed instanceof Map<?, ?> map && "Secret".equals(map.get("kind"))) {
            map.forEach((k, v) -> manifest.put(String.valueOf(k), v));
            for (String section : List.of("data", "stringData")) {
                if (manifest.get(section) instanceof Map<?, ?> values) {
                    Map<String, Object> strings = new LinkedHashMap<>();
                    values.forEach((k, v) -> strings.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
                    manifest.put(section, strings);
                }
            }
        } else if (parsed == null) {
            manifest.put("apiVersion", "v1");
            manifest.put("kind", "Secret");
            manifest.put("type", "Opaque");
            manifest.put("stringData", dotenv(input));
        } else {
            throw new IllegalArgumentException("the input is neither a v1 Secret manifest nor a dotenv file");
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        if (manifest.get("metadata") instanceof Map<?, ?> existing) {
            existing.forEach((k, v) -> metadata.put(String.valueOf(k), v));
        }
        metadata.put("name", name);
        metadata.put("namespace", namespace);
        manifest.put("apiVersion", "v1");
        manifest.put("metadata", metadata);
        return manifest;
    }

    private static boolean looksLikeDotenv(String input) {
        return input.lines().filter(l -> !l.isBlank() && !l.startsWith("#"))
                .allMatch(l -> l.matches("^[A-Za-z_][A-Za-z0-9_.]*=.*"));
    }

    private static Map<String, Object> dotenv(String input) {
        Map<String, Object> values = new LinkedHashMap<>();
        input.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).forEach(l -> {
            int eq = l.indexOf('=');
            values.put(l.substring(0, eq), l.substring(eq + 1).replace("\\n", "\n"));
        });
        return values;
    }

    private static String sealedSecret(String namespace, String name, String document) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", name);
        metadata.put("namespace", namespace);
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("format", "yaml");
        spec.put("document", document);
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("apiVersion", "vigil.dev/v1alpha1");
        manifest.put("kind", "SealedSecret");
        manifest.put("metadata", metadata);
        manifest.put("spec", spec);
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setDefaultScalarStyle(DumperOptions.ScalarStyle.PLAIN);
        options.setWidth(Integer.MAX_VALUE);
        return new Yaml(new LiteralStrings(options), options).dump(manifest);
    }

    /** Writes multi-line strings (the document) as literal blocks so the commit diff stays readable. */
    private static final class LiteralStrings extends org.yaml.snakeyaml.representer.Representer {
        LiteralStrings(DumperOptions options) {
            super(options);
            this.representers.put(String.class, data -> {
                String s = (String) data;
                return representScalar(org.yaml.snakeyaml.nodes.Tag.STR, s,
                        s.contains("\n") ? DumperOptions.ScalarStyle.LITERAL : DumperOptions.ScalarStyle.PLAIN);
            });
        }
    }
}
