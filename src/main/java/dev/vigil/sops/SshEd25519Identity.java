package dev.vigil.sops;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * An OpenSSH Ed25519 key used as an age identity (the ssh-ed25519 stanza): the Ed25519 seed gives an
 * X25519 scalar, the public key a Montgomery point, and a tweak derived from the SSH public key.
 */
final class SshEd25519Identity implements Age.Unwrapper {

    static final String KEY_TYPE = "ssh-ed25519";
    private static final String INFO = "age-encryption.org/v1/ssh-ed25519";
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();
    private static final BigInteger P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));

    private final byte[] scalar;
    private final byte[] montgomeryU;
    private final byte[] sshPublicKey;
    private final byte[] tag;
    private final String recipient;

    private SshEd25519Identity(byte[] seed, byte[] edPublic) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-512").digest(seed);
            this.scalar = Arrays.copyOf(hash, 32);
            scalar[0] &= (byte) 248;
            scalar[31] &= 127;
            scalar[31] |= 64;
            this.sshPublicKey = wire("ssh-ed25519".getBytes(StandardCharsets.US_ASCII), edPublic);
            this.tag = Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(sshPublicKey), 4);
            this.montgomeryU = montgomery(edPublic);
            this.recipient = "ssh-ed25519 " + Base64.getEncoder().encodeToString(sshPublicKey);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses an unencrypted "openssh-key-v1" private key holding one Ed25519 key. */
    static SshEd25519Identity parse(String pem) {
        String body = pem.replace("-----BEGIN OPENSSH PRIVATE KEY-----", "").replace("-----END OPENSSH PRIVATE KEY-----", "")
                .replaceAll("\\s", "");
        ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(body));
        byte[] magic = new byte[15];
        b.get(magic);
        if (!new String(magic, StandardCharsets.US_ASCII).equals("openssh-key-v1\0")) {
            throw new IllegalArgumentException("not an OpenSSH private key");
        }
        String cipher = string(b);
        String kdf = string(b);
        bytes(b);
        if (!cipher.equals("none") || !kdf.equals("none")) {
            throw new IllegalArgumentException("passphrase-protected OpenSSH keys are not supported");
        }
        if (b.getInt() != 1) {
            throw new IllegalArgumentException("exactly one key expected");
        }
        bytes(b);
        ByteBuffer priv = ByteBuffer.wrap(bytes(b));
        if (priv.getInt() != priv.getInt()) {
            throw new IllegalArgumentException("corrupt OpenSSH private key");
        }
        if (!string(priv).equals("ssh-ed25519")) {
            throw new IllegalArgumentException("not an Ed25519 key");
        }
        byte[] publicKey = bytes(priv);
        byte[] secret = bytes(priv);
        if (publicKey.length != 32 || secret.length != 64) {
            throw new IllegalArgumentException("corrupt Ed25519 key");
        }
        return new SshEd25519Identity(Arrays.copyOf(secret, 32), publicKey);
    }

    /**
     * Wraps a file key for an ssh-ed25519 recipient ("ssh-ed25519 AAAA… [comment]"), as age does: an
     * ephemeral X25519 share, the shared secret tweaked by a key derived from the SSH public key.
     */
    static Age.Stanza wrap(byte[] fileKey, String recipient) throws InvalidCipherTextException {
        String[] words = recipient.trim().split("\\s+");
        if (words.length < 2 || !words[0].equals(KEY_TYPE)) {
            throw new IllegalArgumentException("not an ssh-ed25519 recipient");
        }
        byte[] sshPublicKey = Base64.getDecoder().decode(words[1]);
        ByteBuffer b = ByteBuffer.wrap(sshPublicKey);
        if (!string(b).equals(KEY_TYPE)) {
            throw new IllegalArgumentException("not an ssh-ed25519 public key");
        }
        byte[] edPublic = bytes(b);
        if (edPublic.length != 32 || b.hasRemaining()) {
            throw new IllegalArgumentException("corrupt ssh-ed25519 public key");
        }
        try {
            byte[] tag = Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(sshPublicKey), 4);
            byte[] montgomeryU = montgomery(edPublic);
            byte[] ephemeral = new byte[32];
            RANDOM.nextBytes(ephemeral);
            byte[] share = new byte[32];
            X25519.scalarMultBase(ephemeral, 0, share, 0);
            byte[] first = new byte[32];
            X25519.scalarMult(ephemeral, 0, montgomeryU, 0, first, 0);
            byte[] tweak = Age.hkdf(new byte[0], sshPublicKey, INFO);
            byte[] shared = new byte[32];
            X25519.scalarMult(tweak, 0, first, 0, shared, 0);
            byte[] wrapKey = Age.hkdf(shared, Age.concat(share, montgomeryU), INFO);
            return new Age.Stanza(KEY_TYPE, java.util.List.of(Age.rawBase64(tag), Age.rawBase64(share)),
                    Age.chachaSeal(wrapKey, new byte[12], fileKey));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public byte[] unwrap(Age.Stanza stanza) {
        if (!stanza.type().equals("ssh-ed25519") || stanza.args().size() != 2 || stanza.body().length != 32) {
            return null;
        }
        try {
            if (!Arrays.equals(Age.rawBase64(stanza.args().get(0)), tag)) {
                return null;
            }
            byte[] share = Age.rawBase64(stanza.args().get(1));
            if (share.length != 32) {
                return null;
            }
            byte[] tweak = Age.hkdf(new byte[0], sshPublicKey, INFO);
            byte[] first = new byte[32];
            X25519.scalarMult(scalar, 0, share, 0, first, 0);
            byte[] shared = new byte[32];
            X25519.scalarMult(tweak, 0, first, 0, shared, 0);
            if (Arrays.equals(shared, new byte[32])) {
                return null;
            }
            byte[] wrapKey = Age.hkdf(shared, Age.concat(share, montgomeryU), INFO);
            return Age.chachaOpen(wrapKey, new byte[12], stanza.body());
        } catch (IllegalArgumentException | InvalidCipherTextException e) {
            return null;
        }
    }

    @Override
    public String recipient() {
        return recipient;
    }

    /** u = (1 + y) / (1 - y) mod p, from the little-endian Edwards y coordinate. */
    private static byte[] montgomery(byte[] edPublic) {
        byte[] be = new byte[32];
        for (int i = 0; i < 32; i++) {
            be[i] = edPublic[31 - i];
        }
        be[0] &= 0x7f;
        BigInteger y = new BigInteger(1, be);
        BigInteger u = BigInteger.ONE.add(y).multiply(BigInteger.ONE.subtract(y).mod(P).modInverse(P)).mod(P);
        byte[] out = new byte[32];
        byte[] raw = u.toByteArray();
        for (int i = 0; i < 32 && i < raw.length; i++) {
            out[i] = raw[raw.length - 1 - i];
        }
        return out;
    }

    private static byte[] wire(byte[]... parts) {
        int length = 0;
        for (byte[] p : parts) {
            length += 4 + p.length;
        }
        ByteBuffer b = ByteBuffer.allocate(length);
        for (byte[] p : parts) {
            b.putInt(p.length).put(p);
        }
        return b.array();
    }

    private static byte[] bytes(ByteBuffer b) {
        int n = b.getInt();
        if (n < 0 || n > b.remaining()) {
            throw new IllegalArgumentException("corrupt OpenSSH key");
        }
        byte[] out = new byte[n];
        b.get(out);
        return out;
    }

    private static String string(ByteBuffer b) {
        return new String(bytes(b), StandardCharsets.US_ASCII);
    }

    @Override
    public String toString() {
        return "SshEd25519Identity[" + recipient + "]";
    }
}
