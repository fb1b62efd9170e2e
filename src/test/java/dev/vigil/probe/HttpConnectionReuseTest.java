package dev.vigil.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.probe.http.HttpFindings;
import dev.vigil.probe.http.HttpProber;
import dev.vigil.probe.http.HttpTarget;
import dev.vigil.testsupport.NginxServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * One probe's requests (a redirect hop, the final page, the CORS preflight) share one kept-alive
 * connection; the next probe opens its own and never rides on the last probe's.
 */
class HttpConnectionReuseTest {

    @Test
    void requestsOfOneProbeShareAConnectionAndProbesDoNot() throws Exception {
        try (KeepAliveServer server = new KeepAliveServer();
                HttpProber prober = new HttpProber(HttpProber.Config.defaults())) {
            HttpTarget target = new HttpTarget("reuse.test", 443, "/", Optional.of(InetAddress.getByName("127.0.0.1")),
                    NginxServer.freePort(), server.port()); // https refused: the plain-http session is the one graded

            HttpFindings first = prober.probe(target, Duration.ofSeconds(20));
            assertThat(first.http()).isPresent();
            assertThat(server.requests).containsExactly("GET /", "GET /final", "OPTIONS /final");
            assertThat(server.connections.get()).as("one connection for the whole probe").isEqualTo(1);

            prober.probe(target, Duration.ofSeconds(20));
            assertThat(server.requests).hasSize(6);
            assertThat(server.connections.get()).as("the second probe opened its own").isEqualTo(2);
        }
    }

    /** HTTP/1.1 with keep-alive: "/" redirects to "/final", everything else answers 200. */
    static final class KeepAliveServer implements AutoCloseable {
        final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        final AtomicInteger connections = new AtomicInteger();
        final List<String> requests = Collections.synchronizedList(new ArrayList<>());

        KeepAliveServer() throws IOException {
            Thread acceptor = new Thread(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket s = socket.accept();
                        connections.incrementAndGet();
                        Thread t = new Thread(() -> serve(s));
                        t.setDaemon(true);
                        t.start();
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        private void serve(Socket s) {
            try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                while (true) {
                    String head = readHead(in);
                    if (head == null) {
                        return;
                    }
                    String[] line = head.substring(0, head.indexOf("\r\n")).split(" ");
                    requests.add(line[0] + " " + line[1]);
                    String response = "/".equals(line[1]) && "GET".equals(line[0])
                            ? "HTTP/1.1 301 Moved Permanently\r\nLocation: /final\r\nContent-Length: 0\r\n\r\n"
                            : "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 2\r\n\r\nok";
                    out.write(response.getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
            } catch (IOException e) {
                // the client closed the connection
            }
        }

        private static String readHead(InputStream in) throws IOException {
            StringBuilder head = new StringBuilder();
            int b;
            while ((b = in.read()) >= 0) {
                head.append((char) b);
                if (head.length() >= 4 && head.lastIndexOf("\r\n\r\n") == head.length() - 4) {
                    return head.toString();
                }
            }
            return null;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
