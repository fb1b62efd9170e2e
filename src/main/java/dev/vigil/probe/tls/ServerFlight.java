package dev.vigil.probe.tls;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The server's first flight, read defensively: ServerHello (version, suite, TLS 1.3 group),
 * Certificate, CertificateStatus and ServerKeyExchange for TLS ≤ 1.2, or the alert that refused
 * the hello. Every length is checked against caps; nothing here trusts the peer.
 */
public record ServerFlight(Optional<Integer> alert, int version, int suite, Optional<Integer> group,
        Optional<Integer> dhBits, List<X509Certificate> certificates, boolean ocspStapled, Optional<byte[]> ocspResponse) {

    static final int MAX_RECORD = 18 * 1024;
    static final int MAX_FLIGHT = 256 * 1024;
    /**
     * Records read before giving up on a flight. A real first flight is a handful of messages, a long chain spread
     * over a few dozen records at most; empty records (which TLS forbids for handshakes) cost nothing in bytes, so
     * only a count stops a server that sends them forever.
     */
    static final int MAX_RECORDS = 512;
    static final int RECORD_HEADER = 5;
    /** Pseudo-alerts for answers that are not TLS alerts: no usable answer, timeout, and what ends a scan at once. */
    static final int NO_ANSWER = -1;
    static final int TIMEOUT = -2;
    /** The port answered "HTTP/…": a plain-HTTP server on the TLS port. */
    static final int PLAIN_HTTP = -3;
    /** Nothing accepted the connection. */
    static final int NO_CONNECTION = -4;
    /** The first byte is neither a TLS record type nor an SSLv2 header: another protocol speaks here (SSH, SMTP …). */
    static final int OTHER_PROTOCOL = -5;
    private static final byte[] HRR_RANDOM = hex("CF21AD74E59A6111BE1D8C021E65B891C2A211167ABB8C5E079E09E2C8A8339C");

    public boolean accepted() {
        return alert.isEmpty();
    }

    static ServerFlight refused(int alert) {
        return new ServerFlight(Optional.of(alert), 0, 0, Optional.empty(), Optional.empty(), List.of(), false, Optional.empty());
    }

    /** Reads records until the server has said enough; EOF before a ServerHello counts as a refusal. */
    public static ServerFlight read(InputStream in) throws IOException {
        ByteArrayOutputStream handshake = new ByteArrayOutputStream();
        int total = 0;
        int records = 0;
        ServerHello hello = null;
        List<X509Certificate> certificates = List.of();
        Optional<Integer> dhBits = Optional.empty();
        Optional<Integer> group = Optional.empty();
        Optional<byte[]> stapled = Optional.empty();
        while (true) {
            int type = in.read();
            if (type < 0) {
                if (hello != null) {
                    break;
                }
                return refused(-1);
            }
            byte[] header = in.readNBytes(4);
            if (records == 0 && (type < 0x14 || type > 0x18) && (type & 0x80) == 0) {
                // Not a TLS record, nor an SSLv2 one (high bit set): the first answer tells what speaks on this port.
                boolean http = type == 'H' && new String(header, java.nio.charset.StandardCharsets.US_ASCII).equals("TTP/");
                return refused(http ? PLAIN_HTTP : OTHER_PROTOCOL);
            }
            if (header.length < 4) {
                return hello == null ? refused(-1) : flight(hello, certificates, dhBits, group, stapled);
            }
            int length = (header[2] & 0xff) << 8 | header[3] & 0xff;
            if (length > MAX_RECORD) {
                throw new IOException("oversized TLS record");
            }
            // Headers count too, so that a stream of empty records also runs into the byte cap.
            if ((total += RECORD_HEADER + length) > MAX_FLIGHT || ++records > MAX_RECORDS) {
                return overLimit(hello);
            }
            byte[] fragment = in.readNBytes(length);
            if (fragment.length < length) {
                if (hello == null) {
                    return refused(-1);
                }
                break;
            }
            if (type == 0x15) {
                return fragment.length >= 2 ? refused(fragment[1] & 0xff) : refused(-1);
            }
            if (type != 0x16) {
                if (hello != null) {
                    break; // ChangeCipherSpec or encrypted data: the cleartext part is over
                }
                throw new IOException("unexpected TLS record type " + type);
            }
            handshake.writeBytes(fragment);
            byte[] buffer = handshake.toByteArray();
            int pos = 0;
            while (buffer.length - pos >= 4) {
                int msgType = buffer[pos] & 0xff;
                int msgLength = (buffer[pos + 1] & 0xff) << 16 | (buffer[pos + 2] & 0xff) << 8 | buffer[pos + 3] & 0xff;
                if (msgLength > MAX_FLIGHT) {
                    return overLimit(hello);
                }
                if (buffer.length - pos - 4 < msgLength) {
                    break;
                }
                byte[] body = Arrays.copyOfRange(buffer, pos + 4, pos + 4 + msgLength);
                pos += 4 + msgLength;
                switch (msgType) {
                    case 2 -> {
                        hello = ServerHello.parse(body);
                        if (hello.version() == 0x0304 || hello.retry()) {
                            return flight(hello, List.of(), Optional.empty(), hello.group(), Optional.empty());
                        }
                    }
                    case 11 -> certificates = certificates(body);
                    case 22 -> stapled = Optional.of(staple(body));
                    case 12 -> {
                        if (hello != null) {
                            KeyExchange kx = KeyExchange.parse(body, CipherSuites.name(hello.suite()));
                            dhBits = kx.dhBits();
                            group = kx.group();
                        }
                    }
                    case 14 -> {
                        return flight(hello, certificates, dhBits, group, stapled);
                    }
                    default -> {
                    }
                }
            }
            handshake.reset();
            handshake.write(buffer, pos, buffer.length - pos);
        }
        return flight(hello, certificates, dhBits, group, stapled);
    }

    /** A flight past a cap still answers whether the suite was accepted; what came after is left unread. */
    private static ServerFlight overLimit(ServerHello hello) throws IOException {
        if (hello == null) {
            throw new IOException("oversized or endless TLS flight before a ServerHello");
        }
        return flight(hello, List.of(), Optional.empty(), hello.group(), Optional.empty());
    }

    /** A TLS 1.2 CertificateStatus body: status_type ocsp(1), then the DER OCSPResponse (empty when another type). */
    private static byte[] staple(byte[] body) throws IOException {
        Reader r = new Reader(body);
        if (r.u8() != 1) {
            return new byte[0];
        }
        return r.bytes(r.u24());
    }

    private static ServerFlight flight(ServerHello hello, List<X509Certificate> certificates, Optional<Integer> dhBits,
            Optional<Integer> group, Optional<byte[]> stapled) throws IOException {
        if (hello == null) {
            throw new IOException("handshake ended before a ServerHello");
        }
        return new ServerFlight(Optional.empty(), hello.version(), hello.suite(), group, dhBits, certificates, stapled.isPresent(),
                stapled.filter(b -> b.length > 0));
    }

    record ServerHello(int version, int suite, boolean retry, Optional<Integer> group) {
        static ServerHello parse(byte[] b) throws IOException {
            Reader r = new Reader(b);
            int legacyVersion = r.u16();
            byte[] random = r.bytes(32);
            r.bytes(r.u8());
            int suite = r.u16();
            r.u8();
            int version = legacyVersion;
            Optional<Integer> group = Optional.empty();
            if (r.remaining() >= 2) {
                Reader ext = new Reader(r.bytes(r.u16()));
                while (ext.remaining() >= 4) {
                    int type = ext.u16();
                    Reader data = new Reader(ext.bytes(ext.u16()));
                    if (type == 0x002b && data.remaining() >= 2) {
                        version = data.u16();
                    } else if (type == 0x0033 && data.remaining() >= 2) {
                        group = Optional.of(data.u16());
                    }
                }
            }
            return new ServerHello(version, suite, Arrays.equals(random, HRR_RANDOM), group);
        }
    }

    record KeyExchange(Optional<Integer> group, Optional<Integer> dhBits) {
        static KeyExchange parse(byte[] b, String suiteName) throws IOException {
            Reader r = new Reader(b);
            if (suiteName.contains("ECDHE") || suiteName.contains("ECDH_anon")) {
                if (r.u8() == 3) {
                    return new KeyExchange(Optional.of(r.u16()), Optional.empty());
                }
                return new KeyExchange(Optional.empty(), Optional.empty());
            }
            if (suiteName.contains("DHE") || suiteName.contains("DH_anon")) {
                byte[] p = r.bytes(r.u16());
                int leading = 0;
                while (leading < p.length && p[leading] == 0) {
                    leading++;
                }
                int bits = (p.length - leading) * 8;
                if (leading < p.length) {
                    bits -= Integer.numberOfLeadingZeros(p[leading] & 0xff) - 24;
                }
                return new KeyExchange(Optional.empty(), Optional.of(bits));
            }
            return new KeyExchange(Optional.empty(), Optional.empty());
        }
    }

    private static List<X509Certificate> certificates(byte[] body) throws IOException {
        Reader r = new Reader(body);
        Reader list = new Reader(r.bytes(r.u24()));
        List<X509Certificate> certs = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            while (list.remaining() >= 3 && certs.size() < 20) {
                byte[] der = list.bytes(list.u24());
                certs.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
            }
        } catch (CertificateException e) {
            throw new IOException("unreadable certificate in the server's flight");
        }
        return certs;
    }

    /** Bounds-checked reads over a byte array. */
    static final class Reader {
        private final byte[] b;
        private int pos;

        Reader(byte[] b) {
            this.b = b;
        }

        int remaining() {
            return b.length - pos;
        }

        int u8() throws IOException {
            need(1);
            return b[pos++] & 0xff;
        }

        int u16() throws IOException {
            need(2);
            int v = (b[pos] & 0xff) << 8 | b[pos + 1] & 0xff;
            pos += 2;
            return v;
        }

        int u24() throws IOException {
            need(3);
            int v = (b[pos] & 0xff) << 16 | (b[pos + 1] & 0xff) << 8 | b[pos + 2] & 0xff;
            pos += 3;
            return v;
        }

        byte[] bytes(int n) throws IOException {
            need(n);
            byte[] out = Arrays.copyOfRange(b, pos, pos + n);
            pos += n;
            return out;
        }

        private void need(int n) throws IOException {
            if (n < 0 || pos + n > b.length) {
                throw new EOFException("truncated TLS message");
            }
        }
    }

    private static byte[] hex(String s) {
        return java.util.HexFormat.of().parseHex(s);
    }
}
