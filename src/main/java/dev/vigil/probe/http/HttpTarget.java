package dev.vigil.probe.http;

import dev.vigil.probe.AddressSource;
import java.net.InetAddress;
import java.util.Optional;

/**
 * A site to probe. URLs keep the host's own name and ports (SNI and Host are always {@code host});
 * {@code connectTo} with {@code httpsConnectPort}/{@code httpConnectPort} say where the packets go
 * for that host, e.g. an ingress controller's address. {@code source} says who chose that address, which
 * decides what the address policy lets every hop of the probe reach.
 */
public record HttpTarget(String host, int httpsPort, String path, Optional<InetAddress> connectTo,
        int httpsConnectPort, int httpConnectPort, AddressSource source) {

    /** A target its user names on their own authority (the command line, tests): see {@link AddressSource#USER}. */
    public HttpTarget(String host, int httpsPort, String path, Optional<InetAddress> connectTo, int httpsConnectPort,
            int httpConnectPort) {
        this(host, httpsPort, path, connectTo, httpsConnectPort, httpConnectPort, AddressSource.USER);
    }

    public static HttpTarget of(String host, int httpsPort, String path) {
        return new HttpTarget(host, httpsPort, path, Optional.empty(), httpsPort, 80);
    }

    public String httpsUrl() {
        return "https://" + host + (httpsPort == 443 ? "" : ":" + httpsPort) + path;
    }

    public String httpUrl() {
        return "http://" + host + path;
    }
}
