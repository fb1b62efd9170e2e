package dev.vigil.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real nginx (Debian package) started on 127.0.0.1 with its own configuration in a temporary
 * directory: one http and one https port, one server block per virtual host.
 */
public final class NginxServer implements AutoCloseable {

    public static final Path BINARY = Path.of("/usr/sbin/nginx");

    /** One virtual host: its name, certificate files, and the directives of its http and https servers. */
    public record Site(String host, Path certificate, Path key, String httpBody, String httpsBody) {
    }

    private final Path dir;
    private final int httpPort;
    private final int httpsPort;
    private Process process;

    public NginxServer(Path dir) throws IOException {
        this(dir, freePort(), freePort());
    }

    /** On given ports, e.g. 80 and 443 for a peer tool that cannot be told another port. */
    public NginxServer(Path dir, int httpPort, int httpsPort) {
        this.dir = dir;
        this.httpPort = httpPort;
        this.httpsPort = httpsPort;
    }

    public int httpPort() {
        return httpPort;
    }

    public int httpsPort() {
        return httpsPort;
    }

    public Path dir() {
        return dir;
    }

    public static boolean available() {
        return Files.isExecutable(BINARY);
    }

    /** Rewrites the configuration and makes the running nginx load it (SIGHUP). */
    public void reload(List<Site> sites) throws IOException, InterruptedException {
        writeConfig(sites);
        Process hup = new ProcessBuilder(BINARY.toString(), "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString(),
                "-s", "reload").redirectErrorStream(true).start();
        hup.waitFor(10, TimeUnit.SECONDS);
        Thread.sleep(500);
    }

    public void start(List<Site> sites) throws IOException, InterruptedException {
        Path config = writeConfig(sites);
        process = new ProcessBuilder(BINARY.toString(), "-p", dir.toString(), "-c", config.toString(), "-g", "daemon off;")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("logs/stdout.log").toFile())
                .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!(listening(httpPort) && listening(httpsPort))) {
            if (!process.isAlive()) {
                throw new IOException("nginx exited: " + Files.readString(dir.resolve("logs/stdout.log"))
                        + readIfExists(dir.resolve("logs/error.log")));
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("nginx did not listen within 15 s");
            }
            Thread.sleep(50);
        }
    }

    private Path writeConfig(List<Site> sites) throws IOException {
        Files.createDirectories(dir.resolve("logs"));
        Files.createDirectories(dir.resolve("tmp"));
        StringBuilder conf = new StringBuilder();
        if ("root".equals(System.getProperty("user.name"))) {
            conf.append("user root;\n");
        }
        // enough connections for a benchmark's hundreds of concurrent probes, each with a few TLS connections
        conf.append("worker_processes 1;\nworker_rlimit_nofile 8192;\npid ").append(dir.resolve("nginx.pid")).append(";\n")
                .append("error_log ").append(dir.resolve("logs/error.log")).append(" warn;\n")
                .append("events { worker_connections 4096; }\n")
                .append("http {\n")
                .append("  access_log off;\n")
                .append("  client_body_temp_path ").append(dir.resolve("tmp/body")).append(";\n")
                .append("  proxy_temp_path ").append(dir.resolve("tmp/proxy")).append(";\n")
                .append("  fastcgi_temp_path ").append(dir.resolve("tmp/fastcgi")).append(";\n")
                .append("  uwsgi_temp_path ").append(dir.resolve("tmp/uwsgi")).append(";\n")
                .append("  scgi_temp_path ").append(dir.resolve("tmp/scgi")).append(";\n")
                .append("  server_names_hash_bucket_size 128;\n")
                // Mozilla intermediate, so that TLS does not cap the grades these sites are used for
                .append("  ssl_protocols TLSv1.2 TLSv1.3;\n")
                .append("  ssl_ecdh_curve X25519:prime256v1:secp384r1;\n")
                .append("  ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
                        + "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305;\n")
                .append("  default_type text/html;\n");
        for (Site site : sites) {
            conf.append("  server {\n    listen 127.0.0.1:").append(httpPort).append(";\n")
                    .append("    server_name ").append(site.host()).append(";\n")
                    .append(site.httpBody()).append("\n  }\n");
            conf.append("  server {\n    listen 127.0.0.1:").append(httpsPort).append(" ssl;\n")
                    .append("    server_name ").append(site.host()).append(";\n")
                    .append("    ssl_certificate ").append(site.certificate()).append(";\n")
                    .append("    ssl_certificate_key ").append(site.key()).append(";\n")
                    .append(site.httpsBody()).append("\n  }\n");
        }
        conf.append("}\n");
        return Files.writeString(dir.resolve("nginx.conf"), conf.toString());
    }

    private static String readIfExists(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "";
    }

    static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /** nginx directives adding response headers to every answer of a server. */
    public static String headers(String... nameValue) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            lines.add("    add_header " + nameValue[i] + " \"" + nameValue[i + 1].replace("\"", "\\\"") + "\" always;");
        }
        return String.join("\n", lines);
    }
}
