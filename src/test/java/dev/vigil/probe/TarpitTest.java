package dev.vigil.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.vigil.probe.http.HttpFindings;
import dev.vigil.probe.http.HttpProber;
import dev.vigil.probe.http.HttpTarget;
import dev.vigil.probe.tls.TlsScanResult;
import dev.vigil.probe.tls.TlsScanner;
import dev.vigil.probe.tls.TlsTarget;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Tarpits: servers that keep a connection busy forever without ever finishing a handshake or a
 * response, so read timeouts (reset by every byte) never fire. Whatever the server does, nothing the
 * probe opened may outlive its budget by more than a second: no {@code vigil-tls-enum} thread, no
 * HTTP session still inside the prober, and no connection still open on the server's side.
 */
class TarpitTest {

    static final Duration BUDGET = Duration.ofSeconds(2);
    /** What a probe may take past its budget to notice and close everything. */
    static final Duration SLACK = Duration.ofSeconds(1);
    static final Duration HANG_GUARD = Duration.ofSeconds(60);

    /** A zero-length handshake record (a TLS 1.2 record header and nothing else), sent back to back forever. */
    static final byte[] EMPTY_HANDSHAKE_RECORD = {0x16, 0x03, 0x03, 0x00, 0x00};

    @Test
    void zeroLengthHandshakeRecordsForeverLeaveNothingBehind() throws Exception {
        try (Tarpit tarpit = new Tarpit(out -> {
            byte[] burst = new byte[EMPTY_HANDSHAKE_RECORD.length * 200];
            for (int i = 0; i < 200; i++) {
                System.arraycopy(EMPTY_HANDSHAKE_RECORD, 0, burst, i * EMPTY_HANDSHAKE_RECORD.length, EMPTY_HANDSHAKE_RECORD.length);
            }
            while (true) {
                out.write(burst);
                out.flush();
                Thread.sleep(5); // a steady stream, not a CPU burner
            }
        })) {
            scanAndAssertNothingOutlivesTheBudget(tarpit);
        }
    }

    @Test
    void oneBytePerSecondLeavesNothingBehind() throws Exception {
        byte[] endless = new byte[] {0x16, 0x03, 0x03, 0x40, 0x00}; // a 16 KiB record that never finishes arriving
        try (Tarpit tarpit = new Tarpit(out -> {
            for (int i = 0; ; i++) {
                out.write(i < endless.length ? endless[i] : 0);
                out.flush();
                Thread.sleep(1000);
            }
        })) {
            scanAndAssertNothingOutlivesTheBudget(tarpit);
        }
    }

    @Test
    void httpOneBytePerSecondLeavesNothingBehind() throws Exception {
        byte[] head = "HTTP/1.1 200 OK\r\n".getBytes(StandardCharsets.US_ASCII);
        try (Tarpit tarpit = new Tarpit(out -> {
            for (int i = 0; ; i++) {
                out.write(i < head.length ? head[i] : 'X'); // a header line that never ends
                out.flush();
                Thread.sleep(1000);
            }
        }); HttpProber prober = new HttpProber(new HttpProber.Config(Duration.ofSeconds(30), 10, 64 * 1024, List.of(),
                AddressPolicy.defaults()))) {
            InetAddress loopback = InetAddress.getByName("127.0.0.1");
            // Both sessions land on the tarpit: the https:// one never gets a ServerHello, the http:// one never a header.
            HttpTarget target = new HttpTarget("tarpit.test", 443, "/", Optional.of(loopback), tarpit.port(), tarpit.port());
            long start = System.nanoTime();
            HttpFindings findings = assertTimeoutPreemptively(HANG_GUARD, () -> prober.probe(target, BUDGET));
            assertThat(findings.http()).isEmpty();
            assertThat(findings.https()).isEmpty();
            assertThat(tarpit.accepted.get()).as("the probe did reach the tarpit").isPositive();
            awaitUntil(start, BUDGET.plus(SLACK));
            assertThat(tarpit.open.get()).as("connections still open on the server's side").isZero();
            assertThat(threadsInside("dev.vigil.probe.http.HttpProber")).as("threads still inside the HTTP prober").isEmpty();
        }
    }

    private static void scanAndAssertNothingOutlivesTheBudget(Tarpit tarpit) throws Exception {
        TlsScanner scanner = new TlsScanner(TlsScanner.Config.defaults().withBudget(BUDGET));
        TlsTarget target = new TlsTarget("tarpit.test", tarpit.port(), Optional.of(InetAddress.getByName("127.0.0.1")));
        long start = System.nanoTime();
        TlsScanResult result = assertTimeoutPreemptively(HANG_GUARD, () -> scanner.scan(target));
        long returnedAfter = System.nanoTime() - start;
        assertThat(result.tlsAvailable()).isFalse();
        assertThat(tarpit.accepted.get()).as("the scan did reach the tarpit").isPositive();
        assertThat(Duration.ofNanos(returnedAfter)).as("scan returned within budget + slack").isLessThanOrEqualTo(BUDGET.plus(SLACK));
        awaitUntil(start, BUDGET.plus(SLACK));
        assertThat(tarpit.open.get()).as("connections still open on the server's side").isZero();
        assertThat(threadsNamed("vigil-tls-enum")).as("vigil-tls-enum threads still alive").isEmpty();
    }

    private static void awaitUntil(long start, Duration after) throws InterruptedException {
        long left = start + after.toNanos() - System.nanoTime();
        if (left > 0) {
            Thread.sleep(left / 1_000_000 + 1);
        }
    }

    static List<String> threadsNamed(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && t.getName().equals(name))
                .map(t -> t.getName() + " " + t.getState()).toList();
    }

    static List<String> threadsInside(String className) {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> Arrays.stream(e.getValue()).anyMatch(f -> f.getClassName().startsWith(className)))
                .map(e -> e.getKey().getName()).toList();
    }

    interface Behaviour {
        void serve(OutputStream out) throws Exception;
    }

    /**
     * Accepts on 127.0.0.1 and runs the behaviour on every connection; a second thread per connection reads
     * until the peer closes, so {@link #open} counts connections the prober has not closed yet.
     */
    static final class Tarpit implements AutoCloseable {
        final ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        final AtomicInteger accepted = new AtomicInteger();
        final AtomicInteger open = new AtomicInteger();

        Tarpit(Behaviour behaviour) throws IOException {
            daemon(() -> {
                while (!server.isClosed()) {
                    Socket s;
                    try {
                        s = server.accept();
                    } catch (IOException e) {
                        return;
                    }
                    accepted.incrementAndGet();
                    open.incrementAndGet();
                    daemon(() -> {
                        try (s; InputStream in = s.getInputStream()) {
                            byte[] buffer = new byte[4096];
                            while (in.read(buffer) >= 0) {
                                // the client's hello or request: ignored
                            }
                        } catch (IOException e) {
                            // reset by the client: closed as well
                        } finally {
                            open.decrementAndGet();
                        }
                    });
                    daemon(() -> {
                        try {
                            behaviour.serve(s.getOutputStream());
                        } catch (Exception e) {
                            // the client went away
                        }
                    });
                }
            });
        }

        int port() {
            return server.getLocalPort();
        }

        private static void daemon(Runnable r) {
            Thread t = new Thread(r, "tarpit");
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
