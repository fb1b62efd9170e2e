package dev.vigil.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/vigil} on the packaged app, as a user runs it from a clone: it finds the app relative to
 * itself (through a symlink too), runs the JVM of JAVA_HOME with JAVA_OPTS last, passes exit codes through,
 * records one class archive per command on its first successful run and maps it afterwards.
 */
class LauncherIT {

    static final Path LAUNCHER = Path.of("bin/vigil").toAbsolutePath();

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    Run vigil(Path launcher, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile());
        builder.environment().remove("JAVA_OPTS");
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("VIGIL_CACHE_DIR", dir.resolve("cache").toString());
        builder.environment().putAll(env);
        Process process = builder.start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), Files.readString(dir.resolve("out.txt")), Files.readString(dir.resolve("err.txt")));
    }

    Path fixture(String resource) throws Exception {
        Path target = dir.resolve(Path.of(resource).getFileName());
        try (InputStream in = getClass().getResourceAsStream(resource)) {
            Files.write(target, in.readAllBytes());
        }
        return target;
    }

    List<Path> archives() throws Exception {
        Path cache = dir.resolve("cache");
        if (!Files.exists(cache)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(cache)) {
            return files.sorted().toList();
        }
    }

    @Test
    void runsCommandsFromAnywhereThroughASymlinkWithTheirExitCodes() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("vigil"), LAUNCHER);
        Run version = vigil(link, Map.of(), "--version");
        assertThat(version.exit()).as(version.err()).isZero();
        assertThat(version.out()).startsWith("vigil ");

        Run help = vigil(link, Map.of(), "scan", "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).startsWith("usage: vigil scan URL");

        Run usage = vigil(link, Map.of(), "scan", "--bogus");
        assertThat(usage.exit()).isEqualTo(2);
        assertThat(usage.err()).startsWith("usage error: unknown option --bogus");

        Run failed = vigil(link, Map.of(), "verify", "--key", fixture("/sops/keys/age-dev.txt").toString(),
                fixture("/sops/cases/g09-yaml-tampered-unencrypted/secret.enc.yaml").toString());
        assertThat(failed.exit()).isEqualTo(1);
        assertThat(failed.err()).startsWith("MAC_MISMATCH ");
    }

    @Test
    void recordsAnArchivePerCommandOnceAndMapsItAfterwards() throws Exception {
        String key = fixture("/sops/keys/age-dev.txt").toString();
        String document = fixture("/sops/cases/g01-yaml-age-basic/secret.enc.yaml").toString();

        Run wrongKey = vigil(LAUNCHER, Map.of(), "decrypt", "--key", fixture("/sops/keys/age-dev-2.txt").toString(), document);
        assertThat(wrongKey.exit()).isEqualTo(1);
        assertThat(archives()).as("a failed run records nothing").isEmpty();

        Run first = vigil(LAUNCHER, Map.of(), "decrypt", "--key", key, document);
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.out()).contains("password: s3cr3t!");
        assertThat(first.out()).as("JVM messages never reach a command's output").doesNotContain("[warning]").doesNotContain("cds");
        assertThat(archives()).singleElement().satisfies(a -> assertThat(a.getFileName().toString()).startsWith("decrypt-"));

        // -Xshare:on makes the JVM fail rather than start without the archive: the second run maps it
        Run second = vigil(LAUNCHER, Map.of("JAVA_OPTS", "-Xshare:on"), "decrypt", "--key", key, document);
        assertThat(second.exit()).as(second.err()).isZero();
        assertThat(second.out()).isEqualTo(first.out());
        assertThat(archives()).hasSize(1);

        Run other = vigil(LAUNCHER, Map.of(), "--version");
        assertThat(other.exit()).isZero();
        assertThat(archives()).as("one archive per command").hasSize(2);
    }

    @Test
    void honoursJavaHomeAndPutsJavaOptsLast() throws Exception {
        Path realHome = Path.of(System.getProperty("java.home"));
        Path fakeHome = Files.createDirectories(dir.resolve("jdk/bin"));
        Files.copy(realHome.resolve("release"), dir.resolve("jdk/release"));
        Path recorded = dir.resolve("java-args.txt");
        Path java = Files.writeString(fakeHome.resolve("java"), "#!/bin/sh\nprintf '%s\\n' \"$@\" > '" + recorded + "'\nexec '"
                + realHome.resolve("bin/java") + "' \"$@\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));

        Run run = vigil(LAUNCHER, Map.of("JAVA_HOME", dir.resolve("jdk").toString(), "JAVA_OPTS", "-XX:TieredStopAtLevel=4 -Dvigil.test=1",
                "VIGIL_CDS", "off"), "--version");
        assertThat(run.exit()).as(run.err()).isZero();
        List<String> args = Files.readAllLines(recorded);
        assertThat(args).contains("-XX:TieredStopAtLevel=1", "-XX:TieredStopAtLevel=4", "-Dvigil.test=1", "--version");
        assertThat(args.indexOf("-XX:TieredStopAtLevel=4")).as("the user's options win").isGreaterThan(args.indexOf("-XX:TieredStopAtLevel=1"));
        assertThat(args.get(args.indexOf("-jar") + 1)).endsWith("target/quarkus-app/quarkus-run.jar");
        assertThat(args).noneMatch(a -> a.startsWith("-XX:SharedArchiveFile") || a.startsWith("-XX:ArchiveClassesAtExit"));
    }

    @Test
    void saysHowToBuildWhenTheAppIsMissing() throws Exception {
        Run run = vigil(LAUNCHER, Map.of("VIGIL_APP", dir.resolve("nowhere").toString()), "--version");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("the packaged app is missing").contains("./mvnw package -DskipTests");
        assertThat(run.out()).isEmpty();
    }
}
