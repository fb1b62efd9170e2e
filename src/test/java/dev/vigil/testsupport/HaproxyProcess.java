package dev.vigil.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A real HAProxy (Debian package) run in the foreground on a whole configuration file given by the test. */
public final class HaproxyProcess implements AutoCloseable {

    public static final Path BINARY = Path.of("/usr/sbin/haproxy");

    private final Process process;
    private final Path log;

    private HaproxyProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    public static boolean available() {
        return Files.isExecutable(BINARY);
    }

    /** {@code haproxy -c}: exit code and what it printed. */
    public static NginxProcess.Check check(Path config) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(BINARY.toString(), "-c", "-f", config.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return new NginxProcess.Check(p.exitValue(), output);
    }

    /** Starts HAProxy in the foreground ({@code -db}) and waits until every port listens. */
    public static HaproxyProcess start(Path config, List<Integer> ports) throws IOException, InterruptedException {
        Path log = config.resolveSibling(config.getFileName() + ".log");
        Process process = new ProcessBuilder(BINARY.toString(), "-db", "-f", config.toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        HaproxyProcess haproxy = new HaproxyProcess(process, log);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        for (int port : ports) {
            while (!NginxServer.listening(port)) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    haproxy.close();
                    throw new IOException("haproxy did not start: " + Files.readString(log));
                }
                Thread.sleep(50);
            }
        }
        return haproxy;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
