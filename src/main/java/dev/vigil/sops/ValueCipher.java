package dev.vigil.sops;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** ENC[AES256_GCM,data:…,iv:…,tag:…,type:…] values: AES-256-GCM with a 32-byte IV and the key path as AAD. */
final class ValueCipher {

    static final Pattern ENC = Pattern.compile("^ENC\\[AES256_GCM,data:(.+),iv:(.+),tag:(.+),type:(.+)\\]");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A decrypted value: its type and plaintext bytes. */
    record Plain(String type, byte[] bytes) {
        String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private ValueCipher() {
    }

    static boolean looksEncrypted(String value) {
        return ENC.matcher(value).find();
    }

    /** @throws GeneralSecurityException on authentication failure; IllegalArgumentException on bad format */
    static Plain decrypt(String value, byte[] dataKey, byte[] aad) throws GeneralSecurityException {
        Matcher m = ENC.matcher(value);
        if (!m.find()) {
            throw new IllegalArgumentException("does not match sops' data format");
        }
        byte[] data = Base64.getDecoder().decode(m.group(1));
        byte[] iv = Base64.getDecoder().decode(m.group(2));
        byte[] tag = Base64.getDecoder().decode(m.group(3));
        if (iv.length == 0 || tag.length != 16) {
            throw new IllegalArgumentException("bad IV or tag length");
        }
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(dataKey, "AES"), new GCMParameterSpec(128, iv));
        cipher.updateAAD(aad);
        byte[] input = new byte[data.length + tag.length];
        System.arraycopy(data, 0, input, 0, data.length);
        System.arraycopy(tag, 0, input, data.length, tag.length);
        return new Plain(m.group(4), cipher.doFinal(input));
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
