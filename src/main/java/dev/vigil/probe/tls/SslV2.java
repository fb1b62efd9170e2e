package dev.vigil.probe.tls;

import dev.vigil.probe.ConnectionDeadline;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * SSLv2 detection: one SSLv2 CLIENT-HELLO (the record format no TLS hello uses) offering the seven SSLv2 cipher
 * kinds; a server that still speaks SSLv2 answers with a SERVER-HELLO of version 2. Detection only: nothing about
 * SSLv2 is worth enumerating further (DROWN needs only its presence).
 */
final class SslV2 {

    /** RC4-128/MD5, RC4-128-EXPORT40, RC2-128-CBC, RC2-128-CBC-EXPORT40, IDEA-128-CBC, DES-64-CBC, DES-192-EDE3-CBC. */
    private static final int[] CIPHER_KINDS = {0x010080, 0x020080, 0x030080, 0x040080, 0x050080, 0x060040, 0x0700C0};
    private static final int CLIENT_HELLO = 1;
    private static final int SERVER_HELLO = 4;

    private SslV2() {
    }

    static byte[] clientHello() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(CLIENT_HELLO);
        body.write(0x00);
        body.write(0x02);
        body.write(0);
        body.write(CIPHER_KINDS.length * 3);
        body.write(0); // no session id
        body.write(0);
        body.write(0); // a 16-byte challenge
        body.write(16);
        for (int kind : CIPHER_KINDS) {
            body.write(kind >>> 16);
            body.write(kind >>> 8 & 0xff);
            body.write(kind & 0xff);
        }
        byte[] challenge = new byte[16];
        // Never completed: the challenge protects nothing.
        ThreadLocalRandom.current().nextBytes(challenge);
        body.writeBytes(challenge);
        byte[] b = body.toByteArray();
        ByteArrayOutputStream record = new ByteArrayOutputStream();
        record.write(0x80 | b.length >>> 8);
        record.write(b.length & 0xff);
        record.writeBytes(b);
        return record.toByteArray();
    }

    /** Whether the answer starts with an SSLv2 SERVER-HELLO of version 2 (2- or 3-byte record header). */
    static boolean isServerHello(InputStream in) throws IOException {
        int first = in.read();
        if (first < 0) {
            return false;
        }
        int headerRest = (first & 0x80) != 0 ? 1 : 2;
        if (in.readNBytes(headerRest).length < headerRest) {
            return false;
        }
        byte[] start = in.readNBytes(5);
        return start.length == 5 && start[0] == SERVER_HELLO && start[3] == 0x00 && start[4] == 0x02;
    }

    /** One connection; false on any other answer, silence or error. */
    static boolean offered(InetSocketAddress address, TlsScanner.Config config, long deadlineNanos, AtomicInteger handshakes) {
        if (System.nanoTime() > deadlineNanos) {
            return false;
        }
        handshakes.incrementAndGet();
        Socket socket = new Socket();
        try (ConnectionDeadline limit = ConnectionDeadline.closeAt(socket, deadlineNanos)) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
            socket.connect(address, (int) Math.max(1, Math.min(config.connectTimeout().toMillis(), left)));
            socket.setSoTimeout((int) Math.max(1, Math.min(config.readTimeout().toMillis(), left)));
            socket.getOutputStream().write(clientHello());
            socket.getOutputStream().flush();
            return isServerHello(socket.getInputStream());
        } catch (IOException e) {
            return false;
        }
    }
}
