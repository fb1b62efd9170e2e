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
import java.util.Set;

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
        return print ? "decrypt [--key FILE...] [--passphrase-file FILE] [--format F] [--json] DOCUMENT   print the cleartext"
                : "verify [--key FILE...] [--passphrase-file FILE] [--format F] DOCUMENT            check keys and MAC, print no value";
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) {
        Args args;
        try {
            args = Args.parse(argv, Set.of("--key", "--format", "--passphrase-file"), Set.of("--json"));
            if (args.positionals.size() != 1) {
                throw new Args.UsageException("expected exactly one DOCUMENT");
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
            err.println("usage error: cannot read " + e.getMessage());
            return EXIT_USAGE;
        }
    }
}
