package dev.vigil.cli;

import dev.vigil.secrets.Outcome;
import dev.vigil.secrets.PayloadException;
import dev.vigil.secrets.ScopeRules;
import dev.vigil.secrets.SecretPayload;
import dev.vigil.secrets.SecretPayloads;
import dev.vigil.sops.CleartextWriter;
import dev.vigil.sops.DecryptedDocument;
import dev.vigil.sops.SopsDecryptor;
import dev.vigil.sops.SopsException;
import dev.vigil.sops.SopsFormat;
import dev.vigil.sops.SopsKeyring;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code decrypt} prints the cleartext (what {@code sops -d} prints, or the fixtures' JSON layout
 * with --json); {@code verify} checks keys and MAC and prints no value. {@code verify --namespace N
 * --name M} also applies the operator's own rules for a SealedSecret N/M (the same
 * {@link SecretPayloads} and {@link ScopeRules} code): keys given with --key count as serving every
 * namespace, as a key Secret annotated {@code *} does; --allow-unbound stands for a key Secret restricted
 * to N (or an operator with allow-unbound), which accepts documents without an encrypted binding.
 */
final class DecryptCommand implements Command {

    private final boolean print;

    private DecryptCommand(boolean print) {
        this.print = print;
    }

    static DecryptCommand decrypt() {
        return new DecryptCommand(true);
    }

    static DecryptCommand verify() {
        return new DecryptCommand(false);
    }

    @Override
    public String name() {
        return print ? "decrypt" : "verify";
    }

    @Override
    public String usage() {
        return print ? "decrypt [--key FILE...] [--passphrase-file FILE] [--format F] [--json] DOCUMENT"
                : "verify [--key FILE...] [--passphrase-file FILE] [--format F] [--namespace NS --name NAME [--allow-unbound]"
                        + " [--binary-key K]] DOCUMENT";
    }

    @Override
    public String summary() {
        return print ? "print a Sops document's cleartext (what `sops -d` prints)"
                : "check that the keys open a Sops document and its MAC holds (and whether the operator would accept it"
                        + " as NS/NAME); print no value";
    }

    @Override
    public List<Option> options() {
        List<Option> options = new java.util.ArrayList<>(List.of(
                Option.repeatable("--key", "FILE", "age identity file (AGE-SECRET-KEY-…, AGE-SECRET-KEY-PQ-…, ssh-ed25519, scrypt-protected) or armored PGP private key; also SOPS_AGE_KEY_FILE, SOPS_AGE_KEY, SOPS_AGE_SSH_PRIVATE_KEY_FILE and sops' default key file"),
                Option.valued("--passphrase-file", "FILE", "passphrase of a scrypt-protected age identity (or VIGIL_AGE_PASSPHRASE); never argv"),
                Option.valued("--format", "F", "yaml, json, dotenv, ini or binary; default: from the file name")));
        if (print) {
            options.add(Option.flag("--json", "print {\"documents\": [...]} instead of the document's own format"));
        } else {
            options.add(Option.valued("--namespace", "NS", "with --name: apply the operator's scope rules for SealedSecret NS/NAME"));
            options.add(Option.valued("--name", "NAME", "with --namespace: the SealedSecret's name"));
            options.add(Option.flag("--allow-unbound", "accept a document without an encrypted binding, as a key Secret restricted to NS would"));
            options.add(Option.valued("--binary-key", "K", "the Secret key of a binary document (default data)"));
        }
        return options;
    }

    @Override
    public String details() {
        return (print ? "Example: vigil decrypt --key age.txt secret.enc.yaml\n"
                : "Examples: vigil verify --key age.txt --key team.asc secret.enc.yaml\n"
                        + "          vigil verify --key team.agekey --namespace shop --name db-credentials db.sealed.yaml\n")
                + "Exit codes: 0 opened; 1 decryption failed, the error class first on stderr (DATA_KEY_UNAVAILABLE,"
                + " VALUE_DECRYPT_FAILED, MAC_MISMATCH, INVALID_DOCUMENT, KEY_UNSUPPORTED)"
                + (print ? "" : ", or the operator would refuse it as NS/NAME (SCOPE_MISMATCH, UNBOUND, UNPROTECTED_CLEARTEXT)")
                + "; 2 usage error.";
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) throws Args.UsageException {
        Args args = Args.parse(argv, options());
        if (args.positionals.size() != 1) {
            throw new Args.UsageException(args.positionals.isEmpty() ? "missing DOCUMENT" : "expected one DOCUMENT, got " + args.positionals.size());
        }
        if ((args.one("--namespace") == null) != (args.one("--name") == null)) {
            throw new Args.UsageException("--namespace and --name go together");
        }
        Path document = Path.of(args.positionals.get(0));
        SopsFormat format;
        try {
            format = args.one("--format") == null ? SopsFormat.fromFileName(document.getFileName().toString())
                    : SopsFormat.parse(args.one("--format"));
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException(e.getMessage());
        }
        try {
            KeySources.Loaded keys = KeySources.load(args.all("--key"), args.one("--passphrase-file"));
            if (keys.sources().isEmpty()) {
                return Cli.usageError(this, "no key: give --key FILE, or set SOPS_AGE_KEY_FILE, SOPS_AGE_KEY or "
                        + "SOPS_AGE_SSH_PRIVATE_KEY_FILE, or put identities in " + KeySources.defaultAgeKeyFile(), err);
            }
            SopsKeyring keyring = keys.keyring();
            DecryptedDocument decrypted = SopsDecryptor.decrypt(Files.readAllBytes(document), format, keyring);
            if (!print && args.one("--namespace") != null) {
                return verifyScope(decrypted, args, document, out, err);
            } else if (!print) {
                out.println("OK " + document + ": MAC verified, opened by " + decrypted.openedBy());
            } else if (args.flag("--json")) {
                out.print(CleartextWriter.json(decrypted));
            } else if (format == SopsFormat.BINARY) {
                out.write(decrypted.binary());
            } else {
                out.print(SopsDecryptor.render(decrypted));
            }
            out.flush();
            return EXIT_OK;
        } catch (SopsException e) {
            err.println(e.errorClass() + " " + e.getMessage());
            return EXIT_FAILURE;
        } catch (IOException e) {
            return Cli.usageError(this, "cannot read " + e.getMessage(), err);
        }
    }

    /** What the operator would do with the document as SealedSecret NS/NAME; refusals exit 1 with the reason first. */
    private static int verifyScope(DecryptedDocument decrypted, Args args, Path document, PrintStream out, PrintStream err) {
        String namespace = args.one("--namespace");
        String name = args.one("--name");
        SecretPayload payload;
        try {
            payload = SecretPayloads.from(decrypted, args.one("--binary-key") == null ? "data" : args.one("--binary-key"));
        } catch (PayloadException e) {
            err.println(cliReason(e.outcome()) + " " + e.getMessage());
            return EXIT_FAILURE;
        }
        List<ScopeRules.OpeningKey> keys = decrypted.keySources().stream()
                .map(source -> new ScopeRules.OpeningKey(source, false)).toList();
        ScopeRules.Decision decision = ScopeRules.decide(payload.binding(), keys, namespace, name, args.flag("--allow-unbound"));
        if (!decision.allowed()) {
            err.println(decision.verdict() + " " + decision.message());
            return EXIT_FAILURE;
        }
        out.println("OK " + document + ": MAC verified, opened by " + decrypted.openedBy() + "; " + decision.verdict()
                + ": " + decision.message() + "; " + payload.data().size() + " keys");
        out.flush();
        return EXIT_OK;
    }

    /** UPPER_SNAKE_CASE of an outcome, in the style of the decryption error classes (UnprotectedCleartext → UNPROTECTED_CLEARTEXT). */
    static String cliReason(Outcome outcome) {
        return outcome.name().replaceAll("(?<=[a-z])(?=[A-Z])", "_").toUpperCase(java.util.Locale.ROOT);
    }
}
