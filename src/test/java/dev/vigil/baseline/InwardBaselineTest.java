package dev.vigil.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operator as deployed (no {@code unsafe-allow-cidrs}, unlike the other tests' profile), aimed at
 * 127.0.0.1 by a tenant's baseline: by an Ingress address, a named connect address, explicit targets
 * on a listening and on a closed port, and a private address. Each must end {@code AddressDenied}, the
 * listening server must see no connection, and the status must read the same whatever listens there
 * (no port-scan oracle).
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@TestProfile(InwardBaselineTest.AsDeployed.class)
class InwardBaselineTest {

    /** The prod defaults for the address policy: no exemption for 127.0.0.1. */
    public static class AsDeployed implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("vigil.baselines.unsafe-allow-cidrs", "", "vigil.baselines.allow-cidrs", "");
        }
    }

    static final Duration WAIT = Duration.ofSeconds(40);

    @Inject
    KubernetesClient client;

    String ns;
    ServerSocket listening;
    final AtomicInteger connections = new AtomicInteger();
    int closedPort;

    @BeforeEach
    void setUp() throws IOException {
        ns = "tenant-" + UUID.randomUUID().toString().substring(0, 8);
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        listening = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        Thread acceptor = new Thread(() -> {
            while (!listening.isClosed()) {
                try (Socket s = listening.accept()) {
                    connections.incrementAndGet();
                } catch (IOException e) {
                    return;
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = s.getLocalPort();
        }
    }

    @AfterEach
    void tearDown() throws IOException {
        listening.close();
        client.resources(SecurityBaseline.class).inNamespace(ns).delete();
    }

    static ProbeTarget target(String url, String connectAddress) {
        ProbeTarget t = new ProbeTarget();
        t.url = url;
        t.connectAddress = connectAddress;
        return t;
    }

    SecurityBaseline baseline(String name, Connect connect, List<ProbeTarget> targets) {
        SecurityBaseline b = new SecurityBaseline();
        b.getMetadata().setName(name);
        b.getMetadata().setNamespace(ns);
        SecurityBaselineSpec spec = new SecurityBaselineSpec();
        spec.selector = new LabelSelectorBuilder().addToMatchLabels("tier", name).build();
        spec.connect = connect;
        spec.schedule = new Schedule();
        spec.schedule.interval = "1h";
        spec.schedule.timeout = "5s";
        spec.targets = targets;
        b.setSpec(spec);
        return client.resource(b).create();
    }

    void ingress(String name, String host, String tier) {
        Ingress created = client.resource(new IngressBuilder()
                .withNewMetadata().withName(name).withNamespace(ns).addToLabels("tier", tier).endMetadata()
                .withNewSpec().addNewRule().withHost(host).endRule().endSpec().build()).create();
        created.setStatus(new IngressStatusBuilder().withNewLoadBalancer().addNewIngress().withIp("127.0.0.1").endIngress()
                .endLoadBalancer().build());
        client.resource(created).updateStatus();
    }

    Map<String, ServiceRow> awaitRows(String baseline, int count) {
        return await().atMost(WAIT).until(() -> {
            SecurityBaseline b = client.resources(SecurityBaseline.class).inNamespace(ns).withName(baseline).get();
            Map<String, ServiceRow> rows = new TreeMap<>();
            if (b != null && b.getStatus() != null && b.getStatus().services != null) {
                b.getStatus().services.forEach(r -> rows.put(r.host(), r));
            }
            return rows;
        }, rows -> rows.size() == count && rows.values().stream().noneMatch(r -> Boolean.TRUE.equals(r.pending())));
    }

    @Test
    void loopbackIsDeniedAndTheStatusIsTheSameWhateverListens() {
        ingress("shop", "shop.test", "ingress");
        Connect ports = new Connect();
        ports.httpsPort = listening.getLocalPort();
        ports.httpPort = listening.getLocalPort();
        baseline("ingress", ports, List.of());
        baseline("named", null, List.of(
                target("https://open.test:" + listening.getLocalPort() + "/", "127.0.0.1"),
                target("https://closed.test:" + closedPort + "/", "127.0.0.1"),
                target("https://localhost:" + listening.getLocalPort() + "/", null)));

        Map<String, ServiceRow> byIngress = awaitRows("ingress", 1);
        Map<String, ServiceRow> named = awaitRows("named", 3);
        // The mock API server listens on 127.0.0.1 too, so the most precise rule is the API server one.
        String denied = byIngress.get("shop.test").error();
        assertThat(denied).isIn("refused to probe 127.0.0.1: ApiServer (the cluster's API server)",
                "refused to probe 127.0.0.1: Loopback (127.0.0.0/8)");
        assertThat(named.get("open.test").error()).isEqualTo(denied);
        assertThat(named.get("closed.test").error()).as("same answer whether or not the port is open").isEqualTo(denied);
        assertThat(named.get("localhost").error()).isEqualTo(denied);
        assertThat(named.values()).allSatisfy(r -> assertThat(r.grade()).isNull());
        assertThat(connections.get()).as("connections the probes made to 127.0.0.1").isZero();
    }

    @Test
    void anUntrustedBaselineMayNotNameAPrivateAddress() {
        Connect connect = new Connect();
        connect.address = "10.0.0.1";
        ingress("private", "private.test", "private");
        baseline("private", connect, List.of(target("https://cgnat.test/", "100.64.0.1")));
        Map<String, ServiceRow> rows = awaitRows("private", 2);
        assertThat(rows.get("private.test").error()).startsWith("refused to probe 10.0.0.1: PrivateNotAllowed (10.0.0.0/8");
        assertThat(rows.get("cgnat.test").error()).startsWith("refused to probe 100.64.0.1: PrivateNotAllowed (100.64.0.0/10");
    }
}
