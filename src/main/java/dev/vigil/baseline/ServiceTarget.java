package dev.vigil.baseline;

import dev.vigil.probe.AddressSource;
import java.util.Optional;

/**
 * One service to probe: the host a rule serves (SNI and Host header), where to connect, the
 * Ingress it came from (absent for explicit targets), and who chose the address (the address policy's input).
 */
public record ServiceTarget(String namespace, Optional<String> ingress, String host, int httpsPort, int httpPort,
        String path, Optional<String> connectHost, AddressSource addressSource) {

    /**
     * Identity of the probe: the same host reached the same way is probed once per cycle. Where the address came
     * from is part of it, so an untrusted baseline never reads findings a trusted one was allowed to get.
     */
    public String key() {
        return host + ":" + httpsPort + path + "@" + connectHost.orElse("dns") + ":" + httpPort + "/"
                + addressSource.origin() + (addressSource.trusted() ? "+trusted" : "");
    }
}
