package dev.vigil.probe;

import java.net.InetAddress;
import java.util.Optional;

/**
 * A service as the prober reaches it: the host (SNI, Host header, certificate name), the URL's HTTPS port and
 * path, and where the packets go — {@code connectHost} (an address or a name to resolve; absent: the host itself)
 * on {@code httpsConnectPort} and {@code httpConnectPort}.
 */
public record ServiceEndpoint(String host, int port, String path, Optional<String> connectHost, int httpsConnectPort,
        int httpConnectPort) {

    /** Identity of the probe: the same host reached the same way is the same probe. */
    public String key() {
        return host + ":" + port + path + "@" + connectHost.orElse("dns") + ":" + httpsConnectPort + "/" + httpConnectPort;
    }

    /** The HTTP Observatory target once {@code connectHost} is resolved (and checked) to {@code address}. */
    public dev.vigil.probe.http.HttpTarget httpTarget(InetAddress address) {
        return new dev.vigil.probe.http.HttpTarget(host, port, path, Optional.of(address), httpsConnectPort, httpConnectPort);
    }
}
