package dev.vigil.sops;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.bouncycastle.openpgp.PGPSecretKeyRingCollection;

/**
 * Private keys that can open documents: age X25519 identities and OpenPGP secret keys. Immutable;
 * {@link #describe()} lists only public identifiers.
 */
public final class SopsKeyring {

    private static final SopsKeyring EMPTY = new SopsKeyring(List.of(), List.of());

    private final List<Age.Identity> ageIdentities;
    private final List<PGPSecretKeyRingCollection> pgpKeys;

    private SopsKeyring(List<Age.Identity> ageIdentities, List<PGPSecretKeyRingCollection> pgpKeys) {
        this.ageIdentities = ageIdentities;
        this.pgpKeys = pgpKeys;
    }

    public static SopsKeyring empty() {
        return EMPTY;
    }

    /** Adds the identities of an age identity file ("AGE-SECRET-KEY-1…" lines, '#' comments). */
    public SopsKeyring withAgeIdentities(String identityFile, String source) throws SopsException {
        List<Age.Identity> identities = new ArrayList<>(ageIdentities);
        int line = 0;
        for (String raw : identityFile.split("\n")) {
            line++;
            String text = raw.strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            for (String word : text.split("\\s+")) {
                try {
                    identities.add(Age.parseIdentity(word));
                } catch (IllegalArgumentException e) {
                    throw SopsException.invalid("line " + line + " of " + source + " is not an age identity");
                }
            }
        }
        return new SopsKeyring(Collections.unmodifiableList(identities), pgpKeys);
    }

    /** Adds armored, unprotected OpenPGP secret keys. */
    public SopsKeyring withPgpSecretKeys(String armored, String source) throws SopsException {
        try {
            List<PGPSecretKeyRingCollection> keys = new ArrayList<>(pgpKeys);
            keys.add(Pgp.parseSecretKeys(armored));
            return new SopsKeyring(ageIdentities, Collections.unmodifiableList(keys));
        } catch (Exception e) {
            throw SopsException.invalid(source + " is not an armored OpenPGP secret key");
        }
    }

    /** Loads a key file of either kind, recognised by its content. */
    public SopsKeyring withKeyFile(String content, String source) throws SopsException {
        return content.contains("-----BEGIN PGP PRIVATE KEY BLOCK-----")
                ? withPgpSecretKeys(content, source)
                : withAgeIdentities(content, source);
    }

    /** Age recipients and PGP fingerprints of the keys held; never secret material. */
    public List<String> describe() {
        List<String> out = new ArrayList<>();
        ageIdentities.forEach(i -> out.add(i.recipient()));
        pgpKeys.forEach(k -> out.addAll(Pgp.fingerprints(k)));
        return out;
    }

    List<Age.Identity> ageIdentities() {
        return ageIdentities;
    }

    List<PGPSecretKeyRingCollection> pgpKeys() {
        return pgpKeys;
    }

    @Override
    public String toString() {
        return "SopsKeyring" + describe();
    }
}
