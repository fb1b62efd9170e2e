package dev.vigil.sops;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** ENC[AES256_GCM,data:…,iv:…,tag:…,type:…] values: AES-256-GCM with a 32-byte IV and the key path as AAD. */
final class ValueCipher {

    static final String PREFIX = "ENC[AES256_GCM,data:";
    /**
     * Longest encrypted value accepted, in characters: a Kubernetes Secret holds at most 1 MiB, which is
     * 1,398,104 characters of base64, plus the IV, tag and type. Anything longer cannot become a Secret.
     */
    static final int MAX_VALUE_CHARS = 1_400_000 + 256;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A decrypted value: its type and plaintext bytes. */
    record Plain(String type, byte[] bytes) {
        String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** The four fields of an encrypted value, still base64 (type as written). */
    record Fields(String data, String iv, String tag, String type) {
    }

    private ValueCipher() {
    }

    static boolean looksEncrypted(String value) {
        return value.startsWith(PREFIX);
    }

    /**
     * Splits a value the way sops' {@code ^ENC\[AES256_GCM,data:(.+),iv:(.+),tag:(.+),type:(.+)\]} does, in one
     * pass without backtracking (java.util.regex needed seconds for a few kilobytes of crafted input). Base64
     * never holds a ',', so data, iv and tag each end at the first ','; the type runs to the last ']' before any
     * line break (RE2's '.' stops at '\n'), and characters after that ']' are ignored as sops ignores them.
     *
     * @throws IllegalArgumentException when the value does not have that shape or is too long
     */
    static Fields parse(String value) {
        if (value.length() > MAX_VALUE_CHARS) {
            throw new IllegalArgumentException("encrypted value is longer than " + MAX_VALUE_CHARS + " characters");
        }
        if (!value.startsWith(PREFIX)) {
            throw new IllegalArgumentException("does not match sops' data format");
        }
        int dataStart = PREFIX.length();
        int dataEnd = field(value, dataStart);
        int ivStart = expect(value, dataEnd, ",iv:");
        int ivEnd = field(value, ivStart);
        int tagStart = expect(value, ivEnd, ",tag:");
        int tagEnd = field(value, tagStart);
        int typeStart = expect(value, tagEnd, ",type:");
        int lineEnd = value.indexOf('\n', typeStart);
        int typeEnd = value.lastIndexOf(']', lineEnd < 0 ? value.length() - 1 : lineEnd - 1);
        if (typeEnd <= typeStart) {
            throw new IllegalArgumentException("does not match sops' data format");
        }
        return new Fields(value.substring(dataStart, dataEnd), value.substring(ivStart, ivEnd),
                value.substring(tagStart, tagEnd), value.substring(typeStart, typeEnd));
    }

    /** End of a non-empty base64 field starting at {@code start}: the next ','. */
    private static int field(String value, int start) {
        int end = value.indexOf(',', start);
        if (end <= start) {
            throw new IllegalArgumentException("does not match sops' data format");
        }
        return end;
    }

    private static int expect(String value, int at, String separator) {
        if (!value.startsWith(separator, at)) {
            throw new IllegalArgumentException("does not match sops' data format");
        }
        return at + separator.length();
    }

    /** @throws GeneralSecurityException on authentication failure; IllegalArgumentException on bad format */
    static Plain decrypt(String value, byte[] dataKey, byte[] aad) throws GeneralSecurityException {
        Fields fields = parse(value);
        byte[] data = Base64.getDecoder().decode(fields.data());
        byte[] iv = Base64.getDecoder().decode(fields.iv());
        byte[] tag = Base64.getDecoder().decode(fields.tag());
        if (iv.length == 0 || tag.length != 16) {
            throw new IllegalArgumentException("bad IV or tag length");
        }
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(dataKey, "AES"), new GCMParameterSpec(128, iv));
        cipher.updateAAD(aad);
        byte[] input = new byte[data.length + tag.length];
        System.arraycopy(data, 0, input, 0, data.length);
        System.arraycopy(tag, 0, input, data.length, tag.length);
        return new Plain(fields.type(), cipher.doFinal(input));
    }

    static String encrypt(byte[] plaintext, String type, byte[] dataKey, byte[] aad) throws GeneralSecurityException {
        byte[] iv = new byte[32];
        RANDOM.nextBytes(iv);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(dataKey, "AES"), new GCMParameterSpec(128, iv));
        cipher.updateAAD(aad);
        byte[] out = cipher.doFinal(plaintext);
        byte[] data = java.util.Arrays.copyOf(out, out.length - 16);
        byte[] tag = java.util.Arrays.copyOfRange(out, out.length - 16, out.length);
        Base64.Encoder b64 = Base64.getEncoder();
        return "ENC[AES256_GCM,data:" + b64.encodeToString(data) + ",iv:" + b64.encodeToString(iv) + ",tag:"
                + b64.encodeToString(tag) + ",type:" + type + "]";
    }
}
