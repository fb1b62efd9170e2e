package dev.vigil.probe.tls;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The full TLS picture of one endpoint, and what it cost to get it. */
public record TlsScanResult(String host, int port, boolean tlsAvailable, Map<TlsProtocol, ProtocolSupport> protocols,
        CertificateFacts certificate, int handshakes, Duration elapsed, List<String> errors) {

    public List<String> allSuites() {
        return protocols.values().stream().flatMap(p -> p.suites().stream()).distinct().toList();
    }
}
