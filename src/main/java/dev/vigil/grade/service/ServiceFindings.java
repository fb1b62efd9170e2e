package dev.vigil.grade.service;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Everything one probe of a service found, before grading. {@code error} is set when the probe
 * could not run (refused address, budget spent, DNS failure); the other fields then hold what was
 * gathered before that.
 */
public record ServiceFindings(Instant probedAt, Duration tlsElapsed, Duration httpElapsed, TlsEvidence tls,
        HttpEvidence http, Optional<String> error, Optional<String> errorReason) {

    public static ServiceFindings failed(Instant at, String reason, String message) {
        return new ServiceFindings(at, Duration.ZERO, Duration.ZERO, TlsEvidence.NONE, HttpEvidence.none(message),
                Optional.of(message), Optional.of(reason));
    }
}
