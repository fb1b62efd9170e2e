package dev.vigil.sops;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.bouncycastle.openpgp.PGPSecretKeyRingCollection;

/**
 * Private keys that can open documents: age X25519 identities and OpenPGP secret keys, each with the
 * source it was loaded from (a file name, a key Secret's entry), so a decryption can tell which source
 * opened it. Keys of one kind are tried in the order they were added. Immutable; {@link #describe()}
 * lists only public identifiers.
 */
public final class SopsKeyring {

    private static final SopsKeyring EMPTY = new SopsKeyring(List.of(), List.of(), List.of(), List.of());

    private final List<Age.Unwrapper> ageIdentities;
    private final List<PGPSecretKeyRingCollection> pgpKeys;
    /** The source of each age identity, index for index. */
    private final List<String> ageSources;
    /** The source of each PGP key collection, index for index. */
    private final List<String> pgpSources;

    private SopsKeyring(List<Age.Unwrapper> ageIdentities, List<String> ageSources, List<PGPSecretKeyRingCollection> pgpKeys,
            List<String> pgpSources) {
        this.ageIdentities = ageIdentities;
        this.ageSources = ageSources;
        this.pgpKeys = pgpKeys;
        this.pgpSources = pgpSources;
    }

    private SopsKeyring withAge(List<Age.Unwrapper> added, String source) {
        List<Age.Unwrapper> identities = new ArrayList<>(ageIdentities);
        List<String> sources = new ArrayList<>(ageSources);
        for (Age.Unwrapper identity : added) {
            identities.add(identity);
            sources.add(source);
        }
        return new SopsKeyring(Collections.unmodifiableList(identities), Collections.unmodifiableList(sources), pgpKeys, pgpSources);
    }

    public static SopsKeyring empty() {
        return EMPTY;
    }

    /**
     * Adds the identities of an age identity file: "AGE-SECRET-KEY-1…" (X25519) and "AGE-SECRET-KEY-PQ-1…"
     * (post-quantum hybrid) lines, '#' comments. A line Vigil cannot use fails with
     * {@link SopsException.ErrorClass#KEY_UNSUPPORTED}, naming the line and the kind of key seen (never the key).
     */
    public SopsKeyring withAgeIdentities(String identityFile, String source) throws SopsException {
        if (identityFile.strip().startsWith(Age.ARMOR_HEADER)) {
            throw SopsException.keyUnsupported(source + " is a passphrase-protected age identity file; unlock it with its passphrase");
        }
        List<Age.Unwrapper> identities = new ArrayList<>();
        int line = 0;
        for (String raw : identityFile.split("\n")) {
            line++;
            String text = raw.strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            for (String word : text.split("\\s+")) {
                identities.add(ageIdentity(word, line, source));
            }
        }
        return withAge(identities, source);
    }

    private static Age.Unwrapper ageIdentity(String word, int line, String source) throws SopsException {
        String upper = word.toUpperCase(java.util.Locale.ROOT);
        boolean hybrid = upper.startsWith("AGE-SECRET-KEY-PQ-1");
        if (hybrid || upper.startsWith("AGE-SECRET-KEY-1")) {
            try {
                return hybrid ? AgeHybrid.parseIdentity(word) : Age.parseIdentity(word);
            } catch (IllegalArgumentException e) {
                throw SopsException.keyUnsupported("line " + line + " of " + source + ": an "
                        + (hybrid ? "AGE-SECRET-KEY-PQ-1… (post-quantum hybrid)" : "AGE-SECRET-KEY-1… (X25519)")
                        + " identity with a bad length, case or checksum");
            }
        }
        throw SopsException.keyUnsupported("line " + line + " of " + source + ": " + KeyKinds.describe(word)
                + " is not an age identity Vigil can use (supported: AGE-SECRET-KEY-1…, AGE-SECRET-KEY-PQ-1…)");
    }

    /** Adds the identities of a passphrase-protected (scrypt) age identity file. */
    public SopsKeyring withPassphraseProtectedAgeIdentities(String armored, char[] passphrase, String source) throws SopsException {
        byte[] clear;
        try {
            clear = Age.decryptWithPassphrase(Age.dearmor(armored), passphrase);
        } catch (Exception e) {
            throw SopsException.keyUnsupported(source + " cannot be unlocked with the given passphrase");
        }
        return withAgeIdentities(new String(clear, java.nio.charset.StandardCharsets.UTF_8), source);
    }

    /** Adds an unencrypted OpenSSH Ed25519 private key, usable for age's ssh-ed25519 recipients. */
    public SopsKeyring withSshEd25519Key(String openSshPrivateKey, String source) throws SopsException {
        try {
            return withAge(List.of(SshEd25519Identity.parse(openSshPrivateKey)), source);
        } catch (RuntimeException e) {
            throw SopsException.keyUnsupported(source + " is not an unencrypted OpenSSH Ed25519 private key ("
                    + e.getMessage() + ")");
        }
    }

    /** Adds armored, unprotected OpenPGP secret keys. */
    public SopsKeyring withPgpSecretKeys(String armored, String source) throws SopsException {
        try {
            List<PGPSecretKeyRingCollection> keys = new ArrayList<>(pgpKeys);
            keys.add(Pgp.parseSecretKeys(armored));
            List<String> sources = new ArrayList<>(pgpSources);
            sources.add(source);
            return new SopsKeyring(ageIdentities, ageSources, Collections.unmodifiableList(keys), Collections.unmodifiableList(sources));
        } catch (Exception e) {
            throw SopsException.keyUnsupported(source + " is not an armored, unprotected OpenPGP secret key");
        }
    }

    /** Loads a key file of either kind, recognised by its content. */
    public SopsKeyring withKeyFile(String content, String source) throws SopsException {
        if (content.contains("-----BEGIN PGP PRIVATE KEY BLOCK-----")) {
            return withPgpSecretKeys(content, source);
        }
        if (content.contains("-----BEGIN OPENSSH PRIVATE KEY-----")) {
            return withSshEd25519Key(content, source);
        }
        return withAgeIdentities(content, source);
    }

    /** Age recipients and PGP fingerprints of the keys held; never secret material. */
    public List<String> describe() {
        List<String> out = new ArrayList<>();
        ageIdentities.forEach(i -> out.add(i.recipient()));
        pgpKeys.forEach(k -> out.addAll(Pgp.fingerprints(k)));
        return out;
    }

    List<Age.Unwrapper> ageIdentities() {
        return ageIdentities;
    }

    List<PGPSecretKeyRingCollection> pgpKeys() {
        return pgpKeys;
    }

    String ageSource(int index) {
        return ageSources.get(index);
    }

    String pgpSource(int index) {
        return pgpSources.get(index);
    }

    @Override
    public String toString() {
        return "SopsKeyring" + describe();
    }
}
