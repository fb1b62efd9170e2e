package dev.vigil.probe.http;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What the header probe saw for a host: both sessions (absent when they got no answer), the CORS
 * preflight answer, and errors met on the way (connection refused, timeouts, refused addresses).
 */
public record HttpFindings(String host, Optional<Session> http, Optional<Session> https, Optional<Response> preflight,
        List<String> errors, Duration elapsed) {

    /** The response most tests read: the HTTPS session's final one if it connected, else HTTP's. */
    public Optional<Session> autoSession() {
        return https.isPresent() ? https : http;
    }
}
