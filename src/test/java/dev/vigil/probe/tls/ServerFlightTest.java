package dev.vigil.probe.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The server's first flight read from bytes built here as RFC 8446/5246 lay them out: ServerHello (TLS 1.2, TLS 1.3,
 * HelloRetryRequest), Certificate, CertificateStatus, ServerKeyExchange (ECDHE group, DHE modulus), ServerHelloDone,
 * alerts, and the hostile shapes (truncation, oversized records and flights, garbage).
 */
class ServerFlightTest {

    static final int TLS12 = 0x0303;
    static final int ECDHE_RSA_AES128_GCM = 0xC02F;
    static final int DHE_RSA_AES128_GCM = 0x009E;
    static final int RSA_AES128_GCM = 0x009C;
    static final String HRR_RANDOM = "CF21AD74E59A6111BE1D8C021E65B891C2A211167ABB8C5E079E09E2C8A8339C";

    /** Big-endian writer for TLS structures. */
    static final class Bytes {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Bytes u8(int v) {
            out.write(v);
            return this;
        }

        Bytes u16(int v) {
            return u8(v >>> 8 & 0xff).u8(v & 0xff);
        }

        Bytes u24(int v) {
            return u8(v >>> 16 & 0xff).u16(v & 0xffff);
        }

        Bytes raw(byte[] b) {
            out.writeBytes(b);
            return this;
        }

        Bytes vec16(byte[] b) {
            return u16(b.length).raw(b);
        }

        Bytes vec24(byte[] b) {
            return u24(b.length).raw(b);
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    static byte[] serverHello(int legacyVersion, byte[] random, int suite, byte[] extensions) {
        Bytes b = new Bytes().u16(legacyVersion).raw(random).u8(32).raw(new byte[32]).u16(suite).u8(0);
        if (extensions != null) {
            b.vec16(extensions);
        }
        return b.bytes();
    }

    static byte[] random() {
        byte[] r = new byte[32];
        r[0] = 7;
        return r;
    }

    static byte[] extension(int type, byte[] data) {
        return new Bytes().u16(type).vec16(data).bytes();
    }

    static byte[] handshake(int type, byte[] body) {
        return new Bytes().u8(type).vec24(body).bytes();
    }

    static byte[] record(int type, byte[] fragment) {
        return new Bytes().u8(type).u16(TLS12).vec16(fragment).bytes();
    }

    static byte[] concat(byte[]... parts) {
        Bytes b = new Bytes();
        for (byte[] p : parts) {
            b.raw(p);
        }
        return b.bytes();
    }

    static ServerFlight read(byte[]... records) throws IOException {
        return ServerFlight.read(new ByteArrayInputStream(concat(records)));
    }

    static byte[] certificateMessage(X509Certificate... chain) throws Exception {
        Bytes list = new Bytes();
        for (X509Certificate c : chain) {
            list.vec24(c.getEncoded());
        }
        return handshake(11, new Bytes().vec24(list.bytes()).bytes());
    }

    static final byte[] HELLO_DONE = handshake(14, new byte[0]);
    /** Two self-signed P-256 certificates: quick to make, and all a flight needs to carry. */
    static final X509Certificate LEAF = ecCertificate("shop.test");
    static final X509Certificate CA = ecCertificate("Vigil Test CA");

    static X509Certificate ecCertificate(String commonName) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(256);
            KeyPair keys = generator.generateKeyPair();
            X500Name name = new X500Name("CN=" + commonName);
            Instant now = Instant.now();
            return new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name, BigInteger.ONE,
                    Date.from(now.minusSeconds(86400)), Date.from(now.plusSeconds(86400 * 90)), name, keys.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void tls12FlightWithChainStapleAndEcdheGroup() throws Exception {
        byte[] hello = handshake(2, serverHello(TLS12, random(), ECDHE_RSA_AES128_GCM, new byte[0]));
        byte[] status = handshake(22, new Bytes().u8(1).vec24(new byte[] {1, 2, 3}).bytes());
        byte[] ecdhe = handshake(12, new Bytes().u8(3).u16(0x001d).u8(32).raw(new byte[32]).bytes());
        ServerFlight flight = read(record(0x16, concat(hello, certificateMessage(LEAF, CA), status, ecdhe, HELLO_DONE)));
        assertThat(flight.accepted()).isTrue();
        assertThat(flight.alert()).isEmpty();
        assertThat(flight.version()).isEqualTo(TLS12);
        assertThat(flight.suite()).isEqualTo(ECDHE_RSA_AES128_GCM);
        assertThat(flight.certificates()).containsExactly(LEAF, CA);
        assertThat(flight.ocspStapled()).isTrue();
        assertThat(flight.group()).contains(0x001d);
        assertThat(flight.dhBits()).isEmpty();
    }

    @Test
    void handshakeMessagesSplitAcrossRecordsAreReassembled() throws Exception {
        byte[] messages = concat(handshake(2, serverHello(TLS12, random(), RSA_AES128_GCM, null)), certificateMessage(LEAF), HELLO_DONE);
        int cut1 = 3;
        int cut2 = 200;
        ServerFlight flight = read(record(0x16, java.util.Arrays.copyOfRange(messages, 0, cut1)),
                record(0x16, java.util.Arrays.copyOfRange(messages, cut1, cut2)),
                record(0x16, java.util.Arrays.copyOfRange(messages, cut2, messages.length)));
        assertThat(flight.suite()).isEqualTo(RSA_AES128_GCM);
        assertThat(flight.certificates()).containsExactly(LEAF);
        assertThat(flight.ocspStapled()).isFalse();
        assertThat(flight.group()).isEmpty();
    }

    @Test
    void dheModulusSizeIsCountedInBits() throws Exception {
        for (int[] sizes : new int[][] {{256, 2048}, {128, 1024}, {129, 1024}}) {
            byte[] p = new byte[sizes[0]];
            p[sizes[0] - sizes[1] / 8] = (byte) 0x80;
            ServerFlight flight = read(record(0x16, concat(handshake(2, serverHello(TLS12, random(), DHE_RSA_AES128_GCM, null)),
                    handshake(12, new Bytes().vec16(p).vec16(new byte[] {2}).vec16(new byte[] {5}).bytes()), HELLO_DONE)));
            assertThat(flight.dhBits()).contains(sizes[1]);
            assertThat(flight.group()).isEmpty();
        }
        // A modulus whose top byte is 0x01 has 7 bits fewer than its byte length says.
        byte[] p = new byte[256];
        p[0] = 0x01;
        ServerFlight odd = read(record(0x16, concat(handshake(2, serverHello(TLS12, random(), DHE_RSA_AES128_GCM, null)),
                handshake(12, new Bytes().vec16(p).bytes()), HELLO_DONE)));
        assertThat(odd.dhBits()).contains(2041);
    }

    @Test
    void anEcdheKeyExchangeWithAnExplicitCurveNamesNoGroup() throws Exception {
        ServerFlight flight = read(record(0x16, concat(handshake(2, serverHello(TLS12, random(), ECDHE_RSA_AES128_GCM, null)),
                handshake(12, new Bytes().u8(1).raw(new byte[8]).bytes()), HELLO_DONE)));
        assertThat(flight.group()).isEmpty();
        assertThat(flight.dhBits()).isEmpty();
        // A ServerKeyExchange for a plain RSA suite carries nothing the grade reads.
        ServerFlight rsa = read(record(0x16, concat(handshake(2, serverHello(TLS12, random(), RSA_AES128_GCM, null)),
                handshake(12, new byte[] {1, 2, 3}), HELLO_DONE)));
        assertThat(rsa.group()).isEmpty();
        assertThat(rsa.dhBits()).isEmpty();
    }

    @Test
    void tls13HelloStopsAtTheServerHelloWithItsGroup() throws Exception {
        byte[] extensions = concat(extension(0x002b, new Bytes().u16(0x0304).bytes()),
                extension(0x0033, new Bytes().u16(0x0017).vec16(new byte[65]).bytes()));
        ServerFlight flight = read(record(0x16, handshake(2, serverHello(TLS12, random(), 0x1302, extensions))),
                record(0x17, new byte[40]));
        assertThat(flight.version()).isEqualTo(0x0304);
        assertThat(flight.suite()).isEqualTo(0x1302);
        assertThat(flight.group()).contains(0x0017);
        assertThat(flight.certificates()).isEmpty();
    }

    @Test
    void helloRetryRequestIsAnAcceptanceNamingTheGroup() throws Exception {
        byte[] extensions = concat(extension(0x002b, new Bytes().u16(0x0304).bytes()), extension(0x0033, new Bytes().u16(0x001d).bytes()));
        ServerFlight flight = read(record(0x16, handshake(2, serverHello(TLS12, HexFormat.of().parseHex(HRR_RANDOM), 0x1301,
                extensions))));
        assertThat(flight.accepted()).isTrue();
        assertThat(flight.group()).contains(0x001d);
        assertThat(ServerFlight.ServerHello.parse(serverHello(TLS12, HexFormat.of().parseHex(HRR_RANDOM), 0x1301, extensions)).retry())
                .isTrue();
        assertThat(ServerFlight.ServerHello.parse(serverHello(TLS12, random(), 0x1301, extensions)).retry()).isFalse();
        // An HRR that names TLS 1.2 (a confused server) still ends the flight at the hello.
        ServerFlight.ServerHello legacy = ServerFlight.ServerHello.parse(serverHello(TLS12, HexFormat.of().parseHex(HRR_RANDOM),
                0x1301, new byte[0]));
        assertThat(legacy.version()).isEqualTo(TLS12);
        assertThat(legacy.group()).isEmpty();
    }

    @Test
    void unknownAndShortExtensionsAreSkipped() throws Exception {
        byte[] extensions = concat(extension(0xff01, new byte[] {0}), extension(0x002b, new byte[] {3}),
                extension(0x0033, new byte[] {0}), extension(0x000b, new byte[] {1, 0}));
        ServerFlight.ServerHello hello = ServerFlight.ServerHello.parse(serverHello(TLS12, random(), ECDHE_RSA_AES128_GCM, extensions));
        assertThat(hello.version()).isEqualTo(TLS12);
        assertThat(hello.group()).isEmpty();
        assertThat(hello.suite()).isEqualTo(ECDHE_RSA_AES128_GCM);
    }

    @Test
    void alertsAreRefusalsWithTheirDescription() throws Exception {
        ServerFlight handshakeFailure = read(record(0x15, new byte[] {2, 40}));
        assertThat(handshakeFailure.accepted()).isFalse();
        assertThat(handshakeFailure.alert()).contains(40);
        assertThat(read(record(0x15, new byte[] {2, (byte) 0x46})).alert()).contains(70);
        assertThat(read(record(0x15, new byte[] {2})).alert()).contains(-1);
        assertThat(ServerFlight.refused(47)).isEqualTo(new ServerFlight(Optional.of(47), 0, 0, Optional.empty(), Optional.empty(),
                List.of(), false, Optional.empty()));
    }

    @Test
    void silenceOrTruncationBeforeTheHelloIsARefusal() throws Exception {
        assertThat(read().alert()).contains(-1);
        assertThat(read(new byte[] {0x16, 0x03})).isEqualTo(ServerFlight.refused(-1));
        byte[] hello = record(0x16, handshake(2, serverHello(TLS12, random(), RSA_AES128_GCM, null)));
        assertThat(read(java.util.Arrays.copyOf(hello, hello.length - 5)).alert()).contains(-1);
    }

    @Test
    void aFlightCutAfterTheHelloStillReportsTheSuite() throws Exception {
        byte[] hello = record(0x16, handshake(2, serverHello(TLS12, random(), RSA_AES128_GCM, null)));
        assertThat(read(hello).suite()).isEqualTo(RSA_AES128_GCM);
        assertThat(read(hello, new byte[] {0x16, 0x03}).suite()).isEqualTo(RSA_AES128_GCM);
        byte[] certificate = record(0x16, new byte[100]);
        assertThat(read(hello, java.util.Arrays.copyOf(certificate, 50)).suite()).isEqualTo(RSA_AES128_GCM);
        // ChangeCipherSpec after the hello: what follows is encrypted, the flight is over.
        ServerFlight ccs = read(hello, record(0x14, new byte[] {1}), record(0x16, HELLO_DONE));
        assertThat(ccs.accepted()).isTrue();
    }

    @Test
    void garbageAndOversizedInputAreErrorsNotHangs() throws Exception {
        assertThatThrownBy(() -> read(record(0x17, new byte[10]))).isInstanceOf(IOException.class)
                .hasMessage("unexpected TLS record type 23");
        byte[] oversized = new Bytes().u8(0x16).u16(TLS12).u16(ServerFlight.MAX_RECORD + 1).bytes();
        assertThatThrownBy(() -> read(oversized)).isInstanceOf(IOException.class).hasMessage("oversized TLS record");
        // A record of exactly the cap is read.
        byte[] atCap = record(0x16, concat(handshake(2, serverHello(TLS12, random(), RSA_AES128_GCM, null)),
                handshake(99, new byte[ServerFlight.MAX_RECORD - 4 - 4 - 38 - 32])));
        assertThat(atCap.length - 5).isEqualTo(ServerFlight.MAX_RECORD);
        assertThat(read(atCap).suite()).isEqualTo(RSA_AES128_GCM);
        // A handshake message announcing more than the flight cap, before any hello.
        assertThatThrownBy(() -> read(record(0x16, new Bytes().u8(11).u24(ServerFlight.MAX_FLIGHT + 1).bytes())))
                .isInstanceOf(IOException.class).hasMessage("oversized or endless TLS flight before a ServerHello");
        assertThatThrownBy(() -> read(record(0x16, HELLO_DONE))).isInstanceOf(IOException.class)
                .hasMessage("handshake ended before a ServerHello");
        assertThatThrownBy(() -> read(record(0x16, handshake(11, new Bytes().vec24(new Bytes().vec24(new byte[] {1, 2, 3}).bytes())
                .bytes())))).isInstanceOf(IOException.class).hasMessage("unreadable certificate in the server's flight");
        assertThatThrownBy(() -> read(record(0x16, handshake(2, new byte[10])))).isInstanceOf(java.io.EOFException.class)
                .hasMessage("truncated TLS message");
    }

    @Test
    void aFlightBeyondItsCapAfterTheHelloKeepsTheAcceptance() throws Exception {
        byte[] hello = record(0x16, handshake(2, serverHello(TLS12, random(), ECDHE_RSA_AES128_GCM, null)));
        // A Certificate message announcing more than the flight cap: the hello stands, nothing after it is read.
        ServerFlight big = read(hello, record(0x16, new Bytes().u8(11).u24(ServerFlight.MAX_FLIGHT + 1).bytes()));
        assertThat(big.suite()).isEqualTo(ECDHE_RSA_AES128_GCM);
        assertThat(big.certificates()).isEmpty();
        // Records adding up past the cap: the same.
        Bytes many = new Bytes().raw(hello);
        byte[] filler = record(0x16, new byte[ServerFlight.MAX_RECORD]);
        for (int i = 0; i < ServerFlight.MAX_FLIGHT / ServerFlight.MAX_RECORD + 1; i++) {
            many.raw(filler);
        }
        assertThat(read(many.bytes()).suite()).isEqualTo(ECDHE_RSA_AES128_GCM);
    }

    @Test
    void readerChecksEveryLength() throws Exception {
        ServerFlight.Reader r = new ServerFlight.Reader(new byte[] {1, 2, 3, 4, 5, 6});
        assertThat(r.u8()).isEqualTo(1);
        assertThat(r.u16()).isEqualTo(0x0203);
        assertThat(r.u24()).isEqualTo(0x040506);
        assertThat(r.remaining()).isZero();
        assertThatThrownBy(r::u8).isInstanceOf(java.io.EOFException.class);
        ServerFlight.Reader s = new ServerFlight.Reader(new byte[] {(byte) 0xff, (byte) 0xfe, (byte) 0xfd});
        assertThat(s.u24()).isEqualTo(0xfffefd);
        assertThatThrownBy(() -> new ServerFlight.Reader(new byte[2]).bytes(-1)).isInstanceOf(java.io.EOFException.class);
        assertThatThrownBy(() -> new ServerFlight.Reader(new byte[2]).bytes(3)).isInstanceOf(java.io.EOFException.class);
        assertThat(new ServerFlight.Reader(new byte[] {9, 8}).bytes(2)).containsExactly(9, 8);
        assertThat(new ServerFlight.Reader(new byte[] {(byte) 0x80, 1}).u16()).isEqualTo(0x8001);
    }
}
