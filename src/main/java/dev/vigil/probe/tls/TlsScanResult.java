package dev.vigil.probe.tls;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The full TLS picture of one endpoint, and what it cost to get it.
 *
 * @param certificate the certificate a client offering every signature algorithm gets (ECDSA first, as browsers do)
 * @param otherCertificates further certificates the same server presents to clients with other signature algorithms
 *     (an RSA certificate beside an ECDSA one); each validated on its own, and the weaker one counts in the grade
 * @param sslv2 the server answered an SSLv2 CLIENT-HELLO with a SERVER-HELLO
 * @param plainHttp the port answered the first ClientHello in plain HTTP (so nothing else was tried)
 */
public record TlsScanResult(String host, int port, boolean tlsAvailable, Map<TlsProtocol, ProtocolSupport> protocols,
        CertificateFacts certificate, int handshakes, Duration elapsed, List<String> errors,
        List<CertificateFacts> otherCertificates, boolean sslv2, boolean plainHttp) {

    /** A scan without the facts added later (dual certificates, SSLv2, plain HTTP): none of them seen. */
    public TlsScanResult(String host, int port, boolean tlsAvailable, Map<TlsProtocol, ProtocolSupport> protocols,
            CertificateFacts certificate, int handshakes, Duration elapsed, List<String> errors) {
        this(host, port, tlsAvailable, protocols, certificate, handshakes, elapsed, errors, List.of(), false, false);
    }

    public List<String> allSuites() {
        return protocols.values().stream().flatMap(p -> p.suites().stream()).distinct().toList();
    }

    /** Every certificate the server presents: the primary one first. */
    public List<CertificateFacts> certificates() {
        List<CertificateFacts> all = new ArrayList<>();
        all.add(certificate);
        all.addAll(otherCertificates);
        return all;
    }
}
