package dev.vigil.cli;

import dev.vigil.secrets.PayloadException;
import dev.vigil.secrets.ScopeRules;
import dev.vigil.secrets.SecretPayload;
import dev.vigil.secrets.SecretPayloads;
import dev.vigil.sops.DecryptedDocument;
import dev.vigil.sops.SopsCleartext;
import dev.vigil.sops.SopsEncryptor;
import dev.vigil.sops.SopsException;
import dev.vigil.sops.SopsFormat;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
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
            Map<String, Object> manifest = secretManifest(inputFile, Files.readAllBytes(inputFile), args.one("--binary-key"),
                    namespace, name);
            List<byte[]> pgpKeys = new java.util.ArrayList<>();
            for (String file : args.all("--pgp")) {
                pgpKeys.add(Files.readAllBytes(Path.of(file)));
            }
            List<String> recipients = args.all("--recipient");
            if (recipients.isEmpty() && pgpKeys.isEmpty()) {
                recipients = SopsConfig.recipientsFor(inputFile);
            }
            String document = SopsEncryptor.encryptYaml(manifest, recipients, pgpKeys, ENCRYPTED_REGEX,
                    Clock.systemUTC());
            out.print(sealedSecret(namespace, name, document));
            out.flush();
            return EXIT_OK;
        } catch (SopsException e) {
            err.println(e.errorClass() + " " + e.getMessage());
            return EXIT_FAILURE;
        } catch (PayloadException e) {
            err.println(DecryptCommand.cliReason(e.outcome()) + " " + e.getMessage());
            return EXIT_FAILURE;
        } catch (IllegalArgumentException | YAMLException | SopsConfig.ConfigException e) {
            return Cli.usageError(this, e.getMessage(), err);
        } catch (IOException e) {
            return Cli.usageError(this, "cannot read " + e.getMessage(), err);
        }
    }

    /**
     * The v1 Secret manifest {@code seal} encrypts, bound to namespace/name. The input is read by the Sops stores and
     * mapped to Secret keys by {@link SecretPayloads} — the operator's own code — so the sealed Secret holds exactly
     * the keys the operator would derive had the same file been encrypted with sops: a Secret manifest's data,
     * stringData and type; one key per entry of a YAML/JSON map; dotenv variables; INI {@code section.key}; one
     * binary key. Text values go to {@code stringData} (readable in a diff of key names), others to {@code data}.
     */
    static Map<String, Object> secretManifest(Path file, byte[] bytes, String binaryKey, String namespace, String name)
            throws SopsException, PayloadException {
        SopsFormat format = inputFormat(file, bytes, binaryKey);
        DecryptedDocument clear = SopsCleartext.read(bytes, format);
        SecretPayload payload = SecretPayloads.from(clear, binaryKey != null ? binaryKey : file.getFileName().toString());
        Map<String, Object> metadata = new LinkedHashMap<>();
        if (!clear.documents().isEmpty() && clear.documents().get(0) instanceof Map<?, ?> document
                && SecretPayloads.isSecretManifest(document) && document.get("metadata") instanceof Map<?, ?> existing) {
            existing.forEach((k, v) -> metadata.put(String.valueOf(k), v)); // labels and annotations travel with it
        }
        metadata.put("name", name);
        metadata.put("namespace", namespace);
        Map<String, Object> stringData = new LinkedHashMap<>();
        Map<String, Object> data = new LinkedHashMap<>();
        payload.data().forEach((key, value) -> {
            String text = utf8(value);
            if (text != null && format != SopsFormat.BINARY) {
                stringData.put(key, text);
            } else {
                data.put(key, Base64.getEncoder().encodeToString(value));
            }
        });
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("apiVersion", "v1");
        manifest.put("kind", "Secret");
        manifest.put("metadata", metadata);
        manifest.put("type", payload.type().orElse("Opaque"));
        if (!data.isEmpty()) {
            manifest.put("data", data);
        }
        if (!stringData.isEmpty()) {
            manifest.put("stringData", stringData);
        }
        return manifest;
    }

    /**
     * The store that reads the input: binary when asked for (--binary-key) or when the bytes are not UTF-8 text, else
     * by the file's extension (.json, .env, .ini); anything else is dotenv when every line is KEY=VALUE (a dotenv
     * file named secret.yaml is common), else YAML.
     */
    static SopsFormat inputFormat(Path file, byte[] bytes, String binaryKey) {
        String text = binaryKey == null ? utf8(bytes) : null;
        if (text == null) {
            return SopsFormat.BINARY;
        }
        String fileName = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (fileName.endsWith(".json") || fileName.endsWith(".env") || fileName.endsWith(".ini")) {
            return SopsFormat.fromFileName(fileName);
        }
        boolean dotenv = text.lines().filter(l -> !l.isBlank() && !l.startsWith("#"))
                .allMatch(l -> l.indexOf('=') > 0 && l.chars().limit(l.indexOf('=')).allMatch(c -> Character.isLetterOrDigit(c) || c == '_' || c == '.'));
        return dotenv && !text.isBlank() ? SopsFormat.DOTENV : SopsFormat.YAML;
    }

    private static String utf8(byte[] bytes) {
        try {
            return java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return null;
        }
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
