package dev.vigil.sops;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * The age v1 format (C2SP age) as far as sops uses it: armored files holding a data key; X25519,
 * post-quantum hybrid ({@link AgeHybrid}) and ssh-ed25519 ({@link SshEd25519Identity}) recipients and
 * identities.
 */
final class Age {

    static final String ARMOR_HEADER = "-----BEGIN AGE ENCRYPTED FILE-----";
    static final String ARMOR_FOOTER = "-----END AGE ENCRYPTED FILE-----";
    private static final String VERSION_LINE = "age-encryption.org/v1";
    private static final String X25519_INFO = "age-encryption.org/v1/X25519";
    private static final int MAX_FILE = 64 * 1024;
    /** A post-quantum stanza's argument line is about 1,510 characters; age itself sets no limit. */
    private static final int MAX_HEADER_LINE = 4096;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Something that can unwrap a file key from a stanza, and names its public recipient. */
    interface Unwrapper {
        byte[] unwrap(Stanza stanza);

        String recipient();
    }

    /** An X25519 identity: secret scalar and its public key. */
    record Identity(byte[] secret, byte[] publicKey) implements Unwrapper {
        @Override
        public String recipient() {
            return Bech32.encode("age", publicKey);
        }

        @Override
        public byte[] unwrap(Stanza stanza) {
            return unwrapX25519(stanza, this);
        }

        @Override
        public String toString() {
            return "Identity[" + recipient() + "]";
        }
    }

    record Stanza(String type, List<String> args, byte[] body) {
    }

    private Age() {
    }

    static Identity parseIdentity(String text) {
        Bech32.Decoded decoded = Bech32.decode(text.trim());
        if (!decoded.hrp().equals("age-secret-key-") || decoded.data().length != 32) {
            throw new IllegalArgumentException("not an age X25519 identity");
        }
        byte[] publicKey = new byte[32];
        X25519.scalarMultBase(decoded.data(), 0, publicKey, 0);
        return new Identity(decoded.data(), publicKey);
    }

    static byte[] parseRecipient(String recipient) {
        Bech32.Decoded decoded = Bech32.decode(recipient.trim());
        if (!decoded.hrp().equals("age") || decoded.data().length != 32) {
            throw new IllegalArgumentException("not an age X25519 recipient");
        }
        return decoded.data();
    }

    /** Decodes the ASCII armor (or returns the input when it is a binary age file). */
    static byte[] dearmor(String text) {
        String trimmed = text.strip();
        if (trimmed.startsWith(VERSION_LINE)) {
            return trimmed.getBytes(StandardCharsets.ISO_8859_1);
        }
        String[] lines = trimmed.replace("\r\n", "\n").split("\n");
        if (lines.length < 2 || !lines[0].equals(ARMOR_HEADER) || !lines[lines.length - 1].equals(ARMOR_FOOTER)) {
            throw new IllegalArgumentException("not an armored age file");
        }
        StringBuilder body = new StringBuilder();
        for (int i = 1; i < lines.length - 1; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.length() > 64) {
                throw new IllegalArgumentException("malformed armor line");
            }
            body.append(line);
        }
        if (body.length() > MAX_FILE * 4 / 3) {
            throw new IllegalArgumentException("armored age file too large");
        }
        return Base64.getDecoder().decode(body.toString());
    }

    /** Opens an age file with any of the identities; returns null when none fits. */
    static byte[] decrypt(byte[] file, List<? extends Unwrapper> identities) throws InvalidCipherTextException {
        Header header = Header.parse(file);
        for (Unwrapper identity : identities) {
            for (Stanza stanza : header.stanzas()) {
                byte[] fileKey = identity.unwrap(stanza);
                if (fileKey == null) {
                    continue;
                }
                if (!header.macMatches(fileKey)) {
                    throw new InvalidCipherTextException("age header MAC mismatch");
                }
                return payload(fileKey, Arrays.copyOfRange(file, header.payloadOffset(), file.length));
            }
        }
        return null;
    }

    static byte[] unwrapX25519(Stanza stanza, Identity identity) {
        if (!stanza.type().equals("X25519") || stanza.args().size() != 1 || stanza.body().length != 32) {
            return null;
        }
        byte[] share = rawBase64(stanza.args().get(0));
        if (share.length != 32) {
            return null;
        }
        byte[] shared = new byte[32];
        X25519.scalarMult(identity.secret(), 0, share, 0, shared, 0);
        if (Arrays.equals(shared, new byte[32])) {
            return null;
        }
        byte[] wrapKey = hkdf(shared, concat(share, identity.publicKey()), X25519_INFO);
        try {
            return chachaOpen(wrapKey, new byte[12], stanza.body());
        } catch (InvalidCipherTextException e) {
            return null;
        }
    }

    /** Opens a passphrase-protected age file (a single scrypt stanza), e.g. an encrypted identity file. */
    static byte[] decryptWithPassphrase(byte[] file, char[] passphrase) throws InvalidCipherTextException {
        Header header = Header.parse(file);
        if (header.stanzas().size() != 1 || !header.stanzas().get(0).type().equals("scrypt")) {
            throw new InvalidCipherTextException("not a passphrase-protected age file");
        }
        Stanza stanza = header.stanzas().get(0);
        if (stanza.args().size() != 2 || stanza.body().length != 32) {
            throw new InvalidCipherTextException("malformed scrypt stanza");
        }
        byte[] salt = rawBase64(stanza.args().get(0));
        int logN = Integer.parseInt(stanza.args().get(1));
        if (salt.length != 16 || logN < 1 || logN > 22) {
            throw new InvalidCipherTextException("scrypt work factor out of range");
        }
        byte[] password = new String(passphrase).getBytes(StandardCharsets.UTF_8);
        byte[] key = org.bouncycastle.crypto.generators.SCrypt.generate(password,
                concat("age-encryption.org/v1/scrypt".getBytes(StandardCharsets.US_ASCII), salt), 1 << logN, 8, 1, 32);
        byte[] fileKey = chachaOpen(key, new byte[12], stanza.body());
        if (!header.macMatches(fileKey)) {
            throw new InvalidCipherTextException("age header MAC mismatch");
        }
        return payload(fileKey, Arrays.copyOfRange(file, header.payloadOffset(), file.length));
    }

    private static byte[] payload(byte[] fileKey, byte[] payload) throws InvalidCipherTextException {
        if (payload.length < 16 + 16) {
            throw new InvalidCipherTextException("age payload too short");
        }
        byte[] nonce = Arrays.copyOf(payload, 16);
        byte[] key = hkdf(fileKey, nonce, "payload");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int chunk = 64 * 1024 + 16;
        long counter = 0;
        for (int offset = 16; offset < payload.length; offset += chunk, counter++) {
            int end = Math.min(payload.length, offset + chunk);
            boolean last = end == payload.length;
            byte[] chunkNonce = new byte[12];
            for (int i = 0; i < 8; i++) {
                chunkNonce[10 - i] = (byte) (counter >>> (8 * i));
            }
            chunkNonce[11] = (byte) (last ? 1 : 0);
            out.writeBytes(chachaOpen(key, chunkNonce, Arrays.copyOfRange(payload, offset, end)));
        }
        return out.toByteArray();
    }

    /**
     * Encrypts a small payload (a data key) to age recipients, armored: X25519 ({@code age1…}),
     * post-quantum hybrid ({@code age1pq1…}) or ssh-ed25519 ({@code ssh-ed25519 AAAA…}). Like age, a
     * hybrid recipient is not mixed with classic ones in one file (that would let the classic stanza
     * undo the post-quantum protection); sops wraps the data key once per recipient anyway.
     */
    static String encrypt(byte[] plaintext, List<String> recipients) throws InvalidCipherTextException {
        long hybrid = recipients.stream().filter(AgeHybrid::isRecipient).count();
        if (hybrid > 0 && hybrid < recipients.size()) {
            throw new IllegalArgumentException("post-quantum and classic age recipients cannot share one age file");
        }
        byte[] fileKey = random(16);
        StringBuilder header = new StringBuilder(VERSION_LINE).append('\n');
        for (String recipient : recipients) {
            Stanza stanza = wrap(fileKey, recipient);
            header.append("->").append(' ').append(stanza.type());
            stanza.args().forEach(a -> header.append(' ').append(a));
            header.append('\n');
            String body = rawBase64(stanza.body());
            for (int i = 0; i <= body.length(); i += 64) {
                header.append(body, i, Math.min(body.length(), i + 64)).append('\n');
                if (i + 64 > body.length()) {
                    break;
                }
            }
        }
        header.append("---");
        byte[] mac = hmac(hkdf(fileKey, new byte[0], "header"), header.toString().getBytes(StandardCharsets.ISO_8859_1));
        header.append(' ').append(rawBase64(mac)).append('\n');
        byte[] nonce = random(16);
        byte[] payloadKey = hkdf(fileKey, nonce, "payload");
        byte[] chunkNonce = new byte[12];
        chunkNonce[11] = 1;
        byte[] sealed = chachaSeal(payloadKey, chunkNonce, plaintext);
        byte[] file = concat(concat(header.toString().getBytes(StandardCharsets.ISO_8859_1), nonce), sealed);
        String b64 = Base64.getEncoder().encodeToString(file);
        StringBuilder armored = new StringBuilder(ARMOR_HEADER).append('\n');
        for (int i = 0; i < b64.length(); i += 64) {
            armored.append(b64, i, Math.min(b64.length(), i + 64)).append('\n');
        }
        return armored.append(ARMOR_FOOTER).append('\n').toString();
    }

    /** The stanza wrapping {@code fileKey} for one recipient, chosen by the recipient's encoding. */
    static Stanza wrap(byte[] fileKey, String recipient) throws InvalidCipherTextException {
        String trimmed = recipient.trim();
        if (AgeHybrid.isRecipient(trimmed)) {
            return AgeHybrid.wrap(fileKey, AgeHybrid.parseRecipient(trimmed));
        }
        if (trimmed.startsWith(SshEd25519Identity.KEY_TYPE + " ")) {
            return SshEd25519Identity.wrap(fileKey, trimmed);
        }
        byte[] publicKey = parseRecipient(trimmed);
        byte[] ephemeral = random(32);
        byte[] share = new byte[32];
        X25519.scalarMultBase(ephemeral, 0, share, 0);
        byte[] shared = new byte[32];
        X25519.scalarMult(ephemeral, 0, publicKey, 0, shared, 0);
        byte[] wrapKey = hkdf(shared, concat(share, publicKey), X25519_INFO);
        return new Stanza("X25519", List.of(rawBase64(share)), chachaSeal(wrapKey, new byte[12], fileKey));
    }

    /** The textual header of an age file, its stanzas and where the payload starts. */
    record Header(List<Stanza> stanzas, byte[] macInput, byte[] mac, int payloadOffset) {

        static Header parse(byte[] file) {
            List<Stanza> stanzas = new ArrayList<>();
            int pos = 0;
            String version = line(file, pos);
            if (!version.equals(VERSION_LINE)) {
                throw new IllegalArgumentException("not an age v1 file");
            }
            pos += version.length() + 1;
            while (true) {
                String line = line(file, pos);
                if (line.startsWith("--- ")) {
                    byte[] macInput = Arrays.copyOf(file, pos + 3);
                    byte[] mac = rawBase64(line.substring(4));
                    return new Header(stanzas, macInput, mac, pos + line.length() + 1);
                }
                if (!line.startsWith("-> ")) {
                    throw new IllegalArgumentException("malformed age header");
                }
                pos += line.length() + 1;
                String[] parts = line.substring(3).split(" ");
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                while (true) {
                    String bodyLine = line(file, pos);
                    pos += bodyLine.length() + 1;
                    if (bodyLine.length() > 64) {
                        throw new IllegalArgumentException("malformed age stanza body");
                    }
                    body.writeBytes(rawBase64(bodyLine));
                    if (bodyLine.length() < 64) {
                        break;
                    }
                }
                stanzas.add(new Stanza(parts[0], List.of(parts).subList(1, parts.length), body.toByteArray()));
                if (stanzas.size() > 1000) {
                    throw new IllegalArgumentException("too many age stanzas");
                }
            }
        }

        boolean macMatches(byte[] fileKey) {
            return MessageDigest.isEqual(hmac(hkdf(fileKey, new byte[0], "header"), macInput), mac);
        }

        private static String line(byte[] file, int from) {
            for (int i = from; i < file.length && i - from < MAX_HEADER_LINE; i++) {
                if (file[i] == '\n') {
                    return new String(file, from, i - from, StandardCharsets.ISO_8859_1);
                }
            }
            throw new IllegalArgumentException("truncated age header");
        }
    }

    static byte[] hkdf(byte[] ikm, byte[] salt, String info) {
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(ikm, salt, info.getBytes(StandardCharsets.US_ASCII)));
        byte[] out = new byte[32];
        hkdf.generateBytes(out, 0, 32);
        return out;
    }

    /** HMAC-SHA-256 (also HPKE's HKDF-Expand in {@link AgeHybrid}). */
    static byte[] hmac(byte[] key, byte[] message) {
        HMac mac = new HMac(new SHA256Digest());
        mac.init(new KeyParameter(key));
        mac.update(message, 0, message.length);
        byte[] out = new byte[32];
        mac.doFinal(out, 0);
        return out;
    }

    static byte[] chachaOpen(byte[] key, byte[] nonce, byte[] sealed) throws InvalidCipherTextException {
        ChaCha20Poly1305 aead = new ChaCha20Poly1305();
        aead.init(false, new AEADParameters(new KeyParameter(key), 128, nonce));
        byte[] out = new byte[aead.getOutputSize(sealed.length)];
        int n = aead.processBytes(sealed, 0, sealed.length, out, 0);
        aead.doFinal(out, n);
        return out;
    }

    static byte[] chachaSeal(byte[] key, byte[] nonce, byte[] plain) throws InvalidCipherTextException {
        ChaCha20Poly1305 aead = new ChaCha20Poly1305();
        aead.init(true, new AEADParameters(new KeyParameter(key), 128, nonce));
        byte[] out = new byte[aead.getOutputSize(plain.length)];
        int n = aead.processBytes(plain, 0, plain.length, out, 0);
        aead.doFinal(out, n);
        return out;
    }

    static byte[] rawBase64(String text) {
        if (text.endsWith("=")) {
            throw new IllegalArgumentException("padded base64 in age header");
        }
        return Base64.getDecoder().decode(text);
    }

    static String rawBase64(byte[] bytes) {
        return Base64.getEncoder().withoutPadding().encodeToString(bytes);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] random(int n) {
        byte[] out = new byte[n];
        RANDOM.nextBytes(out);
        return out;
    }
}
