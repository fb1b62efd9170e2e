package dev.vigil.sops;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.openpgp.PGPCompressedData;
import org.bouncycastle.openpgp.PGPEncryptedDataList;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKeyEncryptedData;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSecretKeyRingCollection;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPBESecretKeyDecryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;
import org.bouncycastle.openpgp.operator.bc.BcPublicKeyDataDecryptorFactory;

/** OpenPGP-wrapped data keys, opened with unprotected secret keys through Bouncy Castle. */
final class Pgp {

    private static final int MAX_LITERAL = 1024;

    private Pgp() {
    }

    static PGPSecretKeyRingCollection parseSecretKeys(String armored) throws IOException, PGPException {
        try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(armored.getBytes(StandardCharsets.US_ASCII)))) {
            return new PGPSecretKeyRingCollection(in, new BcKeyFingerprintCalculator());
        }
    }

    static List<String> fingerprints(PGPSecretKeyRingCollection keys) {
        List<String> fps = new ArrayList<>();
        for (Iterator<PGPSecretKeyRing> it = keys.getKeyRings(); it.hasNext(); ) {
            fps.add(HexFormat.of().formatHex(it.next().getPublicKey().getFingerprint()).toUpperCase(Locale.ROOT));
        }
        return fps;
    }

    /** The primary key's fingerprint of the ring holding {@code keyId}. */
    static String primaryFingerprint(PGPSecretKeyRingCollection keys, long keyId) throws PGPException {
        PGPSecretKeyRing ring = keys.getSecretKeyRing(keyId);
        return ring == null ? null : HexFormat.of().formatHex(ring.getPublicKey().getFingerprint()).toUpperCase(Locale.ROOT);
    }

    /**
     * Decrypts an armored PGP message with whichever key it is addressed to.
     *
     * @return the literal data and the fingerprint of the key that opened it, or null if no key fits
     */
    static Opened decrypt(String armoredMessage, List<PGPSecretKeyRingCollection> keyrings) throws IOException, PGPException {
        PGPEncryptedDataList list = encryptedDataList(armoredMessage);
        for (Object o : list) {
            if (!(o instanceof PGPPublicKeyEncryptedData data)) {
                continue;
            }
            for (PGPSecretKeyRingCollection keys : keyrings) {
                PGPSecretKey secretKey = keys.getSecretKey(data.getKeyID());
                if (secretKey == null) {
                    continue;
                }
                PGPPrivateKey privateKey = secretKey.extractPrivateKey(
                        new BcPBESecretKeyDecryptorBuilder(new BcPGPDigestCalculatorProvider()).build(new char[0]));
                byte[] literal = literal(data.getDataStream(new BcPublicKeyDataDecryptorFactory(privateKey)));
                if (!data.isIntegrityProtected() || !data.verify()) {
                    throw new PGPException("message integrity check failed");
                }
                return new Opened(literal, primaryFingerprint(keys, data.getKeyID()));
            }
        }
        return null;
    }

    record Opened(byte[] data, String fingerprint) {
    }

    record Sealed(String armored, String fingerprint) {
    }

    /** Encrypts a data key to the encryption key of an armored public key, as sops' go-crypto path does. */
    static Sealed encrypt(byte[] dataKey, byte[] armoredPublicKey) throws SopsException {
        try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(armoredPublicKey))) {
            org.bouncycastle.openpgp.PGPPublicKeyRingCollection rings =
                    new org.bouncycastle.openpgp.PGPPublicKeyRingCollection(in, new BcKeyFingerprintCalculator());
            for (Iterator<org.bouncycastle.openpgp.PGPPublicKeyRing> it = rings.getKeyRings(); it.hasNext(); ) {
                org.bouncycastle.openpgp.PGPPublicKeyRing ring = it.next();
                org.bouncycastle.openpgp.PGPPublicKey encryptionKey = null;
                for (Iterator<org.bouncycastle.openpgp.PGPPublicKey> keys = ring.getPublicKeys(); keys.hasNext(); ) {
                    org.bouncycastle.openpgp.PGPPublicKey key = keys.next();
                    if (key.isEncryptionKey() && (encryptionKey == null || !key.isMasterKey())) {
                        encryptionKey = key;
                    }
                }
                if (encryptionKey == null) {
                    continue;
                }
                java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                try (org.bouncycastle.bcpg.ArmoredOutputStream armored = new org.bouncycastle.bcpg.ArmoredOutputStream(out)) {
                    var generator = new org.bouncycastle.openpgp.PGPEncryptedDataGenerator(
                            new org.bouncycastle.openpgp.operator.bc.BcPGPDataEncryptorBuilder(
                                    org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags.AES_256)
                                    .setWithIntegrityPacket(true).setSecureRandom(new java.security.SecureRandom()));
                    generator.addMethod(new org.bouncycastle.openpgp.operator.bc.BcPublicKeyKeyEncryptionMethodGenerator(encryptionKey));
                    try (java.io.OutputStream encrypted = generator.open(armored, new byte[4096])) {
                        var literal = new org.bouncycastle.openpgp.PGPLiteralDataGenerator();
                        try (java.io.OutputStream data = literal.open(encrypted, PGPLiteralData.BINARY, "", dataKey.length,
                                new java.util.Date())) {
                            data.write(dataKey);
                        }
                    }
                }
                return new Sealed(out.toString(StandardCharsets.US_ASCII),
                        HexFormat.of().formatHex(ring.getPublicKey().getFingerprint()).toUpperCase(Locale.ROOT));
            }
            throw SopsException.invalid("the PGP public key has no encryption key");
        } catch (IOException | PGPException e) {
            throw SopsException.invalid("not an armored OpenPGP public key");
        }
    }

    private static PGPEncryptedDataList encryptedDataList(String armored) throws IOException, PGPException {
        InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(armored.getBytes(StandardCharsets.US_ASCII)));
        BcPGPObjectFactory factory = new BcPGPObjectFactory(in);
        Object o;
        while ((o = factory.nextObject()) != null) {
            if (o instanceof PGPEncryptedDataList list) {
                return list;
            }
        }
        throw new PGPException("no encrypted data in PGP message");
    }

    private static byte[] literal(InputStream clear) throws IOException, PGPException {
        BcPGPObjectFactory factory = new BcPGPObjectFactory(clear);
        Object o = factory.nextObject();
        if (o instanceof PGPCompressedData compressed) {
            factory = new BcPGPObjectFactory(compressed.getDataStream());
            o = factory.nextObject();
        }
        if (!(o instanceof PGPLiteralData literal)) {
            throw new PGPException("PGP message holds no literal data");
        }
        byte[] bytes = literal.getInputStream().readNBytes(MAX_LITERAL + 1);
        if (bytes.length > MAX_LITERAL) {
            throw new PGPException("PGP literal data too large for a data key");
        }
        literal.getInputStream().readAllBytes();
        return bytes;
    }
}
