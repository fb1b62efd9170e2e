package dev.vigil.secrets;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Revision of a Secret's cleartext: HMAC-SHA256 under the installation's key, so the annotation
 * changes exactly when the content does and reveals nothing about the values.
 */
public final class Revision {

    private Revision() {
    }

    public static String of(byte[] key, String type, Map<String, byte[]> sortedData) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            update(mac, type.getBytes(StandardCharsets.UTF_8));
            for (var entry : sortedData.entrySet()) {
                update(mac, entry.getKey().getBytes(StandardCharsets.UTF_8));
                update(mac, entry.getValue());
            }
            return HexFormat.of().formatHex(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static void update(Mac mac, byte[] bytes) {
        mac.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
        mac.update(bytes);
    }
}
