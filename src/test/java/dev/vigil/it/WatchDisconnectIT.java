package dev.vigil.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testsupport.Fixtures;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every connection between the operator and the API server is cut (watches included) and new ones
 * are refused for a while; what changed meanwhile must still arrive once the API server is back.
 */
class WatchDisconnectIT {

    @Test
    void changesMadeWhileDisconnectedAreNotLost() throws Exception {
        Path dir = OperatorProcess.logDirectory("watch-disconnect");
        try (ApiServer api = new ApiServer(); Relay relay = new Relay(api.port())) {
            Cluster cluster = new Cluster(api.client());
            cluster.namespace("shop");
            try (OperatorProcess operator = OperatorProcess.start("operator", relay.port(), dir, Map.of())) {
                cluster.seal("shop", "db", Map.of("password", "v1-" + Fixtures.MARKER));
                cluster.awaitValue("shop", "db", "password", "v1-" + Fixtures.MARKER);
                int before = relay.requests().size();

                relay.sever();
                Thread.sleep(1000);
                cluster.seal("shop", "db", Map.of("password", "v2-" + Fixtures.MARKER));
                cluster.seal("shop", "cache", Map.of("token", "t1-" + Fixtures.MARKER));
                Thread.sleep(4000);
                assertThat(cluster.secret("shop", "cache")).as("nothing reaches the operator while severed").isNull();
                relay.restore();

                cluster.awaitValue("shop", "db", "password", "v2-" + Fixtures.MARKER);
                cluster.awaitValue("shop", "cache", "token", "t1-" + Fixtures.MARKER);
                assertThat(relay.requests().subList(before, relay.requests().size()))
                        .as("the watches were opened again").anyMatch(r -> r.contains("sealedsecrets?") && r.contains("watch=true"));
                Cluster.assertNoCleartext(operator.log(), operator.metrics());
            }
        }
    }
}
