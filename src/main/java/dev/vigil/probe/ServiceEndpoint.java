package dev.vigil.probe;

import java.net.InetAddress;
import java.util.Optional;

/**
 * A service as the prober reaches it: the host (SNI, Host header, certificate name), the URL's HTTPS port and
 * path (and the http:// URL's port), where the packets go — {@code connectHost} (an address or a name to resolve; absent: the host itself)
 * on {@code httpsConnectPort} and {@code httpConnectPort} — and who chose that address ({@code source}), which
 * decides what the address policy lets the probe reach.
 */
public record ServiceEndpoint(String host, int port, String path, Optional<String> connectHost, int httpsConnectPort,
        int httpConnectPort, int httpPort, AddressSource source) {

    /** The http:// URL's port when a service names none: 80. */
    public static final int DEFAULT_HTTP_PORT = 80;

    /** A service whose http:// URL is on port 80 (every Ingress host). */
    public ServiceEndpoint(String host, int port, String path, Optional<String> connectHost, int httpsConnectPort,
            int httpConnectPort, AddressSource source) {
        this(host, port, path, connectHost, httpsConnectPort, httpConnectPort, DEFAULT_HTTP_PORT, source);
    }

    /**
     * Identity of the probe: the same host reached the same way is the same probe. Where the address came from is
     * part of it, so findings a trusted source was allowed to get are never handed to an untrusted one.
     */
    public String key() {
        return host + ":" + port + "," + httpPort + path + "@" + connectHost.orElse("dns") + ":" + httpsConnectPort + "/"
                + httpConnectPort + "/" + source.origin() + (source.trusted() ? "+trusted" : "");
    }

    /** The HTTP Observatory target once {@code connectHost} is resolved (and checked) to {@code address}. */
    public dev.vigil.probe.http.HttpTarget httpTarget(InetAddress address) {
        return new dev.vigil.probe.http.HttpTarget(host, port, path, Optional.of(address), httpsConnectPort, httpConnectPort,
                httpPort, source);
    }
}
