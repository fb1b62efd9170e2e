package dev.vigil.sops;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.SecretWithEncapsulation;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA3Digest;
import org.bouncycastle.crypto.digests.SHAKEDigest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.bouncycastle.pqc.crypto.mlkem.MLKEMExtractor;
import org.bouncycastle.pqc.crypto.mlkem.MLKEMGenerator;
import org.bouncycastle.pqc.crypto.mlkem.MLKEMParameters;
import org.bouncycastle.pqc.crypto.mlkem.MLKEMPrivateKeyParameters;
import org.bouncycastle.pqc.crypto.mlkem.MLKEMPublicKeyParameters;

/**
 * age's post-quantum hybrid recipient type (C2SP age, {@code mlkem768x25519}): the KEM is X-Wing
 * (ML-KEM-768 + X25519, draft-connolly-cfrg-xwing-kem, HPKE KEM id 0x647a) and the file key is sealed
 * with HPKE base mode (HKDF-SHA256, ChaCha20-Poly1305) under the info string
 * {@code age-encryption.org/mlkem768x25519}, empty AAD, first sequence number. An identity
 * ({@code AGE-SECRET-KEY-PQ-1…}) is the 32-byte X-Wing seed; a recipient ({@code age1pq1…}) the 1216-byte
 * encapsulation key, Bech32 without the 90-character limit.
 */
final class AgeHybrid {

    static final String STANZA_TYPE = "mlkem768x25519";
    static final String IDENTITY_HRP = "age-secret-key-pq-";
    static final String RECIPIENT_HRP = "age1pq";
    static final int SEED_BYTES = 32;
    static final int PUBLIC_KEY_BYTES = 1216;
    static final int CIPHERTEXT_BYTES = 1120;
    private static final int MLKEM_PUBLIC_BYTES = 1184;
    private static final int MLKEM_CIPHERTEXT_BYTES = 1088;
    /** X-Wing's combiner label, the six ASCII characters {@code \.//^\}. */
    private static final byte[] XWING_LABEL = {0x5c, 0x2e, 0x2f, 0x2f, 0x5e, 0x5c};
    private static final byte[] HPKE_INFO = "age-encryption.org/mlkem768x25519".getBytes(StandardCharsets.US_ASCII);
    /** "HPKE" || KEM 0x647a (X-Wing) || KDF 0x0001 (HKDF-SHA256) || AEAD 0x0003 (ChaCha20-Poly1305). */
    private static final byte[] HPKE_SUITE = {'H', 'P', 'K', 'E', 0x64, 0x7a, 0x00, 0x01, 0x00, 0x03};
    private static final SecureRandom RANDOM = new SecureRandom();

    private AgeHybrid() {
    }

    /** A hybrid identity: the seed and what it expands to. Never printed: toString names the recipient only. */
    static final class Identity implements Age.Unwrapper {
        private final MLKEMPrivateKeyParameters mlkem;
        private final byte[] x25519Secret;
        private final byte[] publicKey;

        private Identity(byte[] seed) {
            byte[] expanded = new byte[96];
            SHAKEDigest shake = new SHAKEDigest(256);
            shake.update(seed, 0, seed.length);
            shake.doFinal(expanded, 0, expanded.length);
            this.mlkem = new MLKEMPrivateKeyParameters(MLKEMParameters.ml_kem_768, Arrays.copyOf(expanded, 64));
            this.x25519Secret = Arrays.copyOfRange(expanded, 64, 96);
            byte[] x25519Public = new byte[32];
            X25519.scalarMultBase(x25519Secret, 0, x25519Public, 0);
            this.publicKey = Age.concat(mlkem.getPublicKey(), x25519Public);
        }

        byte[] publicKey() {
            return publicKey.clone();
        }

        @Override
        public String recipient() {
            return Bech32.encode(RECIPIENT_HRP, publicKey);
        }

        @Override
        public byte[] unwrap(Age.Stanza stanza) {
            if (!stanza.type().equals(STANZA_TYPE) || stanza.args().size() != 1 || stanza.body().length != 32) {
                return null;
            }
            try {
                byte[] ciphertext = Age.rawBase64(stanza.args().get(0));
                if (ciphertext.length != CIPHERTEXT_BYTES) {
                    return null;
                }
                byte[] shared = decapsulate(ciphertext);
                Hpke.Context context = Hpke.context(shared);
                return Age.chachaOpen(context.key(), context.nonce(), stanza.body());
            } catch (IllegalArgumentException | InvalidCipherTextException e) {
                return null;
            }
        }

        /** X-Wing Decapsulate: ML-KEM-768 (implicit rejection) and X25519, combined with SHA3-256. */
        byte[] decapsulate(byte[] ciphertext) {
            byte[] mlkemShared = new MLKEMExtractor(mlkem).extractSecret(Arrays.copyOf(ciphertext, MLKEM_CIPHERTEXT_BYTES));
            byte[] ephemeral = Arrays.copyOfRange(ciphertext, MLKEM_CIPHERTEXT_BYTES, CIPHERTEXT_BYTES);
            byte[] x25519Shared = new byte[32];
            X25519.scalarMult(x25519Secret, 0, ephemeral, 0, x25519Shared, 0);
            return combine(mlkemShared, x25519Shared, ephemeral, Arrays.copyOfRange(publicKey, MLKEM_PUBLIC_BYTES, PUBLIC_KEY_BYTES));
        }

        @Override
        public String toString() {
            String r = recipient();
            return "AgeHybrid.Identity[" + r.substring(0, 16) + "…]";
        }
    }

    static Identity identityFromSeed(byte[] seed) {
        if (seed.length != SEED_BYTES) {
            throw new IllegalArgumentException("an X-Wing seed has 32 bytes");
        }
        return new Identity(seed);
    }

    static Identity parseIdentity(String text) {
        Bech32.Decoded decoded = Bech32.decode(text.trim());
        if (!decoded.hrp().equals(IDENTITY_HRP) || decoded.data().length != SEED_BYTES) {
            throw new IllegalArgumentException("not an age post-quantum hybrid identity");
        }
        return new Identity(decoded.data());
    }

    static byte[] parseRecipient(String recipient) {
        String trimmed = recipient.trim();
        if (!trimmed.startsWith(RECIPIENT_HRP + "1")) {
            throw new IllegalArgumentException("not an age post-quantum hybrid recipient");
        }
        Bech32.Decoded decoded = Bech32.decode(trimmed);
        if (!decoded.hrp().equals(RECIPIENT_HRP) || decoded.data().length != PUBLIC_KEY_BYTES) {
            throw new IllegalArgumentException("not an age post-quantum hybrid recipient");
        }
        return decoded.data();
    }

    static boolean isRecipient(String text) {
        return text.trim().startsWith(RECIPIENT_HRP + "1");
    }

    /** The stanza wrapping {@code fileKey} for the hybrid recipient {@code publicKey}. */
    static Age.Stanza wrap(byte[] fileKey, byte[] publicKey) throws InvalidCipherTextException {
        byte[] eseed = new byte[64];
        RANDOM.nextBytes(eseed);
        Encapsulated encapsulated = encapsulate(publicKey, eseed);
        Hpke.Context context = Hpke.context(encapsulated.shared());
        byte[] body = Age.chachaSeal(context.key(), context.nonce(), fileKey);
        return new Age.Stanza(STANZA_TYPE, java.util.List.of(Age.rawBase64(encapsulated.ciphertext())), body);
    }

    record Encapsulated(byte[] ciphertext, byte[] shared) {
    }

    /** X-Wing Encapsulate with explicit randomness: 32 bytes for ML-KEM's m, 32 for the X25519 ephemeral. */
    static Encapsulated encapsulate(byte[] publicKey, byte[] eseed) {
        if (publicKey.length != PUBLIC_KEY_BYTES || eseed.length != 64) {
            throw new IllegalArgumentException("bad X-Wing encapsulation input");
        }
        MLKEMPublicKeyParameters mlkemPublic = new MLKEMPublicKeyParameters(MLKEMParameters.ml_kem_768,
                Arrays.copyOf(publicKey, MLKEM_PUBLIC_BYTES));
        SecretWithEncapsulation mlkem = new MLKEMGenerator(RANDOM).internalGenerateEncapsulated(mlkemPublic,
                Arrays.copyOf(eseed, 32));
        byte[] x25519Public = Arrays.copyOfRange(publicKey, MLKEM_PUBLIC_BYTES, PUBLIC_KEY_BYTES);
        byte[] ephemeralSecret = Arrays.copyOfRange(eseed, 32, 64);
        byte[] ephemeral = new byte[32];
        X25519.scalarMultBase(ephemeralSecret, 0, ephemeral, 0);
        byte[] x25519Shared = new byte[32];
        X25519.scalarMult(ephemeralSecret, 0, x25519Public, 0, x25519Shared, 0);
        byte[] shared = combine(mlkem.getSecret(), x25519Shared, ephemeral, x25519Public);
        return new Encapsulated(Age.concat(mlkem.getEncapsulation(), ephemeral), shared);
    }

    private static byte[] combine(byte[] mlkemShared, byte[] x25519Shared, byte[] x25519Ciphertext, byte[] x25519Public) {
        SHA3Digest sha3 = new SHA3Digest(256);
        for (byte[] part : new byte[][] {mlkemShared, x25519Shared, x25519Ciphertext, x25519Public, XWING_LABEL}) {
            sha3.update(part, 0, part.length);
        }
        byte[] out = new byte[32];
        sha3.doFinal(out, 0);
        return out;
    }

    /** RFC 9180 base-mode key schedule for the one suite age uses (no PSK, empty AAD, sequence 0). */
    static final class Hpke {
        record Context(byte[] key, byte[] nonce) {
        }

        private Hpke() {
        }

        static Context context(byte[] sharedSecret) {
            byte[] pskIdHash = labeledExtract(new byte[0], "psk_id_hash", new byte[0]);
            byte[] infoHash = labeledExtract(new byte[0], "info_hash", HPKE_INFO);
            byte[] keyScheduleContext = new byte[1 + pskIdHash.length + infoHash.length];
            keyScheduleContext[0] = 0x00; // mode_base
            System.arraycopy(pskIdHash, 0, keyScheduleContext, 1, pskIdHash.length);
            System.arraycopy(infoHash, 0, keyScheduleContext, 1 + pskIdHash.length, infoHash.length);
            byte[] secret = labeledExtract(sharedSecret, "secret", new byte[0]);
            return new Context(labeledExpand(secret, "key", keyScheduleContext, 32),
                    labeledExpand(secret, "base_nonce", keyScheduleContext, 12));
        }

        /** LabeledExtract(salt, label, ikm) = HKDF-Extract(salt, "HPKE-v1" || suite || label || ikm). */
        private static byte[] labeledExtract(byte[] salt, String label, byte[] ikm) {
            byte[] labeled = concat("HPKE-v1".getBytes(StandardCharsets.US_ASCII), HPKE_SUITE,
                    label.getBytes(StandardCharsets.US_ASCII), ikm);
            // HKDF-Extract with an empty salt uses HashLen zero bytes, which HMAC pads to the same key.
            return Age.hmac(salt.length == 0 ? new byte[32] : salt, labeled);
        }

        /** LabeledExpand(prk, label, info, L) = HKDF-Expand(prk, I2OSP(L, 2) || "HPKE-v1" || suite || label || info, L). */
        private static byte[] labeledExpand(byte[] prk, String label, byte[] info, int length) {
            byte[] labeled = concat(new byte[] {(byte) (length >> 8), (byte) length}, "HPKE-v1".getBytes(StandardCharsets.US_ASCII),
                    HPKE_SUITE, label.getBytes(StandardCharsets.US_ASCII), info);
            // length <= 32: a single HKDF-Expand block T(1) = HMAC(prk, info || 0x01)
            return Arrays.copyOf(Age.hmac(prk, concat(labeled, new byte[] {1})), length);
        }

        private static byte[] concat(byte[]... parts) {
            int length = 0;
            for (byte[] p : parts) {
                length += p.length;
            }
            byte[] out = new byte[length];
            int offset = 0;
            for (byte[] p : parts) {
                System.arraycopy(p, 0, out, offset, p.length);
                offset += p.length;
            }
            return out;
        }
    }
}
