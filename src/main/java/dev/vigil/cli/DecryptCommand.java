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
import java.util.Set;

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
        return print ? "decrypt [--key FILE...] [--passphrase-file FILE] [--format F] [--json] DOCUMENT   print the cleartext"
                : "verify [--key FILE...] [--passphrase-file FILE] [--format F] [--namespace NS --name NAME [--allow-unbound]"
                        + " [--binary-key K]] DOCUMENT   check keys and MAC (and whether the operator would accept it as NS/NAME),"
                        + " print no value";
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) {
        Args args;
        try {
            args = print ? Args.parse(argv, Set.of("--key", "--format", "--passphrase-file"), Set.of("--json"))
                    : Args.parse(argv, Set.of("--key", "--format", "--passphrase-file", "--namespace", "--name", "--binary-key"),
                            Set.of("--allow-unbound"));
            if (args.positionals.size() != 1) {
                throw new Args.UsageException("expected exactly one DOCUMENT");
            }
            if ((args.one("--namespace") == null) != (args.one("--name") == null)) {
                throw new Args.UsageException("--namespace and --name go together");
            }
        } catch (Args.UsageException e) {
            err.println("usage error: " + e.getMessage());
            err.println("usage: vigil " + usage());
            return EXIT_USAGE;
        }
        Path document = Path.of(args.positionals.get(0));
        SopsFormat format;
        try {
            format = args.one("--format") == null ? SopsFormat.fromFileName(document.getFileName().toString())
                    : SopsFormat.parse(args.one("--format"));
        } catch (IllegalArgumentException e) {
            err.println("usage error: " + e.getMessage());
            return EXIT_USAGE;
        }
        try {
            KeySources.Loaded keys = KeySources.load(args.all("--key"), args.one("--passphrase-file"));
            if (keys.sources().isEmpty()) {
                err.println("usage error: no key: give --key FILE, or set SOPS_AGE_KEY_FILE, SOPS_AGE_KEY or "
                        + "SOPS_AGE_SSH_PRIVATE_KEY_FILE, or put identities in " + KeySources.defaultAgeKeyFile());
                return EXIT_USAGE;
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
            err.println("usage error: cannot read " + e.getMessage());
            return EXIT_USAGE;
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
