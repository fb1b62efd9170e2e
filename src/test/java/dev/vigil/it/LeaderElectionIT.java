package dev.vigil.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.testsupport.Fixtures;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Two replicas with leader election, each behind its own relay: only the Lease holder writes
 * Secrets, status and Events; the other only renews its claim. When the leader stops, the other
 * takes the Lease and carries on.
 */
class LeaderElectionIT {

    static final String LEASE = "vigil-leader";

    @Test
    void onlyTheLeaderWritesAndTheOtherTakesOver() throws Exception {
        Path dir = OperatorProcess.logDirectory("leader-election");
        try (ApiServer api = new ApiServer(); Relay relayA = new Relay(api.port()); Relay relayB = new Relay(api.port())) {
            Cluster cluster = new Cluster(api.client());
            cluster.namespace("shop");
            try (OperatorProcess a = OperatorProcess.start("replica-a", relayA.port(), dir, settings("replica-a"));
                    OperatorProcess b = OperatorProcess.start("replica-b", relayB.port(), dir, settings("replica-b"))) {
                String leader = await().atMost(Cluster.WAIT).until(() -> holder(cluster), h -> h != null);
                Relay leaderRelay = leader.equals("replica-a") ? relayA : relayB;
                Relay followerRelay = leader.equals("replica-a") ? relayB : relayA;
                OperatorProcess leaderProcess = leader.equals("replica-a") ? a : b;

                cluster.seal("shop", "db", Map.of("password", "v1-" + Fixtures.MARKER));
                cluster.awaitValue("shop", "db", "password", "v1-" + Fixtures.MARKER);
                Thread.sleep(3000); // time for a wrong follower to write too

                assertThat(Cluster.writes(leaderRelay)).anyMatch(w -> w.startsWith("POST /api/v1/namespaces/shop/secrets"))
                        .anyMatch(w -> w.contains("/sealedsecrets/db/status"));
                List<String> followerWrites = Cluster.writes(followerRelay);
                assertThat(followerWrites).as("the follower touches nothing but the Lease (and asks whether it may)")
                        .allMatch(w -> w.contains("/apis/coordination.k8s.io/v1/namespaces/vigil-system/leases")
                                || w.equals("POST /apis/authorization.k8s.io/v1/selfsubjectrulesreviews"));
                assertThat(followerRelay.requests()).noneMatch(r -> r.contains("/namespaces/shop/"));

                leaderProcess.stop();
                String next = await().atMost(Cluster.WAIT).until(() -> holder(cluster), h -> h != null && !h.equals(leader));
                cluster.seal("shop", "db", Map.of("password", "v2-" + Fixtures.MARKER));
                cluster.awaitValue("shop", "db", "password", "v2-" + Fixtures.MARKER);
                assertThat(Cluster.writes(followerRelay)).as(next + " writes once it leads")
                        .anyMatch(w -> w.startsWith("PUT /api/v1/namespaces/shop/secrets/db") || w.startsWith("PATCH /api/v1/namespaces/shop/secrets/db"));
                Set<String> leaseVerbs = new TreeSet<>();
                for (Relay relay : List.of(relayA, relayB)) {
                    relay.requests().stream().filter(r -> r.contains("/leases")).map(r -> VERBS.get(r.substring(0, r.indexOf(' '))))
                            .forEach(leaseVerbs::add);
                }
                assertThat(ApiServer.chartLeaseVerbs()).as("the chart's leader-election Role allows what the replicas did")
                        .containsAll(leaseVerbs);
                Cluster.assertNoCleartext(a.log(), b.log());
            }
        }
    }

    static final Map<String, String> VERBS = Map.of("GET", "get", "POST", "create", "PUT", "update", "PATCH", "patch",
            "DELETE", "delete");

    static Map<String, String> settings(String identity) {
        return Map.of("vigil.leader-election.enabled", "true", "vigil.leader-election.lease-name", LEASE,
                "vigil.leader-election.identity", identity);
    }

    static String holder(Cluster cluster) {
        Lease lease = cluster.client().leases().inNamespace("vigil-system").withName(LEASE).get();
        return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
    }
}
