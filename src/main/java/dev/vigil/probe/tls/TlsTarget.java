package dev.vigil.probe.tls;

import dev.vigil.probe.AddressSource;
import java.net.InetAddress;
import java.util.Optional;

/**
 * Where to probe: the host name (SNI, certificate name check), port, an optional address to connect to, and who
 * chose that address (which decides where an AIA fetch, the server's choice, may go).
 */
public record TlsTarget(String host, int port, Optional<InetAddress> connectTo, AddressSource source) {

    /** A target its user names on their own authority (the command line, tests). */
    public TlsTarget(String host, int port, Optional<InetAddress> connectTo) {
        this(host, port, connectTo, AddressSource.USER);
    }
}
