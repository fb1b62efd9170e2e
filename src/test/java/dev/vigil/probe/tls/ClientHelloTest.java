package dev.vigil.probe.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Hand-built ClientHellos taken apart again field by field (RFC 8446 §4.1.2, RFC 5246 §7.4.1.2), and the
 * IANA registry facts the enumeration relies on.
 */
class ClientHelloTest {

    /** A ClientHello as read back from its record. */
    record Parsed(int recordVersion, int recordLength, int clientVersion, int sessionIdLength, List<Integer> suites,
            Map<Integer, byte[]> extensions, boolean hasExtensionBlock) {
    }

    static Parsed parse(byte[] record) throws IOException {
        ServerFlight.Reader r = new ServerFlight.Reader(record);
        assertThat(r.u8()).isEqualTo(0x16);
        int recordVersion = r.u16();
        int recordLength = r.u16();
        assertThat(r.remaining()).isEqualTo(recordLength);
        assertThat(r.u8()).isEqualTo(1);
        int bodyLength = r.u24();
        assertThat(r.remaining()).isEqualTo(bodyLength);
        int clientVersion = r.u16();
        r.bytes(32);
        int sessionIdLength = r.u8();
        r.bytes(sessionIdLength);
        ServerFlight.Reader suiteBytes = new ServerFlight.Reader(r.bytes(r.u16()));
        List<Integer> suites = new ArrayList<>();
        while (suiteBytes.remaining() > 0) {
            suites.add(suiteBytes.u16());
        }
        assertThat(r.u8()).isEqualTo(1);
        assertThat(r.u8()).isEqualTo(0);
        Map<Integer, byte[]> extensions = new LinkedHashMap<>();
        boolean block = r.remaining() > 0;
        if (block) {
            ServerFlight.Reader ext = new ServerFlight.Reader(r.bytes(r.u16()));
            while (ext.remaining() > 0) {
                int type = ext.u16();
                extensions.put(type, ext.bytes(ext.u16()));
            }
        }
        assertThat(r.remaining()).isZero();
        return new Parsed(recordVersion, recordLength, clientVersion, sessionIdLength, suites, extensions, block);
    }

    static int u16(byte[] b, int at) {
        return (b[at] & 0xff) << 8 | b[at + 1] & 0xff;
    }

    @Test
    void tls12HelloOffersTheSuitesAndEveryGroupAndScheme() throws IOException {
        Parsed p = parse(ClientHello.build(TlsProtocol.TLSv1_2, List.of(0xC02F, 0x009C), "shop.test", ClientHello.GROUPS, false));
        assertThat(p.recordVersion()).isEqualTo(0x0301);
        assertThat(p.clientVersion()).isEqualTo(0x0303);
        assertThat(p.sessionIdLength()).isZero();
        assertThat(p.suites()).containsExactly(0xC02F, 0x009C);
        assertThat(p.extensions().keySet()).containsExactly(0x0000, 0x000a, 0x000b, 0x000d, 0x0005, 0x0017, 0xff01);
        byte[] sni = p.extensions().get(0x0000);
        assertThat(u16(sni, 0)).isEqualTo(sni.length - 2);
        assertThat(sni[2]).isEqualTo((byte) 0);
        assertThat(u16(sni, 3)).isEqualTo("shop.test".length());
        assertThat(new String(sni, 5, sni.length - 5, StandardCharsets.US_ASCII)).isEqualTo("shop.test");
        byte[] groups = p.extensions().get(0x000a);
        assertThat(u16(groups, 0)).isEqualTo(ClientHello.GROUPS.length * 2);
        for (int i = 0; i < ClientHello.GROUPS.length; i++) {
            assertThat(u16(groups, 2 + 2 * i)).isEqualTo(ClientHello.GROUPS[i]);
        }
        byte[] schemes = p.extensions().get(0x000d);
        assertThat(u16(schemes, 0)).isEqualTo(ClientHello.SIGNATURE_SCHEMES.length * 2);
        assertThat(u16(schemes, schemes.length - 2)).isEqualTo(ClientHello.SIGNATURE_SCHEMES[ClientHello.SIGNATURE_SCHEMES.length - 1]);
        assertThat(p.extensions().get(0x000b)).containsExactly(1, 0);
        assertThat(p.extensions().get(0x0005)).containsExactly(1, 0, 0, 0, 0);
        assertThat(p.extensions().get(0x0017)).isEmpty();
        assertThat(p.extensions().get(0xff01)).containsExactly(0);
    }

    @Test
    void tls13HelloNamesItselfInSupportedVersionsAndSharesAnX25519Key() throws IOException {
        Parsed p = parse(ClientHello.build(TlsProtocol.TLSv1_3, List.of(0x1301, 0x1302, 0x1303), "shop.test", ClientHello.GROUPS, true));
        assertThat(p.clientVersion()).isEqualTo(0x0303);
        assertThat(p.sessionIdLength()).isEqualTo(32);
        assertThat(p.extensions().get(0x002b)).containsExactly(2, 0x03, 0x04);
        byte[] share = p.extensions().get(0x0033);
        assertThat(u16(share, 0)).isEqualTo(36);
        assertThat(u16(share, 2)).isEqualTo(0x001d);
        assertThat(u16(share, 4)).isEqualTo(32);
        assertThat(share).hasSize(38);
        assertThat(p.extensions().get(0x002d)).containsExactly(1, 1);
        // Without a share (or for another first group) the list is empty: the server must ask for one (HelloRetryRequest).
        byte[] noShare = parse(ClientHello.build(TlsProtocol.TLSv1_3, List.of(0x1301), "shop.test", ClientHello.GROUPS, false))
                .extensions().get(0x0033);
        assertThat(noShare).containsExactly(0, 0);
        byte[] p256First = parse(ClientHello.build(TlsProtocol.TLSv1_3, List.of(0x1301), "shop.test", new int[] {0x0017}, true))
                .extensions().get(0x0033);
        assertThat(p256First).containsExactly(0, 0);
        byte[] noGroups = parse(ClientHello.build(TlsProtocol.TLSv1_3, List.of(0x1301), "shop.test", new int[0], true))
                .extensions().get(0x0033);
        assertThat(noGroups).hasSize(38);
        assertThat(parse(ClientHello.build(TlsProtocol.TLSv1_2, List.of(0xC02F), "shop.test", ClientHello.GROUPS, true))
                .extensions()).doesNotContainKeys(0x002b, 0x0033, 0x002d);
    }

    @ParameterizedTest
    @CsvSource({"SSLv3, 768, 768", "TLSv1, 769, 769", "TLSv1_1, 769, 770", "TLSv1_2, 769, 771"})
    void legacyVersionsGoInTheRecordAndTheHello(TlsProtocol protocol, int recordVersion, int clientVersion) throws IOException {
        Parsed p = parse(ClientHello.build(protocol, List.of(0x002F), "shop.test", ClientHello.GROUPS, false));
        assertThat(p.recordVersion()).isEqualTo(recordVersion);
        assertThat(p.clientVersion()).isEqualTo(clientVersion);
        // SSLv3 has no extensions at all.
        assertThat(p.hasExtensionBlock()).isEqualTo(protocol != TlsProtocol.SSLv3);
    }

    @Test
    void noServerNameForIpLiteralsOrNothing() throws IOException {
        for (String host : new String[] {"127.0.0.1", "::1", "2001:db8::7", "", null}) {
            assertThat(parse(ClientHello.build(TlsProtocol.TLSv1_2, List.of(0x002F), host, ClientHello.GROUPS, false)).extensions())
                    .doesNotContainKey(0x0000);
        }
        assertThat(ClientHello.ipLiteral("10.0.0.7")).isTrue();
        assertThat(ClientHello.ipLiteral("[fe80::1]")).isTrue();
        assertThat(ClientHello.ipLiteral("shop.test")).isFalse();
        assertThat(ClientHello.ipLiteral("1.example")).isFalse();
    }

    @Test
    void helloRandomsDiffer() {
        byte[] a = ClientHello.build(TlsProtocol.TLSv1_3, List.of(0x1301), "shop.test", ClientHello.GROUPS, true);
        byte[] b = ClientHello.build(TlsProtocol.TLSv1_3, List.of(0x1301), "shop.test", ClientHello.GROUPS, true);
        assertThat(a).hasSameSizeAs(b).isNotEqualTo(b);
    }

    @Test
    void protocolsKnowTheirWireNumbersAndNames() {
        assertThat(TlsProtocol.fromWire(0x0303)).contains(TlsProtocol.TLSv1_2);
        assertThat(TlsProtocol.fromWire(0x0304)).contains(TlsProtocol.TLSv1_3);
        assertThat(TlsProtocol.fromWire(0x0300)).contains(TlsProtocol.SSLv3);
        assertThat(TlsProtocol.fromWire(0x0305)).isEmpty();
        assertThat(TlsProtocol.ofLabel("TLSv1.1")).isEqualTo(TlsProtocol.TLSv1_1);
        assertThat(TlsProtocol.ofLabel("TLSv1")).isEqualTo(TlsProtocol.TLSv1);
        assertThat(TlsProtocol.TLSv1_3.label()).isEqualTo("TLSv1.3");
        assertThat(TlsProtocol.TLSv1.wire()).isEqualTo(0x0301);
        assertThatThrownBy(() -> TlsProtocol.ofLabel("TLSv1.4")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown protocol TLSv1.4");
    }

    @Test
    void cipherSuiteNamesComeFromTheRegistry() {
        assertThat(CipherSuites.name(0xC02F)).isEqualTo("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        assertThat(CipherSuites.name(0x1301)).isEqualTo("TLS_AES_128_GCM_SHA256");
        assertThat(CipherSuites.name(0x000A)).isEqualTo("TLS_RSA_WITH_3DES_EDE_CBC_SHA");
        assertThat(CipherSuites.name(0xFAFA)).isEqualTo("0xFAFA");
        // Signalling values and the null suite are never offered.
        assertThat(CipherSuites.name(0x00FF)).isEqualTo("0x00FF");
        assertThat(CipherSuites.name(0x5600)).isEqualTo("0x5600");
        assertThat(CipherSuites.name(0x0000)).isEqualTo("0x0000");
        assertThat(CipherSuites.legacyCatalogue()).contains(0xC02F, 0x002F, 0x000A, 0x0005).doesNotContain(0x1301, 0x00FF, 0x0000);
        assertThat(CipherSuites.legacyCatalogue()).allMatch(c -> c < 0xFF00);
        assertThat(CipherSuites.ecdheCatalogue()).contains(0xC02F, 0xC013).doesNotContain(0x009E, 0x002F);
        assertThat(CipherSuites.tls13Catalogue()).containsExactly(0x1301, 0x1302, 0x1303, 0x1304, 0x1305);
        assertThat(CipherSuites.catalogue(TlsProtocol.TLSv1_3)).isEqualTo(CipherSuites.tls13Catalogue());
        assertThat(CipherSuites.catalogue(TlsProtocol.TLSv1_2)).isEqualTo(CipherSuites.legacyCatalogue());
        // Below TLS 1.2: no AEAD, no SHA-256/384 MAC suites (they would make old servers choke).
        assertThat(CipherSuites.catalogue(TlsProtocol.TLSv1)).contains(0x002F, 0xC013, 0x000A)
                .doesNotContain(0xC02F, 0x009C, 0x003C, 0xCCA8);
        assertThat(CipherSuites.catalogue(TlsProtocol.SSLv3)).isEqualTo(CipherSuites.catalogue(TlsProtocol.TLSv1_1));
    }

    @ParameterizedTest
    @CsvSource({
            "TLS_RSA_WITH_AES_128_GCM_SHA256, true", "TLS_RSA_WITH_AES_128_CCM, true", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, true",
            "TLS_RSA_WITH_AES_128_CBC_SHA256, true", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384, true", "TLS_RSA_WITH_AES_128_CBC_SHA, false",
            "TLS_PSK_WITH_AES_128_CBC_SHA256, false", "TLS_GOSTR341112_256_WITH_KUZNYECHIK_CTR_OMAC, true",
            "TLS_GOSTR341112_256_WITH_MAGMA_CTR_OMAC, true"})
    void tls12OnlySuites(String name, boolean only) {
        assertThat(CipherSuites.tls12Only(name)).isEqualTo(only);
    }

    @ParameterizedTest
    @CsvSource({
            "TLS_RSA_WITH_RC4_128_SHA, true, false, false, false",
            "TLS_RSA_WITH_3DES_EDE_CBC_SHA, false, true, false, false",
            "TLS_RSA_WITH_NULL_SHA, false, false, true, false",
            "TLS_ECDHE_ECDSA_WITH_NULL_SHA, false, false, true, false",
            "TLS_RSA_EXPORT_WITH_DES40_CBC_SHA, false, false, true, true",
            "TLS_DH_anon_WITH_AES_128_CBC_SHA, false, false, true, false",
            "TLS_RSA_WITH_DES_CBC_SHA, false, false, false, true",
            "TLS_RSA_EXPORT_WITH_RC2_CBC_40_MD5, false, false, true, true",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, false, false, false, false"})
    void weakSuiteFamilies(String name, boolean rc4, boolean tripleDes, boolean nullExportAnon, boolean under112) {
        assertThat(CipherSuites.rc4(name)).isEqualTo(rc4);
        assertThat(CipherSuites.tripleDes(name)).isEqualTo(tripleDes);
        assertThat(CipherSuites.nullExportOrAnonymous(name)).isEqualTo(nullExportAnon);
        assertThat(CipherSuites.under112Bits(name)).isEqualTo(under112);
    }
}
