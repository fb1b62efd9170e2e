package dev.vigil.sops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSecretKeyRingCollection;
import org.junit.jupiter.api.Test;

/**
 * OpenPGP data keys with the gpg-made test key of the fixtures: seal to its public half (what {@code vigil seal}
 * does for a PGP recipient), open with its secret half, and the fingerprints sops records.
 */
class PgpTest {

    static PGPSecretKeyRingCollection devKeys() throws Exception {
        return Pgp.parseSecretKeys(new String(FixtureCasesTest.resource("keys/pgp-dev-rsa.sec.asc"), StandardCharsets.US_ASCII));
    }

    static byte[] armoredPublicKey(PGPSecretKeyRingCollection keys) throws Exception {
        PGPSecretKeyRing ring = keys.getKeyRings().next();
        List<PGPPublicKey> publicKeys = new ArrayList<>();
        for (Iterator<PGPPublicKey> it = ring.getPublicKeys(); it.hasNext(); ) {
            publicKeys.add(it.next());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ArmoredOutputStream armored = new ArmoredOutputStream(out)) {
            new PGPPublicKeyRing(publicKeys).encode(armored);
        }
        return out.toByteArray();
    }

    @Test
    void sealedToThePublicKeyOpensWithTheSecretKey() throws Exception {
        PGPSecretKeyRingCollection keys = devKeys();
        List<String> fingerprints = Pgp.fingerprints(keys);
        assertThat(fingerprints).hasSize(1);
        assertThat(fingerprints.get(0)).matches("[0-9A-F]{40}");
        byte[] dataKey = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        Pgp.Sealed sealed = Pgp.encrypt(dataKey, armoredPublicKey(keys));
        assertThat(sealed.fingerprint()).isEqualTo(fingerprints.get(0));
        assertThat(sealed.armored()).startsWith("-----BEGIN PGP MESSAGE-----");
        Pgp.Opened opened = Pgp.decrypt(sealed.armored(), List.of(keys));
        assertThat(opened.data()).isEqualTo(dataKey);
        assertThat(opened.fingerprint()).isEqualTo(fingerprints.get(0));
        // Sealed to the encryption subkey, reported under the primary key's fingerprint (as sops records fp).
        PGPSecretKeyRing ring = keys.getKeyRings().next();
        long subkey = 0;
        for (Iterator<PGPPublicKey> it = ring.getPublicKeys(); it.hasNext(); ) {
            PGPPublicKey k = it.next();
            if (!k.isMasterKey()) {
                subkey = k.getKeyID();
            }
        }
        assertThat(Pgp.primaryFingerprint(keys, subkey)).isEqualTo(fingerprints.get(0));
        assertThat(Pgp.primaryFingerprint(keys, 42L)).isNull();
    }

    @Test
    void aKeyringThatDoesNotHoldTheKeyOpensNothing() throws Exception {
        PGPSecretKeyRingCollection keys = devKeys();
        Pgp.Sealed sealed = Pgp.encrypt(new byte[32], armoredPublicKey(keys));
        assertThat(Pgp.decrypt(sealed.armored(), List.of())).isNull();
    }

    @Test
    void refusals() throws Exception {
        // Text that holds no key packet at all: no key to encrypt to.
        assertThatThrownBy(() -> Pgp.encrypt(new byte[32], "not a key".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(SopsException.class).hasMessage("the PGP public key has no encryption key");
        // A secret key where a public key belongs is not read as one.
        assertThatThrownBy(() -> Pgp.encrypt(new byte[32], FixtureCasesTest.resource("keys/pgp-dev-rsa.sec.asc")))
                .isInstanceOf(SopsException.class).hasMessage("not an armored OpenPGP public key");
    }
}
