package dev.vigil.probe.http;

import dev.vigil.probe.AddressSource;
import java.net.InetAddress;
import java.util.Optional;

/**
 * A site to probe. URLs keep the host's own name and ports (SNI and Host are always {@code host});
 * {@code connectTo} with {@code httpsConnectPort}/{@code httpConnectPort} say where the packets go
 * for that host, e.g. an ingress controller's address. {@code httpPort} is the port of the site's
 * http:// URL (80 unless a URL such as {@code http://host:8080/} names another). {@code source} says who
 * chose the address, which decides what the address policy lets every hop of the probe reach.
 */
public record HttpTarget(String host, int httpsPort, String path, Optional<InetAddress> connectTo,
        int httpsConnectPort, int httpConnectPort, int httpPort, AddressSource source) {

    static final int DEFAULT_HTTP_PORT = 80;
    static final int DEFAULT_HTTPS_PORT = 443;

    /** A site whose http:// URL is on port 80, named by its user on their own authority ({@link AddressSource#USER}). */
    public HttpTarget(String host, int httpsPort, String path, Optional<InetAddress> connectTo, int httpsConnectPort,
            int httpConnectPort) {
        this(host, httpsPort, path, connectTo, httpsConnectPort, httpConnectPort, DEFAULT_HTTP_PORT, AddressSource.USER);
    }

    public static HttpTarget of(String host, int httpsPort, String path) {
        return new HttpTarget(host, httpsPort, path, Optional.empty(), httpsPort, DEFAULT_HTTP_PORT);
    }

    public String httpsUrl() {
        return "https://" + host + (httpsPort == DEFAULT_HTTPS_PORT ? "" : ":" + httpsPort) + path;
    }

    public String httpUrl() {
        return "http://" + host + (httpPort == DEFAULT_HTTP_PORT ? "" : ":" + httpPort) + path;
    }
}
