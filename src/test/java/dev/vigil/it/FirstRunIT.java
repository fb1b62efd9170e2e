package dev.vigil.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first run of a new user: the packaged operator, started with no cluster to talk to, prints one line
 * — which API server it tried, where that address came from, what to do — and exits 1, with no stack
 * trace at the default log level and without minutes of retries.
 */
class FirstRunIT {

    /** The preflight gives up after one attempt of at most 10 s; start-up and exit add a few seconds. */
    static final long EXIT_WITHIN_SECONDS = 60;

    @TempDir
    Path home;

    record Run(int exit, String output) {
    }

    /** The packaged operator with no arguments, HOME pointing at an empty directory, outside any pod. */
    Run operator(Map<String, String> env) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Duser.home=" + home, "-Dquarkus.http.port=0", "-jar", OperatorProcess.JAR.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("KUBERNETES_") || k.equals("KUBECONFIG"));
        builder.environment().put("HOME", home.toString());
        builder.environment().putAll(env);
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(EXIT_WITHIN_SECONDS, TimeUnit.SECONDS)).as("exits on its own").isTrue();
        return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    @Test
    void aKubeconfigPointingAtNothingIsExplainedInOneLine() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Path kubeconfig = Files.writeString(home.resolve("kind-stopped.yaml"), """
                apiVersion: v1
                kind: Config
                clusters:
                - cluster: {server: "https://127.0.0.1:%d"}
                  name: stopped
                contexts:
                - context: {cluster: stopped, user: dev, namespace: vigil-system}
                  name: kind-stopped
                current-context: kind-stopped
                users:
                - name: dev
                  user: {token: not-a-real-token}
                """.formatted(closed));

        Run run = operator(Map.of("KUBECONFIG", kubeconfig.toString()));

        assertThat(run.exit()).as(run.output()).isEqualTo(1);
        assertThat(run.output().strip().lines()).as(run.output()).singleElement().satisfies(line -> assertThat(line)
                .startsWith("Vigil cannot start: no Kubernetes API server answered at https://127.0.0.1:" + closed)
                .contains("from kubeconfig " + kubeconfig).contains("context kind-stopped").contains("connection refused")
                .contains("kubectl --kubeconfig " + kubeconfig + " cluster-info").doesNotContain("not-a-real-token"));
    }

    @Test
    void noKubeconfigOutsideAPodSaysWhereItLooked() throws Exception {
        Run run = operator(Map.of());

        assertThat(run.exit()).as(run.output()).isEqualTo(1);
        assertThat(run.output().strip().lines()).as(run.output()).singleElement().satisfies(line -> assertThat(line)
                .startsWith("Vigil cannot start: no Kubernetes API server answered at https://kubernetes.default.svc")
                .contains("no kubeconfig found ($KUBECONFIG, ~/.kube/config) and not running in a pod")
                .contains("kind create cluster").contains("need no cluster"));
    }
}
