package dev.vigil.baseline;

import java.util.Optional;

/**
 * One service to probe: the host a rule serves (SNI and Host header), where to connect, and the
 * Ingress it came from (absent for explicit targets).
 */
public record ServiceTarget(String namespace, Optional<String> ingress, String host, int httpsPort, int httpPort,
        String path, Optional<String> connectHost) {

    /** Identity of the probe: the same host reached the same way is probed once per cycle. */
    public String key() {
        return host + ":" + httpsPort + path + "@" + connectHost.orElse("dns") + ":" + httpPort;
    }
}
