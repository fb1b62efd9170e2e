package dev.vigil.probe.tls;

import java.net.InetAddress;
import java.util.Optional;

/** Where to probe: the host name (SNI, certificate name check), port, and an optional address to connect to. */
public record TlsTarget(String host, int port, Optional<InetAddress> connectTo) {
}
