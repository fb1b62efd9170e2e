package dev.vigil.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real nginx run on a whole configuration file given by the test (e.g. a generated one): the main-context lines
 * a private instance needs (pid, error log, events) are put before it, nothing else is touched.
 */
public final class NginxProcess implements AutoCloseable {

    private final Process process;

    private NginxProcess(Process process) {
        this.process = process;
    }

    /** The main-context lines of a private instance in {@code dir}, followed by {@code httpBlock}. */
    public static Path write(Path dir, String httpBlock) throws IOException {
        Files.createDirectories(dir.resolve("logs"));
        String main = ("root".equals(System.getProperty("user.name")) ? "user root;\n" : "")
                + "worker_processes 1;\npid " + dir.resolve("nginx.pid") + ";\nerror_log " + dir.resolve("logs/error.log")
                + " warn;\nevents { worker_connections 256; }\n";
        return Files.writeString(dir.resolve("nginx.conf"), main + httpBlock);
    }

    /** {@code nginx -t}: exit code and what it printed. */
    public static Check check(Path dir, String httpBlock) throws IOException, InterruptedException {
        Path config = write(dir, httpBlock);
        Process p = new ProcessBuilder(NginxServer.BINARY.toString(), "-t", "-p", dir.toString(), "-c", config.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return new Check(p.exitValue(), output);
    }

    public record Check(int exitCode, String output) {
    }

    /** Starts nginx on the configuration and waits until every port listens. */
    public static NginxProcess start(Path dir, String httpBlock, List<Integer> ports) throws IOException, InterruptedException {
        Path config = write(dir, httpBlock);
        Process process = new ProcessBuilder(NginxServer.BINARY.toString(), "-p", dir.toString(), "-c", config.toString(), "-g",
                "daemon off;").redirectErrorStream(true).redirectOutput(dir.resolve("logs/stdout.log").toFile()).start();
        NginxProcess nginx = new NginxProcess(process);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        for (int port : ports) {
            while (!NginxServer.listening(port)) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    nginx.close();
                    throw new IOException("nginx did not start: " + Files.readString(dir.resolve("logs/stdout.log"))
                            + (Files.exists(dir.resolve("logs/error.log")) ? Files.readString(dir.resolve("logs/error.log")) : ""));
                }
                Thread.sleep(50);
            }
        }
        return nginx;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
