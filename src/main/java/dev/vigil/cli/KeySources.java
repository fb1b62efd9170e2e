package dev.vigil.cli;

import dev.vigil.sops.SopsException;
import dev.vigil.sops.SopsKeyring;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Where the command line finds private keys, the way sops users expect: {@code --key FILE} (age identity
 * files, OpenSSH Ed25519 keys, armored PGP secret keys), then {@code SOPS_AGE_KEY} (identities inline),
 * {@code SOPS_AGE_KEY_FILE}, {@code SOPS_AGE_SSH_PRIVATE_KEY_FILE} and sops' default age key file
 * ({@code $XDG_CONFIG_HOME/sops/age/keys.txt}, else {@code ~/.config/sops/age/keys.txt}; on macOS
 * {@code ~/Library/Application Support/sops/age/keys.txt}; on Windows {@code %AppData%\sops\age\keys.txt}).
 * A passphrase-protected age identity file is unlocked with {@code --passphrase-file FILE} or
 * {@code VIGIL_AGE_PASSPHRASE}; the passphrase is never taken from argv, echoed or logged.
 */
final class KeySources {

    static final String PASSPHRASE_ENV = "VIGIL_AGE_PASSPHRASE";

    private KeySources() {
    }

    /** The keyring, and a description of where it came from (file names and variable names only). */
    record Loaded(SopsKeyring keyring, List<String> sources) {
    }

    static Loaded load(List<String> keyFiles, String passphraseFile) throws SopsException, IOException {
        SopsKeyring keyring = SopsKeyring.empty();
        List<String> sources = new ArrayList<>();
        char[] passphrase = passphrase(passphraseFile);
        for (String file : keyFiles) {
            keyring = add(keyring, Files.readString(Path.of(file), StandardCharsets.UTF_8), file, passphrase);
            sources.add(file);
        }
        String inline = Environment.get("SOPS_AGE_KEY");
        if (inline != null && !inline.isBlank()) {
            keyring = add(keyring, inline, "SOPS_AGE_KEY", passphrase);
            sources.add("SOPS_AGE_KEY");
        }
        String ageFile = Environment.get("SOPS_AGE_KEY_FILE");
        if (ageFile != null && !ageFile.isBlank()) {
            keyring = add(keyring, Files.readString(Path.of(ageFile), StandardCharsets.UTF_8), "SOPS_AGE_KEY_FILE " + ageFile, passphrase);
            sources.add("SOPS_AGE_KEY_FILE");
        }
        String sshFile = Environment.get("SOPS_AGE_SSH_PRIVATE_KEY_FILE");
        if (sshFile != null && !sshFile.isBlank()) {
            keyring = keyring.withSshEd25519Key(Files.readString(Path.of(sshFile), StandardCharsets.UTF_8),
                    "SOPS_AGE_SSH_PRIVATE_KEY_FILE " + sshFile);
            sources.add("SOPS_AGE_SSH_PRIVATE_KEY_FILE");
        }
        Path defaultFile = defaultAgeKeyFile();
        if (defaultFile != null && Files.isRegularFile(defaultFile)) {
            keyring = add(keyring, Files.readString(defaultFile, StandardCharsets.UTF_8), defaultFile.toString(), passphrase);
            sources.add(defaultFile.toString());
        }
        if (passphrase != null) {
            Arrays.fill(passphrase, '\0');
        }
        return new Loaded(keyring, sources);
    }

    /** sops' default age key file location for this operating system. */
    static Path defaultAgeKeyFile() {
        String xdg = Environment.get("XDG_CONFIG_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "sops", "age", "keys.txt");
        }
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.startsWith("windows")) {
            String appData = Environment.get("AppData");
            return appData == null ? null : Path.of(appData, "sops", "age", "keys.txt");
        }
        String home = Environment.get("HOME");
        if (home == null || home.isBlank()) {
            return null;
        }
        return os.contains("mac") ? Path.of(home, "Library", "Application Support", "sops", "age", "keys.txt")
                : Path.of(home, ".config", "sops", "age", "keys.txt");
    }

    private static SopsKeyring add(SopsKeyring keyring, String content, String source, char[] passphrase) throws SopsException {
        if (content.strip().startsWith("-----BEGIN AGE ENCRYPTED FILE-----")) {
            if (passphrase == null) {
                throw new SopsException(SopsException.ErrorClass.KEY_UNSUPPORTED, source
                        + " is a passphrase-protected age identity file; give the passphrase with --passphrase-file FILE or "
                        + PASSPHRASE_ENV);
            }
            return keyring.withPassphraseProtectedAgeIdentities(content, passphrase, source);
        }
        return keyring.withKeyFile(content, source);
    }

    private static char[] passphrase(String passphraseFile) throws IOException {
        if (passphraseFile != null) {
            String text = Files.readString(Path.of(passphraseFile), StandardCharsets.UTF_8);
            // one line, as written by `echo … > file` or a secrets manager: the final newline is not part of it
            return text.endsWith("\r\n") ? text.substring(0, text.length() - 2).toCharArray()
                    : text.endsWith("\n") ? text.substring(0, text.length() - 1).toCharArray() : text.toCharArray();
        }
        String env = Environment.get(PASSPHRASE_ENV);
        return env == null || env.isEmpty() ? null : env.toCharArray();
    }
}
