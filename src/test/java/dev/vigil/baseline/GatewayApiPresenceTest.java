package dev.vigil.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testsupport.GatewayApiDiscovery;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Whether the Gateway API is there is asked of discovery once; its absence is said once, at INFO. */
class GatewayApiPresenceTest {

    final List<LogRecord> records = new CopyOnWriteArrayList<>();
    final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLoggerName() != null && record.getLoggerName().contains("SecurityBaselineReconciler")) {
                records.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    KubernetesMockServer server;

    @BeforeEach
    void start() {
        Logger.getLogger("").addHandler(handler);
        server = new KubernetesMockServer(false);
        server.init();
    }

    @AfterEach
    void stop() {
        Logger.getLogger("").removeHandler(handler);
        server.destroy();
    }

    /** A client as the operator has one (the mock's own client claims every API group exists). */
    KubernetesClient client() {
        return new KubernetesClientBuilder().withConfig(new ConfigBuilder().withMasterUrl(server.url("/"))
                .withTrustCerts(true).withRequestRetryBackoffLimit(0).build()).build();
    }

    @Test
    void withoutTheCrdsNothingIsWatchedAndItIsSaidOnce() {
        try (KubernetesClient client = client()) {
            GatewayApi found = GatewayApi.discover(client);
            assertThat(found.routes()).isFalse();
            assertThat(found.referenceGrants()).isFalse();
        }
        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.getLevel().getName()).isEqualTo("INFO");
            assertThat(r.getMessage()).contains("Gateway API").contains("not installed");
        });
    }

    @Test
    void withTheCrdsRoutesGatewaysAndGrantsAreWatchedSilently() {
        GatewayApiDiscovery.install(server);
        try (KubernetesClient client = client()) {
            GatewayApi found = GatewayApi.discover(client);
            assertThat(found.routes()).isTrue();
            assertThat(found.referenceGrants()).isTrue();
        }
        assertThat(records).isEmpty();
    }
}
