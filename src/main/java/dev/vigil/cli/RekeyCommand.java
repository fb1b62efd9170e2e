package dev.vigil.cli;

import dev.vigil.secrets.FormatInference;
import dev.vigil.sops.SopsEncryptor;
import dev.vigil.sops.SopsException;
import dev.vigil.sops.SopsFormat;
import dev.vigil.sops.SopsKeyring;
import dev.vigil.sops.SopsRekey;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code rekey} rewraps the data key of Sops documents (bare, or inside a SealedSecret manifest's
 * {@code spec.document}) for a new recipient set, in place and without prompting, like
 * {@code sops updatekeys --yes}: values, IVs and the MAC stay, so the cluster sees the same cleartext and
 * rolls nothing. Without {@code --add}/{@code --remove} the recipients come from {@code .sops.yaml}.
 */
final class RekeyCommand implements Command {

    @Override
    public String name() {
        return "rekey";
    }

    @Override
    public String usage() {
        return "rekey [--add RECIPIENT...] [--remove RECIPIENT|FINGERPRINT...] [--group N] [--pgp PUBLIC_KEY_FILE...] "
                + "[--key FILE...] [--passphrase-file FILE] [--format F] [--dry-run] FILE|DIR...";
    }

    @Override
    public String summary() {
        return "rewrap documents' data keys for a new recipient set, in place (values, IVs and MAC unchanged)";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.repeatable("--add", "RECIPIENT", "age (age1…, age1pq1…), ssh-ed25519 recipient or armored PGP public key file to add"),
                Option.repeatable("--remove", "RECIPIENT|FINGERPRINT", "age recipient or PGP fingerprint to remove"),
                Option.valued("--group", "N", "the key group --add goes to (1 for the first)"),
                Option.repeatable("--pgp", "PUBLIC_KEY_FILE", "armored PGP public keys of recipients kept or added"),
                Option.repeatable("--key", "FILE", "a key that opens the documents (also the SOPS_AGE_* environment)"),
                Option.valued("--passphrase-file", "FILE", "passphrase of a scrypt-protected age identity"),
                Option.valued("--format", "F", "yaml, json, dotenv or ini; default: from each file's name"),
                Option.flag("--dry-run", "print what would change, write nothing"));
    }

    @Override
    public String details() {
        return "Without --add/--remove the recipients come from the nearest .sops.yaml creation rule.\n"
                + "Example: vigil rekey --key old.agekey --add age1new… --remove age1old… gitops/";
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) {
        Args args;
        try {
            args = Args.parse(argv, options());
            if (args.positionals.isEmpty()) {
                throw new Args.UsageException("expected at least one FILE or DIR");
            }
            if (args.one("--group") != null && !args.one("--group").matches("[1-9][0-9]?")) {
                throw new Args.UsageException("--group takes a key group number, 1 for the first");
            }
            if (args.one("--format") != null) {
                SopsFormat.parse(args.one("--format"));
            }
        } catch (Args.UsageException | IllegalArgumentException e) {
            err.println("usage error: " + e.getMessage());
            err.println("usage: vigil " + usage());
            return EXIT_USAGE;
        }
        boolean dryRun = args.flag("--dry-run");
        SopsKeyring keyring;
        Map<String, byte[]> pgpKeys = new LinkedHashMap<>();
        List<byte[]> addPgp = new ArrayList<>();
        List<String> addAge = new ArrayList<>();
        try {
            keyring = KeySources.load(args.all("--key"), args.one("--passphrase-file")).keyring();
            for (String file : args.all("--pgp")) {
                byte[] key = Files.readAllBytes(Path.of(file));
                pgpKeys.put(SopsEncryptor.pgpFingerprint(key), key);
            }
            for (String recipient : args.all("--add")) {
                Path asFile = Path.of(recipient);
                if (!recipient.startsWith("age1") && !recipient.startsWith("ssh-") && Files.isRegularFile(asFile)) {
                    byte[] key = Files.readAllBytes(asFile); // an armored PGP public key
                    pgpKeys.put(SopsEncryptor.pgpFingerprint(key), key);
                    addPgp.add(key);
                } else if (recipient.startsWith("age1") || recipient.startsWith("ssh-ed25519 ")) {
                    addAge.add(recipient.trim());
                } else {
                    err.println("usage error: --add takes an age recipient (age1…, age1pq1…), an ssh-ed25519 public key line, "
                            + "or an armored PGP public key file");
                    return EXIT_USAGE;
                }
            }
        } catch (SopsException e) {
            err.println(e.errorClass() + " " + e.getMessage());
            return EXIT_FAILURE;
        } catch (IOException e) {
            err.println("usage error: cannot read " + e.getMessage());
            return EXIT_USAGE;
        }
        boolean explicit = !addAge.isEmpty() || !addPgp.isEmpty() || !args.all("--remove").isEmpty();
        int group = args.one("--group") == null ? 1 : Integer.parseInt(args.one("--group"));

        List<Path> files = new ArrayList<>();
        for (String positional : args.positionals) {
            Path path = Path.of(positional);
            if (Files.isDirectory(path)) {
                try (Stream<Path> walk = Files.walk(path)) {
                    walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                            .filter(p -> !hidden(path.relativize(p)))
                            .filter(p -> !p.getFileName().toString().equals(SopsConfig.FILE_NAME))
                            .filter(RekeyCommand::looksLikeSops)
                            .sorted().forEach(files::add);
                } catch (IOException e) {
                    err.println("usage error: cannot read " + e.getMessage());
                    return EXIT_USAGE;
                }
            } else if (Files.isRegularFile(path)) {
                files.add(path);
            } else {
                err.println("usage error: no such file or directory: " + positional);
                return EXIT_USAGE;
            }
        }
        int failures = 0;
        for (Path file : files) {
            try {
                String text = Files.readString(file, StandardCharsets.UTF_8);
                SealedManifest manifest = SealedManifest.parse(text);
                String document = manifest == null ? text : manifest.document();
                SopsFormat format = format(args.one("--format"), file, manifest, document);
                byte[] bytes = document.getBytes(StandardCharsets.UTF_8);
                List<SopsRekey.GroupRecipients> current = SopsRekey.recipients(bytes, format);
                List<SopsRekey.GroupChange> changes = explicit
                        ? explicitChanges(current, group, addAge, addPgp, args.all("--remove"))
                        : configChanges(file, current, pgpKeys);
                SopsRekey.Result result = SopsRekey.rekey(bytes, format, keyring, changes, Clock.systemUTC());
                if (!result.changed()) {
                    out.println("unchanged " + file + ": recipients already " + describe(result.after()));
                    continue;
                }
                String summary = file + ": " + String.join(" ", result.added().stream().map(r -> "+" + shorten(r)).toList())
                        + (result.added().isEmpty() || result.removed().isEmpty() ? "" : " ")
                        + String.join(" ", result.removed().stream().map(r -> "-" + shorten(r)).toList())
                        + " (recipients now " + describe(result.after()) + ")";
                if (dryRun) {
                    out.println("would rekey " + summary);
                    continue;
                }
                writeInPlace(file, manifest == null ? result.document() : manifest.with(result.document()));
                out.println("rekeyed " + summary);
            } catch (SopsException e) {
                failures++;
                err.println(e.errorClass() + " " + file + ": " + e.getMessage());
            } catch (SopsConfig.ConfigException | IllegalArgumentException e) {
                failures++;
                err.println("INVALID_CONFIG " + file + ": " + e.getMessage());
            } catch (IOException e) {
                failures++;
                err.println("IO_ERROR " + file + ": " + e.getMessage());
            }
        }
        out.flush();
        return failures == 0 ? EXIT_OK : EXIT_FAILURE;
    }

    private static List<SopsRekey.GroupChange> explicitChanges(List<SopsRekey.GroupRecipients> current, int group,
            List<String> addAge, List<byte[]> addPgp, List<String> remove) {
        if (group > current.size()) {
            throw new IllegalArgumentException("--group " + group + ": the document has " + current.size() + " key group(s)");
        }
        List<SopsRekey.GroupChange> changes = new ArrayList<>();
        for (int g = 0; g < current.size(); g++) {
            boolean target = g == group - 1;
            changes.add(new SopsRekey.GroupChange(target ? addAge : List.of(), target ? addPgp : List.of(), remove));
        }
        return changes;
    }

    /** The change that makes the document's recipients those of its .sops.yaml creation rule, as sops updatekeys. */
    private static List<SopsRekey.GroupChange> configChanges(Path file, List<SopsRekey.GroupRecipients> current,
            Map<String, byte[]> pgpKeys) throws SopsConfig.ConfigException {
        SopsConfig config = SopsConfig.find(file);
        if (config == null) {
            throw new SopsConfig.ConfigException("no --add/--remove given and no " + SopsConfig.FILE_NAME + " found above it");
        }
        SopsConfig.Rule rule = config.ruleFor(file);
        if (rule == null) {
            throw new SopsConfig.ConfigException("no creation rule of " + config.file() + " matches it");
        }
        if (rule.groups().size() != current.size()) {
            throw new SopsConfig.ConfigException("its creation rule has " + rule.groups().size() + " key group(s), the document "
                    + current.size() + "; changing the number of key groups needs a fresh data key split: seal it again");
        }
        List<SopsRekey.GroupChange> changes = new ArrayList<>();
        for (int g = 0; g < current.size(); g++) {
            SopsConfig.Group wanted = rule.groups().get(g);
            SopsRekey.GroupRecipients have = current.get(g);
            List<String> remove = new ArrayList<>();
            have.age().stream().filter(r -> wanted.age().stream().noneMatch(w -> SopsRekey.names(w, r))).forEach(remove::add);
            have.pgp().stream().filter(fp -> wanted.pgp().stream().noneMatch(w -> SopsRekey.names(w, fp))).forEach(remove::add);
            List<byte[]> addPgp = new ArrayList<>();
            for (String fp : wanted.pgp()) {
                if (have.pgp().stream().anyMatch(h -> SopsRekey.names(fp, h))) {
                    continue;
                }
                byte[] key = pgpKeys.entrySet().stream().filter(e -> SopsRekey.names(fp, e.getKey())).map(Map.Entry::getValue)
                        .findFirst().orElseThrow(() -> new IllegalArgumentException("pgp " + fp + " of the creation rule: give its "
                                + "public key with --pgp FILE (gpg --armor --export " + fp + ")"));
                addPgp.add(key);
            }
            changes.add(new SopsRekey.GroupChange(wanted.age(), addPgp, remove));
        }
        return changes;
    }

    private static SopsFormat format(String override, Path file, SealedManifest manifest, String document) {
        if (override != null) {
            return SopsFormat.parse(override);
        }
        if (manifest != null) {
            return manifest.format() != null ? SopsFormat.parse(manifest.format()) : FormatInference.infer(document, manifest.binaryKey());
        }
        try {
            return SopsFormat.fromFileName(file.getFileName().toString());
        } catch (IllegalArgumentException e) {
            return FormatInference.infer(document, null);
        }
    }

    private static boolean hidden(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    /** Files in a directory that carry Sops metadata (a bare document or a SealedSecret manifest). */
    private static boolean looksLikeSops(Path file) {
        try {
            if (Files.size(file) > 8 * 1024 * 1024) {
                return false;
            }
            String text = Files.readString(file, StandardCharsets.UTF_8);
            return text.contains("sops:") || text.contains("\"sops\"") || text.contains("sops_lastmodified=")
                    || text.contains("[sops]");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static void writeInPlace(Path file, String content) throws IOException {
        Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), "." + file.getFileName(), ".rekey");
        try {
            Files.writeString(temp, content, StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(temp, Files.getPosixFilePermissions(file));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the default permissions stay
            }
            try {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static String describe(List<SopsRekey.GroupRecipients> groups) {
        List<String> parts = new ArrayList<>();
        for (SopsRekey.GroupRecipients g : groups) {
            List<String> members = new ArrayList<>();
            g.age().forEach(r -> members.add(shorten(r)));
            g.pgp().forEach(fp -> members.add("pgp " + fp));
            g.other().forEach(members::add);
            parts.add(String.join(", ", members));
        }
        return groups.size() == 1 ? parts.get(0) : "[" + String.join("] [", parts) + "]";
    }

    /** Post-quantum recipients are ~1,950 characters: print their head and tail. */
    static String shorten(String recipient) {
        return recipient.length() <= 72 ? recipient : recipient.substring(0, 24) + "…" + recipient.substring(recipient.length() - 8);
    }
}
