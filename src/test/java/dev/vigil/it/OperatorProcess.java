package dev.vigil.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged operator ({@code target/quarkus-app/quarkus-run.jar}, prod profile) as its own process,
 * talking to the API server through a {@link Relay}: started, stopped and restarted like a pod.
 */
final class OperatorProcess implements AutoCloseable {

    static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");

    private final String name;
    private final Process process;
    private final Path log;
    private final int httpPort;

    private OperatorProcess(String name, Process process, Path log, int httpPort) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.httpPort = httpPort;
    }

    /** target/it-logs/NAME, emptied: the processes' logs stay there for whoever reads a failure. */
    static Path logDirectory(String name) throws IOException {
        Path dir = Path.of("target", "it-logs", name).toAbsolutePath();
        if (Files.exists(dir)) {
            try (var files = Files.walk(dir)) {
                for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(f);
                }
            }
        }
        return Files.createDirectories(dir);
    }

    static OperatorProcess start(String name, int apiPort, Path dir, Map<String, String> settings) throws Exception {
        return start(name, apiPort, dir, settings, List.of(), Map.of());
    }

    /**
     * With the JVM options and environment a pod would give it: {@code jvmOptions} as run-java.sh passes
     * JAVA_OPTS_APPEND, {@code environment} as the Deployment's env (the operator reads VIGIL_* settings there).
     */
    static OperatorProcess start(String name, int apiPort, Path dir, Map<String, String> settings, List<String> jvmOptions,
            Map<String, String> environment) throws Exception {
        if (!Files.exists(JAR)) {
            throw new IllegalStateException(JAR + " is missing: these tests run after `package` (./mvnw verify)");
        }
        int httpPort;
        try (ServerSocket s = new ServerSocket(0)) {
            httpPort = s.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-Dquarkus.http.port=" + httpPort,
                "-Dkubernetes.master=http://127.0.0.1:" + apiPort, "-Dkubernetes.namespace=vigil-system",
                "-Dkubernetes.auth.tryKubeConfig=false", "-Dkubernetes.auth.tryServiceAccount=false",
                "-Dvigil.operator-namespace=vigil-system",
                // The packaged operator runs the prod profile: the exemption the test profile has for nginx on 127.0.0.1.
                "-Dvigil.baselines.unsafe-allow-cidrs=127.0.0.0/8", "-Dvigil.baselines.allow-cidrs=127.0.0.0/8",
                "-Dquarkus.log.level=INFO"));
        settings.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(jvmOptions);
        command.add("-Dquarkus.http.port=" + httpPort); // after the pod's options: each process its own port
        command.addAll(List.of("-jar", JAR.toString()));
        Path log = dir.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        Process process = builder.start();
        OperatorProcess operator = new OperatorProcess(name, process, log, httpPort);
        operator.awaitLive();
        return operator;
    }

    private void awaitLive() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited: " + log());
            }
            try {
                if (get("/q/health/live").statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(name + " did not become live: " + log());
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .header("Accept", "text/plain").timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    String metrics() throws IOException, InterruptedException {
        return get("/q/metrics").body();
    }

    /**
     * Live heap: the total of {@code jcmd GC.class_histogram}, which counts only objects that survive a full
     * collection. (Reading jvm_memory_used_bytes after GC.run counted the garbage of the metrics scrape itself,
     * tens of MiB with thousands of services, and varied by a factor of two between runs.)
     */
    long heapAfterGc() throws IOException, InterruptedException {
        Process histogram = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(process.pid()), "GC.class_histogram").redirectErrorStream(true).start();
        String out = new String(histogram.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        histogram.waitFor(60, TimeUnit.SECONDS);
        Matcher m = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)").matcher(out);
        if (!m.find()) {
            throw new IOException("no total in jcmd GC.class_histogram output: " + out.lines().limit(3).toList());
        }
        return Long.parseLong(m.group(1));
    }

    /** Resident set size of the whole process (/proc/PID/status VmRSS). */
    long rssBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }

    String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** SIGTERM, as the kubelet stops a pod, and wait for the exit. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop();
        }
    }
}
