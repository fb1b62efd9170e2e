package dev.vigil.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.probe.http.HttpFindings;
import dev.vigil.probe.http.HttpProber;
import dev.vigil.probe.http.HttpTarget;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Probes aimed inward for real: a server on 127.0.0.2 (loopback, always denied) counts every
 * connection it receives, and must receive none, whether the probe is aimed at it directly, by a
 * numeric or embedded form, or by a redirect from a server the probe may reach (127.0.0.1, exempted
 * here with unsafe-allow-cidrs the way the operator's tests exempt it).
 */
class InwardProbesTest {

    static final Duration BUDGET = Duration.ofSeconds(10);
    static final AddressSource INGRESS = new AddressSource(AddressOrigin.INGRESS, false);
    static final AddressSource UNTRUSTED_BASELINE = new AddressSource(AddressOrigin.NAMED_BY_BASELINE, false);
    static final AddressPolicy ONLY_127_0_0_1_EXEMPT = AddressPolicy.of(new AddressPolicy.Settings(List.of(),
            List.of(), List.of("127.0.0.1/32"), List.of()));

    /** Counts accepted connections and answers each request with {@code response}. */
    static final class CountingServer implements AutoCloseable {
        final ServerSocket socket;
        final AtomicInteger connections = new AtomicInteger();

        CountingServer(String address, String response) throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getByName(address));
            Thread acceptor = new Thread(() -> {
                while (!socket.isClosed()) {
                    try (Socket s = socket.accept()) {
                        connections.incrementAndGet();
                        readHead(s.getInputStream());
                        s.getOutputStream().write(response.getBytes(StandardCharsets.US_ASCII));
                    } catch (IOException e) {
                        // closed, or the client hung up
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        private static void readHead(InputStream in) throws IOException {
            int state = 0;
            while (state < 4) {
                int c = in.read();
                if (c < 0) {
                    return;
                }
                state = (c == '\r' && state % 2 == 0) || (c == '\n' && state % 2 == 1) ? state + 1 : 0;
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";

    static String redirectTo(String location) {
        return "HTTP/1.1 302 Found\r\nLocation: " + location + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    }

    static HttpFindings probe(AddressPolicy policy, HttpTarget target) {
        try (HttpProber prober = new HttpProber(HttpProber.Config.defaults().withAddressPolicy(policy))) {
            return prober.probe(target, BUDGET);
        }
    }

    /** The plain-http session only: https goes to a port nothing listens on (after the policy let it through). */
    static HttpTarget plainHttp(String host, Optional<InetAddress> connectTo, int httpPort, AddressSource source) throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closed = s.getLocalPort();
        }
        return new HttpTarget(host, 443, "/", connectTo, closed, httpPort, 80, source);
    }

    @Test
    void anIngressAddressOnLoopbackGetsNoConnection() throws Exception {
        try (CountingServer inner = new CountingServer("127.0.0.2", OK)) {
            HttpFindings findings = probe(AddressPolicy.defaults(), plainHttp("inner.test",
                    Optional.of(InetAddress.getByName("127.0.0.2")), inner.port(), INGRESS));
            assertThat(findings.http()).isEmpty();
            assertThat(findings.errors()).anyMatch(e -> e.contains("refused to probe 127.0.0.2: Loopback"));
            assertThat(inner.connections.get()).isZero();
        }
    }

    @ParameterizedTest(name = "a redirect to {0} gets no connection")
    @ValueSource(strings = {"http://127.0.0.2:%d/", "http://2130706434:%d/", "http://0x7f000002:%d/", "http://127.2:%d/",
        "http://0177.0.0.2:%d/", "http://[::ffff:127.0.0.2]:%d/", "http://[::127.0.0.2]:%d/", "http://localhost:%d/"})
    void redirectsInwardGetNoConnection(String location) throws Exception {
        // localhost is 127.0.0.1, which this policy exempts from the always-denied list (the redirecting server lives
        // there); a redirect is the server's choice, so it must still be a global address.
        String innerAddress = location.contains("localhost") ? "127.0.0.1" : "127.0.0.2";
        try (CountingServer inner = new CountingServer(innerAddress, OK);
                CountingServer outer = new CountingServer("127.0.0.1", redirectTo(location.formatted(inner.port())))) {
            HttpFindings findings = probe(ONLY_127_0_0_1_EXEMPT, plainHttp("outer.test",
                    Optional.of(InetAddress.getByName("127.0.0.1")), outer.port(), INGRESS));
            assertThat(outer.connections.get()).as("the probe reached the redirecting server").isPositive();
            assertThat(findings.errors()).anyMatch(e -> e.contains("refused to probe ")
                    && (e.contains(": Loopback (") || e.contains(": PrivateNotAllowed (")));
            assertThat(inner.connections.get()).isZero();
        }
    }

    @Test
    void aNumericHostNameForLoopbackGetsNoConnection() throws Exception {
        try (CountingServer inner = new CountingServer("127.0.0.2", OK)) {
            for (String host : List.of("2130706434", "0x7f000002", "127.2", "0177.0.0.2")) {
                // https://HOST:PORT/ with no address of its own: the host name is resolved, checked, refused.
                HttpTarget target = new HttpTarget(host, inner.port(), "/", Optional.empty(), inner.port(), 80, 80, UNTRUSTED_BASELINE);
                HttpFindings findings = probe(AddressPolicy.defaults(), target);
                assertThat(findings.errors()).as(host).anyMatch(e -> e.contains("refused to probe 127.0.0.2: Loopback"));
            }
            assertThat(inner.connections.get()).isZero();
        }
    }

    @Test
    void theCommandLinesUserMayScanLocalhostButARedirectMayNotTakeItToMetadata() throws Exception {
        try (CountingServer local = new CountingServer("127.0.0.1", redirectTo("http://169.254.169.254/latest/meta-data/"))) {
            HttpFindings findings = probe(AddressPolicy.defaults(), plainHttp("localhost",
                    Optional.of(InetAddress.getByName("127.0.0.1")), local.port(), AddressSource.USER));
            assertThat(local.connections.get()).as("the user's own localhost is scanned").isPositive();
            assertThat(findings.errors()).anyMatch(e -> e.contains("refused to probe 169.254.169.254: CloudMetadata"));
        }
    }
}
