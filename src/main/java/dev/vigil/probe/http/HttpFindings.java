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

    /**
     * The same findings with page bodies cut down to what grading reads: each session's final response keeps the
     * text of its {@code <meta>} and {@code <script>} tags, every other body is dropped. The Observatory grades the
     * result exactly as the full findings; an operator can keep thousands of them.
     */
    public HttpFindings compact() {
        return new HttpFindings(host, http.map(HttpFindings::compact), https.map(HttpFindings::compact),
                preflight.map(r -> withBody(r, new byte[0])), errors, elapsed);
    }

    private static Session compact(Session session) {
        List<Response> responses = new java.util.ArrayList<>();
        for (int i = 0; i < session.responses().size(); i++) {
            Response r = session.responses().get(i);
            boolean last = i == session.responses().size() - 1;
            responses.add(withBody(r, last ? Html.tagSource(new String(r.body(), java.nio.charset.StandardCharsets.UTF_8))
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8) : new byte[0]));
        }
        return new Session(session.startUrl(), List.copyOf(responses), session.verified());
    }

    private static Response withBody(Response r, byte[] body) {
        return new Response(r.url(), r.status(), r.headers(), body);
    }

    /** The response most tests read: the HTTPS session's final one if it connected, else HTTP's. */
    public Optional<Session> autoSession() {
        return https.isPresent() ? https : http;
    }
}
