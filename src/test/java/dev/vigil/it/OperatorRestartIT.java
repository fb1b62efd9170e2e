package dev.vigil.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.testsupport.Fixtures;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The operator is stopped (SIGTERM, as on a rolling update) and a new process starts: it reconciles
 * everything again and must delete nothing, rewrite no Secret and trigger no rollout.
 */
class OperatorRestartIT {

    @Test
    void aRestartedOperatorRewritesNothingAndRollsNothing() throws Exception {
        Path dir = OperatorProcess.logDirectory("restart");
        try (ApiServer api = new ApiServer(); Relay first = new Relay(api.port()); Relay second = new Relay(api.port())) {
            Cluster cluster = new Cluster(api.client());
            cluster.namespace("shop");
            cluster.client().resource(Fixtures.deploymentUsing("shop", "web", "db")).create();
            cluster.seal("shop", "db", Map.of("password", "pw-" + Fixtures.MARKER));

            String firstLog;
            try (OperatorProcess operator = OperatorProcess.start("first", first.port(), dir, Map.of())) {
                cluster.awaitValue("shop", "db", "password", "pw-" + Fixtures.MARKER);
                cluster.seal("shop", "db", Map.of("password", "pw2-" + Fixtures.MARKER)); // a change rolls the Deployment
                cluster.awaitValue("shop", "db", "password", "pw2-" + Fixtures.MARKER);
                await().atMost(Cluster.WAIT).until(() -> rolloutAnnotation(cluster) != null);
                Thread.sleep(2000); // let status and Events settle
                firstLog = operator.log();
            }
            Secret before = cluster.secret("shop", "db");
            Deployment deploymentBefore = cluster.client().apps().deployments().inNamespace("shop").withName("web").get();

            try (OperatorProcess operator = OperatorProcess.start("second", second.port(), dir, Map.of())) {
                // the new process has reconciled the SealedSecret once it counts a decryption
                await().atMost(Cluster.WAIT).until(() -> operator.metrics().contains("vigil_sealedsecret_decryptions_total{"));
                Thread.sleep(2000);
                Secret after = cluster.secret("shop", "db");
                Deployment deploymentAfter = cluster.client().apps().deployments().inNamespace("shop").withName("web").get();
                assertThat(after.getMetadata().getUid()).isEqualTo(before.getMetadata().getUid());
                assertThat(after.getMetadata().getResourceVersion()).isEqualTo(before.getMetadata().getResourceVersion());
                assertThat(deploymentAfter.getMetadata().getResourceVersion()).isEqualTo(deploymentBefore.getMetadata().getResourceVersion());
                assertThat(Cluster.writes(second)).noneMatch(w -> w.contains("/secrets") || w.contains("/deployments"));
                assertThat(Cluster.writes(first)).anyMatch(w -> w.startsWith("POST /api/v1/namespaces/shop/secrets"));
                Cluster.assertNoCleartext(firstLog, operator.log(), operator.metrics());
            }
        }
    }

    static String rolloutAnnotation(Cluster cluster) {
        Deployment d = cluster.client().apps().deployments().inNamespace("shop").withName("web").get();
        var annotations = d.getSpec().getTemplate().getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get("db.secrets.vigil.dev/revision");
    }
}
