package dev.vigil.sops;

import dev.vigil.sops.SopsException.ErrorClass;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Recovers the data key from the key groups: every key of a group is tried; Shamir across groups. */
final class DataKeys {

    /** Recipients listed in a "no key" message; a document may list hundreds, a status message must stay short. */
    static final int MAX_LISTED = 8;

    /** The data key, and per key group that opened: the recipient/fingerprint and the keyring source of the key. */
    record Recovered(byte[] key, List<String> openedBy, List<String> sources) {
    }

    private DataKeys() {
    }

    /** The data key and, per key group, the part that group wraps (null where no key given opens it). */
    record GroupParts(byte[] key, List<byte[]> parts) {
    }

    /** What rekeying needs: the data key and each opened group's part, to wrap it for new recipients. */
    static GroupParts recoverGroups(Metadata metadata, SopsKeyring keyring) throws SopsException {
        List<byte[]> parts = new ArrayList<>();
        Set<String> tried = new LinkedHashSet<>();
        for (Metadata.KeyGroup group : metadata.groups()) {
            Unwrapped part = unwrap(group, keyring, tried);
            parts.add(part == null ? null : part.bytes());
        }
        return new GroupParts(recover(metadata, keyring).key(), parts);
    }

    static Recovered recover(Metadata metadata, SopsKeyring keyring) throws SopsException {
        List<byte[]> parts = new ArrayList<>();
        List<String> openedBy = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        Set<String> tried = new LinkedHashSet<>();
        for (Metadata.KeyGroup group : metadata.groups()) {
            Unwrapped part = unwrap(group, keyring, tried);
            if (part != null) {
                parts.add(part.bytes());
                openedBy.add(part.by());
                sources.add(part.source());
            }
        }
        byte[] key;
        if (metadata.groups().size() == 1) {
            if (parts.isEmpty()) {
                throw unavailable(tried, keyring);
            }
            key = parts.get(0);
        } else {
            if (parts.size() < Math.max(2, metadata.shamirThreshold())) {
                throw new SopsException(ErrorClass.DATA_KEY_UNAVAILABLE, "recovered " + parts.size() + " of the "
                        + metadata.shamirThreshold() + " Shamir parts needed; tried " + listed(tried)
                        + "; keys available: " + listed(keyring.describe()));
            }
            key = Shamir.combine(parts);
        }
        if (key.length != 32) {
            throw new SopsException(ErrorClass.DATA_KEY_UNAVAILABLE, "recovered data key has " + key.length + " bytes, not 32");
        }
        return new Recovered(key, openedBy, sources);
    }

    private record Unwrapped(byte[] bytes, String by, String source) {
    }

    /**
     * Tries the keyring's keys in keyring order, each against every stanza of its kind, so that when several
     * keys could open a group the first one added wins (the operator adds namespace-restricted keys first).
     */
    private static Unwrapped unwrap(Metadata.KeyGroup group, SopsKeyring keyring, Set<String> tried) {
        List<byte[]> ageFiles = new ArrayList<>();
        for (Metadata.AgeStanza age : group.age()) {
            tried.add(age.recipient().isEmpty() ? "age recipient" : age.recipient());
            if (keyring.ageIdentities().isEmpty()) {
                continue;
            }
            try {
                ageFiles.add(Age.dearmor(age.enc()));
            } catch (RuntimeException e) {
                // A corrupt wrapped key falls through to the next key of the group, as sops does.
            }
        }
        List<Age.Unwrapper> identities = keyring.ageIdentities();
        for (int i = 0; i < identities.size(); i++) {
            for (byte[] file : ageFiles) {
                try {
                    byte[] part = Age.decrypt(file, List.of(identities.get(i)));
                    if (part != null) {
                        return new Unwrapped(part, identities.get(i).recipient(), keyring.ageSource(i));
                    }
                } catch (Exception e) {
                    // as above
                }
            }
        }
        for (Metadata.PgpStanza pgp : group.pgp()) {
            tried.add(pgp.fingerprint().isEmpty() ? "pgp key" : "pgp " + pgp.fingerprint());
        }
        for (int i = 0; i < keyring.pgpKeys().size(); i++) {
            for (Metadata.PgpStanza pgp : group.pgp()) {
                try {
                    Pgp.Opened opened = Pgp.decrypt(pgp.enc(), List.of(keyring.pgpKeys().get(i)));
                    if (opened != null) {
                        return new Unwrapped(opened.data(), opened.fingerprint(), keyring.pgpSource(i));
                    }
                } catch (Exception e) {
                    // as above
                }
            }
        }
        group.unsupported().forEach(type -> tried.add(type + " (not supported by Vigil)"));
        return null;
    }

    private static SopsException unavailable(Set<String> tried, SopsKeyring keyring) {
        return new SopsException(ErrorClass.DATA_KEY_UNAVAILABLE, "no available key opens the data key; document recipients: "
                + listed(tried) + "; keys available: " + (keyring.describe().isEmpty() ? "none" : listed(keyring.describe())));
    }

    /** The first few entries and how many more, so a message stays readable whatever the document lists. */
    static String listed(java.util.Collection<String> items) {
        List<String> all = List.copyOf(items);
        if (all.size() <= MAX_LISTED) {
            return String.join(", ", all);
        }
        return String.join(", ", all.subList(0, MAX_LISTED)) + " and " + (all.size() - MAX_LISTED) + " more";
    }
}
