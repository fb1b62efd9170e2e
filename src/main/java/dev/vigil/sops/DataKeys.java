package dev.vigil.sops;

import dev.vigil.sops.SopsException.ErrorClass;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Recovers the data key from the key groups: every key of a group is tried; Shamir across groups. */
final class DataKeys {

    record Recovered(byte[] key, List<String> openedBy) {
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
        Set<String> tried = new LinkedHashSet<>();
        for (Metadata.KeyGroup group : metadata.groups()) {
            Unwrapped part = unwrap(group, keyring, tried);
            if (part != null) {
                parts.add(part.bytes());
                openedBy.add(part.by());
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
                        + metadata.shamirThreshold() + " Shamir parts needed; tried " + String.join(", ", tried)
                        + "; keys available: " + keyring.describe());
            }
            key = Shamir.combine(parts);
        }
        if (key.length != 32) {
            throw new SopsException(ErrorClass.DATA_KEY_UNAVAILABLE, "recovered data key has " + key.length + " bytes, not 32");
        }
        return new Recovered(key, openedBy);
    }

    private record Unwrapped(byte[] bytes, String by) {
    }

    private static Unwrapped unwrap(Metadata.KeyGroup group, SopsKeyring keyring, Set<String> tried) {
        for (Metadata.AgeStanza age : group.age()) {
            tried.add(age.recipient().isEmpty() ? "age recipient" : age.recipient());
            if (keyring.ageIdentities().isEmpty()) {
                continue;
            }
            try {
                byte[] file = Age.dearmor(age.enc());
                for (Age.Unwrapper identity : keyring.ageIdentities()) {
                    byte[] part = Age.decrypt(file, List.of(identity));
                    if (part != null) {
                        return new Unwrapped(part, identity.recipient());
                    }
                }
            } catch (Exception e) {
                // A corrupt wrapped key falls through to the next key of the group, as sops does.
            }
        }
        for (Metadata.PgpStanza pgp : group.pgp()) {
            tried.add(pgp.fingerprint().isEmpty() ? "pgp key" : "pgp " + pgp.fingerprint());
            if (keyring.pgpKeys().isEmpty()) {
                continue;
            }
            try {
                Pgp.Opened opened = Pgp.decrypt(pgp.enc(), keyring.pgpKeys());
                if (opened != null) {
                    return new Unwrapped(opened.data(), opened.fingerprint());
                }
            } catch (Exception e) {
                // as above
            }
        }
        group.unsupported().forEach(type -> tried.add(type + " (not supported by Vigil)"));
        return null;
    }

    private static SopsException unavailable(Set<String> tried, SopsKeyring keyring) {
        return new SopsException(ErrorClass.DATA_KEY_UNAVAILABLE, "no available key opens the data key; document recipients: "
                + String.join(", ", tried) + "; keys available: " + (keyring.describe().isEmpty() ? "none" : keyring.describe()));
    }
}
