package dev.vigil.probe;

import dev.vigil.probe.http.HttpFindings;
import dev.vigil.probe.tls.TlsScanResult;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Everything one probe of a service found, as plain data: the TLS scan and the HTTP Observatory sessions
 * themselves, graded later under whatever policy asks (the same findings serve a changed baseline without a
 * new probe). {@code failure} is set when the probe could not run or got no answer; {@code tls}/{@code http}
 * then hold whatever was gathered before that.
 */
public record ServiceFindings(Instant probedAt, Duration tlsElapsed, Duration httpElapsed, Optional<TlsScanResult> tls,
        Optional<HttpFindings> http, Optional<ProbeFailure> failure) {

    public static ServiceFindings failed(Instant at, String reason, String message) {
        return new ServiceFindings(at, Duration.ZERO, Duration.ZERO, Optional.empty(), Optional.empty(),
                Optional.of(new ProbeFailure(reason, message)));
    }

    /** When the probe started: its end less the time both halves took. */
    public Instant startedAt() {
        return probedAt.minus(tlsElapsed).minus(httpElapsed);
    }
}
