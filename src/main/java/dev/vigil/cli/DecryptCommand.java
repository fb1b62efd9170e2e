package dev.vigil.cli;

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
 * with --json); {@code verify} checks keys and MAC and prints no value.
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
        return print ? "decrypt --key FILE... [--format F] [--json] DOCUMENT" : "verify --key FILE... [--format F] DOCUMENT";
    }

    @Override
    public String summary() {
        return print ? "print a Sops document's cleartext (what `sops -d` prints)"
                : "check that the keys open a Sops document and its MAC holds; print no value";
    }

    @Override
    public List<Option> options() {
        List<Option> options = new java.util.ArrayList<>(List.of(
                Option.repeatable("--key", "FILE", "age identity file (AGE-SECRET-KEY-…, ssh-ed25519, scrypt-protected) or armored PGP private key"),
                Option.valued("--format", "F", "yaml, json, dotenv, ini or binary; default: from the file name")));
        if (print) {
            options.add(Option.flag("--json", "print {\"documents\": [...]} instead of the document's own format"));
        }
        return options;
    }

    @Override
    public String details() {
        return (print ? "Example: vigil decrypt --key age.txt secret.enc.yaml\n" : "Example: vigil verify --key age.txt --key team.asc secret.enc.yaml\n")
                + "Exit codes: 0 opened; 1 decryption failed, the error class first on stderr (DATA_KEY_UNAVAILABLE,"
                + " VALUE_DECRYPT_FAILED, MAC_MISMATCH, INVALID_DOCUMENT); 2 usage error.";
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) throws Args.UsageException {
        Args args = Args.parse(argv, options());
        if (args.all("--key").isEmpty()) {
            throw new Args.UsageException("missing --key FILE (the age or PGP key that opens the document)");
        }
        if (args.positionals.size() != 1) {
            throw new Args.UsageException(args.positionals.isEmpty() ? "missing DOCUMENT" : "expected one DOCUMENT, got " + args.positionals.size());
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
            SopsKeyring keyring = SopsKeyring.empty();
            for (String key : args.all("--key")) {
                keyring = keyring.withKeyFile(Files.readString(Path.of(key), StandardCharsets.UTF_8), key);
            }
            DecryptedDocument decrypted = SopsDecryptor.decrypt(Files.readAllBytes(document), format, keyring);
            if (!print) {
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
}
