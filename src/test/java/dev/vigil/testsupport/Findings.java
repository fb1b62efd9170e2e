package dev.vigil.testsupport;

import dev.vigil.probe.ServiceFindings;
import dev.vigil.probe.http.Headers;
import dev.vigil.probe.http.HttpFindings;
import dev.vigil.probe.http.Response;
import dev.vigil.probe.http.Session;
import dev.vigil.probe.tls.CertificateFacts;
import dev.vigil.probe.tls.ProtocolSupport;
import dev.vigil.probe.tls.TlsProtocol;
import dev.vigil.probe.tls.TlsScanResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Probe findings built by hand for the pure grading tests: an HTTPS site with the given headers (http:// redirecting
 * to it), and a TLS scan that Mozilla's evaluator judges "intermediate" unless a test changes it.
 */
public final class Findings {

    /** Headers that score 110 (A+) under algorithm 4: CSP without unsafe (+5), Referrer-Policy (+5), the rest neutral. */
    public static final List<String> PERFECT_HEADERS = List.of(
            "Content-Security-Policy", "default-src 'self'",
            "Strict-Transport-Security", "max-age=63072000",
            "X-Content-Type-Options", "nosniff",
            "X-Frame-Options", "DENY",
            "Referrer-Policy", "no-referrer");

    public static final List<String> INTERMEDIATE_TLS12 = List.of("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
    public static final List<String> TLS13 = List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256");

    private Findings() {
    }

    /** The perfect headers without the named ones. */
    public static List<String> perfectWithout(String... names) {
        List<String> headers = new ArrayList<>();
        List<String> drop = List.of(names);
        for (int i = 0; i < PERFECT_HEADERS.size(); i += 2) {
            if (!drop.contains(PERFECT_HEADERS.get(i))) {
                headers.add(PERFECT_HEADERS.get(i));
                headers.add(PERFECT_HEADERS.get(i + 1));
            }
        }
        return headers;
    }

    public static Headers headers(List<String> nameValue) {
        List<Map.Entry<String, String>> lines = new ArrayList<>();
        for (int i = 0; i < nameValue.size(); i += 2) {
            lines.add(new AbstractMap.SimpleImmutableEntry<>(nameValue.get(i), nameValue.get(i + 1)));
        }
        return new Headers(lines);
    }

    public static HttpFindings https(String host, List<String> headerLines) {
        List<String> withType = new ArrayList<>(headerLines);
        withType.add("Content-Type");
        withType.add("text/html; charset=utf-8");
        Response page = new Response("https://" + host + "/", 200, headers(withType),
                "<!doctype html><html><head><title>t</title></head><body>hi</body></html>".getBytes(StandardCharsets.UTF_8));
        Session https = new Session("https://" + host + "/", List.of(page), true);
        Session http = new Session("http://" + host + "/", List.of(new Response("http://" + host + "/", 301,
                headers(List.of("Location", "https://" + host + "/")), new byte[0]), page), true);
        return new HttpFindings(host, Optional.of(http), Optional.of(https), Optional.empty(), List.of(), Duration.ZERO);
    }

    /** A site that answered nothing over HTTP (down on both schemes). */
    public static HttpFindings down(String host) {
        return new HttpFindings(host, Optional.empty(), Optional.empty(), Optional.empty(), List.of("connection refused"),
                Duration.ZERO);
    }

    public static ServiceFindings service(Instant at, TlsScanResult tls, HttpFindings http) {
        return new ServiceFindings(at, Duration.ofMillis(30), Duration.ofMillis(20), Optional.of(tls), Optional.of(http),
                Optional.empty());
    }

    /** A TLS scan edited from a sound intermediate endpoint (RSA 2048, TLS 1.2 + 1.3, ECDHE AES-GCM/ChaCha20). */
    public static TlsScanResult tls(String host, Instant now, UnaryOperator<TlsBuilder> edit) {
        return edit.apply(new TlsBuilder(host, now)).build();
    }

    public static final class TlsBuilder {
        final String host;
        final Map<TlsProtocol, List<String>> suites = new LinkedHashMap<>();
        boolean trusted = true;
        boolean chainComplete = true;
        boolean expired;
        boolean notYetValid;
        boolean hostnameMatches = true;
        String keyType = "RSA";
        int keyBits = 2048;
        String signature = "SHA256withRSA";
        Instant notAfter;
        Integer dhBits;
        String leafSha256;

        TlsBuilder(String host, Instant now) {
            this.host = host;
            this.notAfter = now.plus(Duration.ofDays(60));
            suites.put(TlsProtocol.TLSv1_2, new ArrayList<>(INTERMEDIATE_TLS12));
            suites.put(TlsProtocol.TLSv1_3, new ArrayList<>(TLS13));
        }

        /** Also offer an older protocol, with the TLS 1.2 suites. */
        public TlsBuilder offering(TlsProtocol protocol) {
            suites.put(protocol, new ArrayList<>(INTERMEDIATE_TLS12));
            return this;
        }

        public TlsBuilder only(TlsProtocol... protocols) {
            suites.clear();
            for (TlsProtocol p : protocols) {
                suites.put(p, new ArrayList<>(p == TlsProtocol.TLSv1_3 ? TLS13 : INTERMEDIATE_TLS12));
            }
            return this;
        }

        public TlsBuilder suite(String suite) {
            suites.values().stream().filter(s -> !s.isEmpty() && !s.get(0).startsWith("TLS_AES") && !s.get(0).startsWith("TLS_CHACHA"))
                    .forEach(s -> s.add(suite));
            return this;
        }

        public TlsBuilder trusted(boolean v) { trusted = v; return this; }
        public TlsBuilder chainComplete(boolean v) { chainComplete = v; return this; }
        public TlsBuilder expired(boolean v) { expired = v; return this; }
        public TlsBuilder hostnameMatches(boolean v) { hostnameMatches = v; return this; }
        public TlsBuilder key(String type, int bits) { keyType = type; keyBits = bits; return this; }
        public TlsBuilder signature(String v) { signature = v; return this; }
        public TlsBuilder notAfter(Instant v) { notAfter = v; return this; }
        public TlsBuilder dhBits(int v) { dhBits = v; return this; }
        public TlsBuilder leafSha256(String v) { leafSha256 = v; return this; }

        TlsScanResult build() {
            Map<TlsProtocol, ProtocolSupport> protocols = new EnumMap<>(TlsProtocol.class);
            suites.forEach((p, s) -> protocols.put(p, new ProtocolSupport(p, List.copyOf(s), "server",
                    List.of("x25519", "secp256r1"), Optional.ofNullable(dhBits))));
            CertificateFacts cert = new CertificateFacts(true, trusted, chainComplete, expired, notYetValid, hostnameMatches,
                    keyType, keyBits, Optional.empty(), signature, 90, Optional.of(notAfter), false,
                    trusted ? Optional.empty() : Optional.of("untrusted"), Optional.empty(), false, Optional.ofNullable(leafSha256));
            return new TlsScanResult(host, 443, true, protocols, cert, 12, Duration.ofMillis(30), List.of());
        }
    }

    /** An endpoint with no TLS at all. */
    public static TlsScanResult noTls(String host) {
        return new TlsScanResult(host, 443, false, Map.of(), CertificateFacts.none(), 1, Duration.ofMillis(1), List.of("refused"));
    }
}
