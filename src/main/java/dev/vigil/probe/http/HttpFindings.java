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

    /**
     * The response headers grading reads (lower case), and all that compaction keeps of a response's headers: a
     * site's findings are held for every service between probes, and the rest (Server, Date, ETag, Vary, caching,
     * tracing…) was most of the heap an operator with thousands of services kept. Compacted findings must grade
     * exactly as the full ones (ObservatoryNginxTest checks every test site under every algorithm).
     */
    static final java.util.Set<String> GRADED_HEADERS = java.util.Set.of("access-control-allow-origin", "content-security-policy",
            "content-security-policy-report-only", "content-type", "cross-origin-embedder-policy", "cross-origin-opener-policy",
            "cross-origin-resource-policy", "location", "referrer-policy", "set-cookie", "strict-transport-security",
            "x-content-type-options", "x-frame-options");

    private static Response withBody(Response r, byte[] body) {
        return new Response(r.url(), r.status(), r.headers().only(GRADED_HEADERS), body);
    }

    /** The response most tests read: the HTTPS session's final one if it connected, else HTTP's. */
    public Optional<Session> autoSession() {
        return https.isPresent() ? https : http;
    }
}
