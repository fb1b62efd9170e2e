package dev.vigil.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.vigil.grade.observatory.HstsPreloadList;
import dev.vigil.grade.observatory.Observatory;
import dev.vigil.grade.observatory.ObservatoryAlgorithm;
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
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Servers that misbehave on purpose: each probe must end with a bounded, typed outcome. The
 * timeouts below only guard against hangs (far above the budgets); speed lives in the benchmarks.
 */
class HostileServersTest {

    static final Duration HANG_GUARD = Duration.ofSeconds(60);
    ServerSocket server;

    @AfterEach
    void close() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    /** A plain-HTTP server on 127.0.0.1 whose every connection is handled by {@code behaviour}. */
    int serve(Consumer<Socket> behaviour) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    Thread worker = new Thread(() -> {
                        try (s) {
                            behaviour.accept(s);
                        } catch (IOException ignored) {
                            // the prober hung up: fine
                        }
                    });
                    worker.setDaemon(true);
                    worker.start();
                } catch (IOException e) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
        return server.getLocalPort();
    }

    static void readRequest(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        int state = 0;
        while (state < 4) {
            int c = in.read();
            if (c < 0) {
                return;
            }
            state = (c == '\r' && state % 2 == 0) || (c == '\n' && state % 2 == 1) ? state + 1 : 0;
        }
    }

    HttpFindings probeHttp(int port, Duration budget) throws Exception {
        try (HttpProber prober = new HttpProber(new HttpProber.Config(Duration.ofSeconds(2), 10, 64 * 1024, java.util.List.of(),
                AddressPolicy.defaults()))) {
            return prober.probe(new HttpTarget("hostile.test", 443, "/", Optional.of(InetAddress.getByName("127.0.0.1")),
                    closedPort(), port), budget); // nothing on the HTTPS side: the HTTP session is the one under test
        }
    }

    static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    @Test
    void endlessBodyIsCutAtTheCap() throws Exception {
        int port = serve(s -> {
            try {
                readRequest(s);
                OutputStream out = s.getOutputStream();
                out.write("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                byte[] chunk = "<p>filler</p>".repeat(500).getBytes(StandardCharsets.US_ASCII);
                while (true) {
                    out.write(chunk);
                }
            } catch (IOException e) {
                // prober closed the connection after its cap
            }
        });
        HttpFindings findings = assertTimeoutPreemptively(HANG_GUARD, () -> probeHttp(port, Duration.ofSeconds(10)));
        assertThat(findings.http()).isPresent();
        assertThat(findings.http().get().finalResponse().body()).hasSize(64 * 1024);
    }

    @Test
    void endlessHeadersFailTheSessionWithoutHanging() throws Exception {
        int port = serve(s -> {
            try {
                readRequest(s);
                OutputStream out = s.getOutputStream();
                out.write("HTTP/1.1 200 OK\r\n".getBytes(StandardCharsets.US_ASCII));
                while (true) {
                    out.write("X-Filler: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n".getBytes(StandardCharsets.US_ASCII));
                }
            } catch (IOException e) {
                // closed by the prober
            }
        });
        HttpFindings findings = assertTimeoutPreemptively(HANG_GUARD, () -> probeHttp(port, Duration.ofSeconds(10)));
        assertThat(findings.http()).isEmpty();
        assertThat(Observatory.grade(findings, ObservatoryAlgorithm.V4, HstsPreloadList.empty()).grade()).isEmpty();
    }

    @Test
    void oneBytePerSecondIsStoppedByTheTimeouts() throws Exception {
        int port = serve(s -> {
            try {
                readRequest(s);
                OutputStream out = s.getOutputStream();
                for (byte b : "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII)) {
                    out.write(b);
                    out.flush();
                    Thread.sleep(1000);
                }
            } catch (IOException | InterruptedException e) {
                // closed by the prober
            }
        });
        HttpFindings findings = assertTimeoutPreemptively(HANG_GUARD, () -> probeHttp(port, Duration.ofSeconds(4)));
        assertThat(findings.http()).isEmpty();
        assertThat(findings.errors()).isNotEmpty();
    }

    @Test
    void redirectLoopsAreCutAfterTenFollowUps() throws Exception {
        int port = serve(s -> {
            try {
                readRequest(s);
                s.getOutputStream().write(("HTTP/1.1 302 Found\r\nLocation: http://hostile.test/again\r\nContent-Length: 0\r\n"
                        + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                // fine
            }
        });
        HttpFindings findings = assertTimeoutPreemptively(HANG_GUARD, () -> probeHttp(port, Duration.ofSeconds(20)));
        assertThat(findings.http()).isPresent();
        assertThat(findings.http().get().route()).hasSize(11);
        assertThat(Observatory.grade(findings, ObservatoryAlgorithm.V4, HstsPreloadList.empty()).tests().get("redirection").result())
                .isEqualTo("redirection-not-to-https");
    }

    @Test
    void tlsServersThatResetOrSendGarbageLeaveNoTlsNotACrash() throws Exception {
        int reset = serve(s -> {
            try {
                s.setSoLinger(true, 0); // RST on close
                s.getInputStream().read(new byte[5]);
            } catch (IOException e) {
                // fine
            }
        });
        TlsScanResult resetResult = assertTimeoutPreemptively(HANG_GUARD, () -> new TlsScanner(TlsScanner.Config.defaults())
                .scan(new TlsTarget("hostile.test", reset, Optional.of(InetAddress.getByName("127.0.0.1")))));
        assertThat(resetResult.tlsAvailable()).isFalse();
        server.close();

        int garbage = serve(s -> {
            try {
                s.getInputStream().read(new byte[5]);
                OutputStream out = s.getOutputStream();
                // a handshake record announcing a 16 MiB certificate chain, then endless bytes
                out.write(new byte[] {0x16, 3, 3, 0x40, 0x00, 2, 0, 0, 38, 3, 3});
                while (true) {
                    out.write(new byte[4096]);
                }
            } catch (IOException e) {
                // fine
            }
        });
        TlsScanResult garbageResult = assertTimeoutPreemptively(HANG_GUARD, () -> new TlsScanner(TlsScanner.Config.defaults())
                .scan(new TlsTarget("hostile.test", garbage, Optional.of(InetAddress.getByName("127.0.0.1")))));
        assertThat(garbageResult.tlsAvailable()).isFalse();
    }
}
