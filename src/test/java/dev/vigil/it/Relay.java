package dev.vigil.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TCP relay between one operator process and the API server: it records the request line of
 * every HTTP request that process sends (so a test knows who wrote what), and it can sever every
 * connection and refuse new ones, the way an API server restart or a network partition looks.
 */
final class Relay implements AutoCloseable {

    private static final Pattern REQUEST_LINE = Pattern.compile("(GET|POST|PUT|PATCH|DELETE) (/\\S*) HTTP/1\\.1\r\n");

    private final ServerSocket listener;
    private final int upstream;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile boolean severed;

    Relay(int upstream) throws IOException {
        this.upstream = upstream;
        this.listener = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
        daemon(this::accept);
    }

    int port() {
        return listener.getLocalPort();
    }

    /** "METHOD /path?query" for every request seen so far. */
    List<String> requests() {
        return List.copyOf(requests);
    }

    /** Cuts every connection (watches included) and refuses new ones until {@link #restore()}. */
    void sever() {
        severed = true;
        for (Socket s : new ArrayList<>(open)) {
            closeQuietly(s);
        }
    }

    void restore() {
        severed = false;
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                if (severed) {
                    client.setSoLinger(true, 0);
                    client.close();
                    continue;
                }
                Socket server = new Socket(InetAddress.getLoopbackAddress(), upstream);
                open.add(client);
                open.add(server);
                daemon(() -> pump(client, server, true));
                daemon(() -> pump(server, client, false));
            } catch (IOException e) {
                if (listener.isClosed()) {
                    return;
                }
            }
        }
    }

    private void pump(Socket from, Socket to, boolean record) {
        StringBuilder pending = new StringBuilder();
        byte[] buffer = new byte[16384];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                if (record) {
                    pending.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                    Matcher m = REQUEST_LINE.matcher(pending);
                    int end = 0;
                    while (m.find()) {
                        requests.add(m.group(1) + " " + m.group(2));
                        end = m.end();
                    }
                    // keep only a tail that may hold the start of a request line split across reads
                    pending.delete(0, Math.max(end, pending.length() - 512));
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // either side closed, or the relay was severed
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            open.remove(from);
            open.remove(to);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    private static void daemon(Runnable r) {
        Thread t = new Thread(r, "relay");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        listener.close();
        sever();
    }
}
