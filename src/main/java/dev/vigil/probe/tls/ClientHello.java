package dev.vigil.probe.tls;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Hand-built ClientHello records: any suite list for any version, every group and signature scheme
 * offered so the server never refuses because of the prober's own taste. The handshake is never
 * completed, so the TLS 1.3 key share may be any 32 bytes.
 */
final class ClientHello {

    /**
     * x25519, secp256r1, secp384r1, secp521r1, x448, ffdhe2048..8192, the post-quantum hybrids X25519MLKEM768,
     * SecP256r1MLKEM768 and SecP384r1MLKEM1024, brainpool, and older curves.
     */
    static final int[] GROUPS = {0x001d, 0x0017, 0x0018, 0x0019, 0x001e, 0x0100, 0x0101, 0x0102, 0x0103, 0x0104, 0x11ec, 0x11eb, 0x11ed,
            0x001a, 0x001b, 0x001c, 0x0016, 0x0015, 0x0014, 0x0013, 0x0012, 0x0011, 0x0010, 0x000f, 0x000e, 0x000d,
            0x000c, 0x000b, 0x000a, 0x0009, 0x0008, 0x0007, 0x0006, 0x0005, 0x0004, 0x0003, 0x0002, 0x0001};
    /** ECDSA, RSA-PSS, EdDSA, RSA PKCS#1 with SHA-1..SHA-512, DSA and SHA-224 variants. */
    static final int[] SIGNATURE_SCHEMES = {0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0804, 0x0805, 0x0806, 0x0809,
            0x080a, 0x080b, 0x0401, 0x0501, 0x0601, 0x0303, 0x0301, 0x0302, 0x0402, 0x0502, 0x0602, 0x0203, 0x0201,
            0x0202, 0x0101, 0x0102, 0x0103};
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|.*:.*");

    private ClientHello() {
    }

    /** ML-KEM hybrid groups exist only in TLS 1.3 (draft-ietf-tls-ecdhe-mlkem). */
    static boolean tls13Only(int group) {
        return group >= 0x11eb && group <= 0x11ed;
    }

    /** IP addresses are never sent as SNI (RFC 6066), by the raw hellos or by the JSSE handshake. */
    static boolean ipLiteral(String host) {
        return IP_LITERAL.matcher(host).matches();
    }

    static byte[] build(TlsProtocol version, List<Integer> suites, String serverName, int[] groups, boolean keyShare) {
        boolean tls13 = version == TlsProtocol.TLSv1_3;
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        u16(body, tls13 ? 0x0303 : version.wire());
        body.writeBytes(random(32));
        byte[] sessionId = tls13 ? random(32) : new byte[0];
        body.write(sessionId.length);
        body.writeBytes(sessionId);
        u16(body, suites.size() * 2);
        suites.forEach(s -> u16(body, s));
        body.write(1);
        body.write(0);
        if (version != TlsProtocol.SSLv3) {
            byte[] extensions = extensions(tls13, serverName, groups, keyShare);
            u16(body, extensions.length);
            body.writeBytes(extensions);
        }
        byte[] handshakeBody = body.toByteArray();
        ByteArrayOutputStream record = new ByteArrayOutputStream();
        record.write(0x16);
        u16(record, version == TlsProtocol.SSLv3 ? 0x0300 : 0x0301);
        u16(record, handshakeBody.length + 4);
        record.write(1);
        u24(record, handshakeBody.length);
        record.writeBytes(handshakeBody);
        return record.toByteArray();
    }

    private static byte[] extensions(boolean tls13, String serverName, int[] groups, boolean keyShare) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (serverName != null && !serverName.isEmpty() && !ipLiteral(serverName)) {
            byte[] name = serverName.getBytes(StandardCharsets.US_ASCII);
            ByteArrayOutputStream sni = new ByteArrayOutputStream();
            u16(sni, name.length + 3);
            sni.write(0);
            u16(sni, name.length);
            sni.writeBytes(name);
            extension(out, 0x0000, sni.toByteArray());
        }
        ByteArrayOutputStream groupList = new ByteArrayOutputStream();
        u16(groupList, groups.length * 2);
        for (int g : groups) {
            u16(groupList, g);
        }
        extension(out, 0x000a, groupList.toByteArray());
        extension(out, 0x000b, new byte[] {1, 0});
        ByteArrayOutputStream schemes = new ByteArrayOutputStream();
        u16(schemes, SIGNATURE_SCHEMES.length * 2);
        for (int s : SIGNATURE_SCHEMES) {
            u16(schemes, s);
        }
        extension(out, 0x000d, schemes.toByteArray());
        extension(out, 0x0005, new byte[] {1, 0, 0, 0, 0});
        extension(out, 0x0017, new byte[0]);
        extension(out, 0xff01, new byte[] {0});
        if (tls13) {
            extension(out, 0x002b, new byte[] {2, 0x03, 0x04});
            ByteArrayOutputStream share = new ByteArrayOutputStream();
            int group = groups.length > 0 ? groups[0] : 0x001d;
            if (keyShare && group == 0x001d) {
                u16(share, 36);
                u16(share, 0x001d);
                u16(share, 32);
                share.writeBytes(random(32));
            } else {
                u16(share, 0); // no share: the server answers a HelloRetryRequest naming its group
            }
            extension(out, 0x0033, share.toByteArray());
            extension(out, 0x002d, new byte[] {1, 1});
        }
        return out.toByteArray();
    }

    private static void extension(ByteArrayOutputStream out, int type, byte[] data) {
        u16(out, type);
        u16(out, data.length);
        out.writeBytes(data);
    }

    private static void u16(ByteArrayOutputStream out, int v) {
        out.write(v >>> 8 & 0xff);
        out.write(v & 0xff);
    }

    private static void u24(ByteArrayOutputStream out, int v) {
        out.write(v >>> 16 & 0xff);
        out.write(v >>> 8 & 0xff);
        out.write(v & 0xff);
    }

    private static byte[] random(int n) {
        // The handshake is never completed, so these bytes protect nothing and need no secure generator.
        byte[] b = new byte[n];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }
}
