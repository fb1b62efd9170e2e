package dev.vigil.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One real nginx serving several TLS endpoints, each on its own 127.0.0.1 port with its own TLS settings. */
public final class TlsEndpoints implements AutoCloseable {

    public record Endpoint(String name, String host, Path chain, Path key, String directives, int port) {
    }

    private final Path dir;
    private final List<Endpoint> endpoints = new ArrayList<>();
    private Process process;

    public TlsEndpoints(Path dir) {
        this.dir = dir;
    }

    public Endpoint add(String name, String host, Path chain, Path key, String directives) throws IOException {
        Endpoint e = new Endpoint(name, host, chain, key, directives, NginxServer.freePort());
        endpoints.add(e);
        return e;
    }

    /** A plain-HTTP server on its own port (no TLS at all), e.g. a TLS port misconfigured without {@code ssl}. */
    public Endpoint addPlain(String name) throws IOException {
        Endpoint e = new Endpoint(name, "", null, null, "", NginxServer.freePort());
        endpoints.add(e);
        return e;
    }

    public void start() throws IOException, InterruptedException {
        Files.createDirectories(dir.resolve("logs"));
        StringBuilder conf = new StringBuilder("user root;\nworker_processes 1;\npid " + dir.resolve("nginx.pid") + ";\n"
                + "error_log " + dir.resolve("logs/error.log") + " warn;\nevents { worker_connections 256; }\nhttp {\n  access_log off;\n");
        for (Endpoint e : endpoints) {
            if (e.chain() == null) {
                conf.append("  server {\n    listen 127.0.0.1:").append(e.port()).append(";\n    location / { return 200 'plain'; }\n  }\n");
                continue;
            }
            conf.append("  server {\n    listen 127.0.0.1:").append(e.port()).append(" ssl;\n    server_name ").append(e.host())
                    .append(";\n    ssl_certificate ").append(e.chain()).append(";\n    ssl_certificate_key ").append(e.key())
                    .append(";\n").append(e.directives()).append("\n    location / { return 200 'ok'; }\n  }\n");
        }
        conf.append("}\n");
        Path config = Files.writeString(dir.resolve("nginx.conf"), conf.toString());
        process = new ProcessBuilder(NginxServer.BINARY.toString(), "-p", dir.toString(), "-c", config.toString(), "-g", "daemon off;")
                .redirectErrorStream(true).redirectOutput(dir.resolve("logs/stdout.log").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        for (Endpoint e : endpoints) {
            while (!NginxServer.listening(e.port())) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IOException("nginx did not start: " + Files.readString(dir.resolve("logs/stdout.log"))
                            + (Files.exists(dir.resolve("logs/error.log")) ? Files.readString(dir.resolve("logs/error.log")) : ""));
                }
                Thread.sleep(50);
            }
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
}
