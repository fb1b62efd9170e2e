package dev.vigil.baseline;

import dev.vigil.grade.service.ServiceFindings;
import java.net.InetAddress;
import java.time.Duration;

/** Probes one service's TLS and HTTP layers within a time budget. */
public interface ServiceProber {

    /** @param connectTo the address already checked against the address policy; SNI and Host stay the target host */
    ServiceFindings probe(ServiceTarget target, InetAddress connectTo, Duration budget);
}
