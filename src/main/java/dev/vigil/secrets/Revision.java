package dev.vigil.secrets;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Revision of a Secret's cleartext: HMAC-SHA256 under the installation's key over the Secret's
 * namespace, name, type and data, so the annotation changes exactly when the content does and reveals
 * nothing about the values.
 *
 * <p>Namespace and name are part of the input because the revision is visible to whoever can read the
 * Secret's metadata or the pod templates it rolls: without them, equal cleartext gave equal revisions
 * everywhere, and anyone able to seal a guess into their own namespace could confirm another namespace's
 * low-entropy value by comparing revisions. The owner's UID is deliberately not part of it: a SealedSecret
 * deleted and re-applied (a GitOps re-sync, a restored namespace) gets a new UID, and its unchanged
 * cleartext must not roll every workload; replacing the object at the same name already lets its author
 * replace the Secret's content, so the UID would protect nothing more.
 */
public final class Revision {

    /** HMAC-SHA256 keys shorter than its output would weaken it; the installation's key is 32 random bytes. */
    public static final int MIN_KEY_BYTES = 32;

    private Revision() {
    }

    public static String of(byte[] key, String namespace, String name, String type, Map<String, byte[]> sortedData) {
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("the revision key has " + key.length + " bytes, fewer than " + MIN_KEY_BYTES);
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            update(mac, namespace.getBytes(StandardCharsets.UTF_8));
            update(mac, name.getBytes(StandardCharsets.UTF_8));
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
