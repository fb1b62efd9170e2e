package dev.vigil.bench;

import dev.vigil.testsupport.NginxServer;
import dev.vigil.testsupport.TestPki;
import dev.vigil.testsupport.TestSites;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Whole-process time of the command line, start-up included, beside tools that start in milliseconds:
 * {@code vigil decrypt} beside {@code age -d} on the same cleartext and key, {@code vigil scan} beside
 * {@code sslscan} on the same local nginx site. Each Vigil command runs three ways: {@code java -jar} with
 * the JVM's defaults (before), {@code bin/vigil} on the JDK running this benchmark (CDS archive, C1 only),
 * and {@code bin/vigil} on JDK 25+ (AOT cache) when one is given; optionally also an older build's app
 * ({@code before-app}), e.g. one packaged from an earlier commit. Every command runs once unmeasured (which
 * records bin/vigil's archive), then {@code rounds} times; the table shows median and min wall time and
 * median CPU time (user + system, from /usr/bin/time). Run {@code bench/cli.sh}.
 */
public final class CliStartBenchmark {

    static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    record Variant(String label, List<String> command, Map<String, String> env) {
    }

    record Figures(double medianWall, double minWall, double medianCpu, int exit) {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Path jdk25 = args.length > 1 && !args[1].isEmpty() ? Path.of(args[1]) : null;
        Path beforeApp = args.length > 2 && !args[2].isEmpty() ? Path.of(args[2]) : null;
        Path app = Path.of("target/quarkus-app").toAbsolutePath();
        Path launcher = Path.of("bin/vigil").toAbsolutePath();
        Path dir = Files.createTempDirectory("vigil-cli-bench");
        Path cache = Files.createDirectories(dir.resolve("cds"));

        Path key = copy("/sops/keys/age-dev.txt", dir.resolve("age.txt"));
        Path document = copy("/sops/cases/g01-yaml-age-basic/secret.enc.yaml", dir.resolve("secret.enc.yaml"));
        Path cleartext = dir.resolve("secret.yaml");
        Files.writeString(cleartext, run(List.of(JAVA, "-jar", app.resolve("quarkus-run.jar").toString(), "decrypt", "--key",
                key.toString(), document.toString()), Map.of()));
        String recipient = Files.readAllLines(key).stream().filter(l -> l.startsWith("# public key: "))
                .map(l -> l.substring("# public key: ".length())).findFirst().orElseThrow();
        Path ageFile = dir.resolve("secret.yaml.age");
        run(List.of("age", "-r", recipient, "-o", ageFile.toString(), cleartext.toString()), Map.of());

        TestPki pki = new TestPki();
        Path ca = TestPki.writePem(dir.resolve("ca.pem"), pki.ca());
        try (NginxServer nginx = TestSites.start(dir, pki)) {
            List<String> decrypt = List.of("decrypt", "--key", key.toString(), document.toString());
            String site = "https://aplus.test:" + nginx.httpsPort() + "/";
            List<String> scan = List.of("scan", site, "--connect-to", "127.0.0.1:" + nginx.httpsPort(), "--http-port",
                    String.valueOf(nginx.httpPort()), "--ca", ca.toString());
            List<String> tlsOnly = new ArrayList<>(scan);
            tlsOnly.add("--tls-only");

            System.out.printf("%-44s %10s %10s %10s %5s%n", "command", "median ms", "min ms", "cpu ms", "exit");
            table("vigil decrypt (YAML, age)", decrypt, app, launcher, cache, jdk25, beforeApp, rounds);
            line("  age -d (same cleartext and key)", measure(List.of("age", "-d", "-i", key.toString(), ageFile.toString()), Map.of(), rounds));
            table("vigil scan --tls-only", tlsOnly, app, launcher, cache, jdk25, beforeApp, rounds);
            line("  sslscan (same site)", measure(List.of("sslscan", "--no-colour", "--sni-name=aplus.test",
                    "127.0.0.1:" + nginx.httpsPort()), Map.of(), rounds));
            table("vigil scan (Observatory + TLS)", scan, app, launcher, cache, jdk25, beforeApp, rounds);
        }
    }

    private static void table(String title, List<String> vigilArgs, Path app, Path launcher, Path cache, Path jdk25, Path beforeApp,
            int rounds) throws Exception {
        System.out.println(title);
        List<Variant> variants = new ArrayList<>();
        if (beforeApp != null) {
            variants.add(new Variant("  java -jar, earlier build", join(List.of(JAVA, "-jar", beforeApp.resolve("quarkus-run.jar").toString()),
                    vigilArgs), Map.of()));
        }
        variants.add(new Variant("  java -jar (JVM defaults)", join(List.of(JAVA, "-jar", app.resolve("quarkus-run.jar").toString()),
                vigilArgs), Map.of()));
        String javaHome = System.getProperty("java.home");
        variants.add(new Variant("  bin/vigil, JDK " + Runtime.version().feature() + " (CDS)", join(List.of(launcher.toString()), vigilArgs),
                Map.of("JAVA_HOME", javaHome, "VIGIL_CACHE_DIR", cache.toString())));
        if (jdk25 != null) {
            variants.add(new Variant("  bin/vigil, JDK 25 (AOT cache)", join(List.of(launcher.toString()), vigilArgs),
                    Map.of("JAVA_HOME", jdk25.toString(), "VIGIL_CACHE_DIR", cache.toString())));
        }
        for (Variant v : variants) {
            line(v.label(), measure(v.command(), v.env(), rounds));
        }
    }

    private static void line(String label, Figures f) {
        System.out.printf("%-44s %10.0f %10.0f %10.0f %5d%n", label, f.medianWall(), f.minWall(), f.medianCpu(), f.exit());
    }

    private static Figures measure(List<String> command, Map<String, String> env, int rounds) throws Exception {
        time(command, env); // unmeasured: bin/vigil records its archive here
        List<Double> wall = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        int exit = 0;
        for (int i = 0; i < rounds; i++) {
            double[] t = time(command, env);
            wall.add(t[0]);
            cpu.add(t[1]);
            exit = (int) t[2];
        }
        return new Figures(median(wall), wall.stream().mapToDouble(Double::doubleValue).min().orElse(0), median(cpu), exit);
    }

    /** {wall ms, cpu ms, exit}: wall from here, CPU as the kernel accounted the child (/usr/bin/time). */
    private static double[] time(List<String> command, Map<String, String> env) throws Exception {
        Path report = Files.createTempFile("vigil-time", ".txt");
        List<String> timed = new ArrayList<>(List.of("/usr/bin/time", "-f", "%U %S", "-o", report.toString()));
        timed.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(timed).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().putAll(env);
        long start = System.nanoTime();
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("no exit within 120 s: " + command);
        }
        double wallMs = (System.nanoTime() - start) / 1e6;
        String[] times = Files.readString(report).lines().reduce((a, b) -> b).orElse("0 0").trim().split("\\s+");
        Files.deleteIfExists(report);
        double cpuMs = (Double.parseDouble(times[0]) + Double.parseDouble(times[1])) * 1000;
        return new double[] {wallMs, cpuMs, process.exitValue()};
    }

    private static String run(List<String> command, Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().putAll(new HashMap<>(env));
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException(command + " exited " + process.exitValue());
        }
        return out;
    }

    private static Path copy(String resource, Path target) throws IOException {
        try (InputStream in = CliStartBenchmark.class.getResourceAsStream(resource)) {
            Files.write(target, in.readAllBytes());
        }
        return target;
    }

    private static List<String> join(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n == 0 ? 0 : n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
