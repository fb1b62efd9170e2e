package dev.vigil.probe.tls;

import java.util.List;
import java.util.Optional;

/**
 * What one protocol version accepts: suites (IANA names, in the server's order when it enforces
 * one), whose order decides ("server" or "client"), key-exchange groups and the smallest DH modulus.
 */
public record ProtocolSupport(TlsProtocol protocol, List<String> suites, String cipherOrder, List<String> groups,
        Optional<Integer> minDhBits) {
}
