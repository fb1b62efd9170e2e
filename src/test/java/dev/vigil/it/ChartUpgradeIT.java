package dev.vigil.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.ship.HelmChartTest;
import dev.vigil.testsupport.Fixtures;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Day 2: {@code helm upgrade} changes the operator's Deployment (new image tag, JVM options, settings), so
 * Kubernetes replaces the pod. The packaged operator runs twice against the same API server, each time with
 * the environment and JVM options the chart renders for its pod — first the installed values, then the
 * upgraded ones — and the upgraded process must rewrite no Secret (decrypted ones, the decryption key, the
 * revision key) and patch no workload, and answer the chart's liveness and readiness paths.
 */
class ChartUpgradeIT {

    /** The pod's namespace, which the chart passes through the downward API. */
    static final String RELEASE_NAMESPACE = "vigil-system";

    /** What run-java.sh and the Deployment give the JVM: JAVA_OPTS_APPEND's options, and the literal env vars. */
    record Pod(List<String> jvmOptions, Map<String, String> environment, String livenessPath, String readinessPath, String image) {

        static Pod rendered(String... values) {
            List<HasMetadata> chart = HelmChartTest.render(values);
            Container container = HelmChartTest.one(chart, Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
            Map<String, String> env = new LinkedHashMap<>();
            for (EnvVar e : container.getEnv()) {
                if (e.getValue() != null) {
                    env.put(e.getName(), e.getValue());
                } else if (e.getValueFrom().getFieldRef() != null && "metadata.namespace".equals(e.getValueFrom().getFieldRef().getFieldPath())) {
                    env.put(e.getName(), RELEASE_NAMESPACE);
                }
            }
            List<String> jvm = List.of(env.remove("JAVA_OPTS_APPEND").trim().split("\\s+"));
            return new Pod(jvm, env, container.getLivenessProbe().getHttpGet().getPath(),
                    container.getReadinessProbe().getHttpGet().getPath(), container.getImage());
        }
    }

    @Test
    void anUpgradedOperatorKeepsEverySecretAndRollsNothing() throws Exception {
        Pod installed = Pod.rendered();
        Pod upgraded = Pod.rendered("image.tag", "0.1.1", "javaOptions", "-XX:MaxRAMPercentage=40 -XX:+ExitOnOutOfMemoryError",
                "baselines.concurrency", "8", "baselines.maxRows", "50", "resources.limits.memory", "640Mi");
        assertThat(upgraded.image()).isNotEqualTo(installed.image());
        assertThat(upgraded.jvmOptions()).isNotEqualTo(installed.jvmOptions());
        assertThat(upgraded.environment()).isNotEqualTo(installed.environment());

        Path dir = OperatorProcess.logDirectory("chart-upgrade");
        try (ApiServer api = new ApiServer(); Relay first = new Relay(api.port()); Relay second = new Relay(api.port())) {
            Cluster cluster = new Cluster(api.client());
            cluster.namespace("shop");
            cluster.client().resource(Fixtures.deploymentUsing("shop", "web", "db")).create();
            cluster.seal("shop", "db", Map.of("password", "pw-" + Fixtures.MARKER));

            String firstLog;
            try (OperatorProcess operator = OperatorProcess.start("installed", first.port(), dir, Map.of(),
                    installed.jvmOptions(), installed.environment())) {
                cluster.awaitValue("shop", "db", "password", "pw-" + Fixtures.MARKER);
                cluster.seal("shop", "db", Map.of("password", "pw2-" + Fixtures.MARKER)); // a change rolls the Deployment once
                cluster.awaitValue("shop", "db", "password", "pw2-" + Fixtures.MARKER);
                await().atMost(Cluster.WAIT).until(() -> OperatorRestartIT.rolloutAnnotation(cluster) != null);
                Thread.sleep(2000); // let status and Events settle
                firstLog = operator.log();
            }
            Map<String, String> secretsBefore = secretVersions(cluster);
            assertThat(secretsBefore).containsKeys("shop/db", RELEASE_NAMESPACE + "/dev-keys");
            Deployment workloadBefore = cluster.client().apps().deployments().inNamespace("shop").withName("web").get();

            try (OperatorProcess operator = OperatorProcess.start("upgraded", second.port(), dir, Map.of(),
                    upgraded.jvmOptions(), upgraded.environment())) {
                await().atMost(Cluster.WAIT).until(() -> operator.metrics().contains("vigil_sealedsecret_decryptions_total{"));
                await().atMost(Cluster.WAIT).until(() -> operator.get(upgraded.readinessPath()).statusCode() == 200);
                assertThat(operator.get(upgraded.livenessPath()).statusCode()).isEqualTo(200);
                Thread.sleep(2000);

                assertThat(secretVersions(cluster)).as("every Secret, untouched").isEqualTo(secretsBefore);
                Deployment workloadAfter = cluster.client().apps().deployments().inNamespace("shop").withName("web").get();
                assertThat(workloadAfter.getMetadata().getResourceVersion()).isEqualTo(workloadBefore.getMetadata().getResourceVersion());
                assertThat(Cluster.writes(second)).noneMatch(w -> w.contains("/secrets") || w.contains("/deployments")
                        || w.contains("/statefulsets") || w.contains("/daemonsets"));
                assertThat(Cluster.writes(first)).anyMatch(w -> w.startsWith("POST /api/v1/namespaces/shop/secrets"));
                assertThat(operator.log()).as("the upgraded settings reached the operator").doesNotContain("ERROR");
                Cluster.assertNoCleartext(firstLog, operator.log(), operator.metrics());
            }
        }
    }

    /** namespace/name → resourceVersion of every Secret in the cluster. */
    static Map<String, String> secretVersions(Cluster cluster) {
        Map<String, String> versions = new TreeMap<>();
        for (Secret s : cluster.client().secrets().inAnyNamespace().list().getItems()) {
            versions.put(s.getMetadata().getNamespace() + "/" + s.getMetadata().getName(), s.getMetadata().getResourceVersion());
        }
        return versions;
    }
}
