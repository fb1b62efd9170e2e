package dev.vigil.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.javaoperatorsdk.operator.health.EventSourceHealthIndicator;
import io.javaoperatorsdk.operator.health.Status;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.Cache;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class DeletionSweepTest {

    /** The controller's primary cache, as the informer keeps it. */
    static final class Primaries implements Cache<ConfigMap>, EventSourceHealthIndicator {
        final Map<ResourceID, ConfigMap> items = new ConcurrentHashMap<>();
        volatile Status status = Status.HEALTHY;

        @Override
        public Status getStatus() {
            return status;
        }

        ConfigMap add(String namespace, String name) {
            ConfigMap c = new ConfigMapBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata().build();
            items.put(ResourceID.fromResource(c), c);
            return c;
        }

        @Override
        public Optional<ConfigMap> get(ResourceID id) {
            return Optional.ofNullable(items.get(id));
        }

        @Override
        public Stream<ResourceID> keys() {
            return items.keySet().stream();
        }

        @Override
        public Stream<ConfigMap> list(Predicate<ConfigMap> predicate) {
            return items.values().stream().filter(predicate);
        }
    }

    final List<String> forgotten = new ArrayList<>();
    final Primaries primaries = new Primaries();

    DeletionSweep<ConfigMap> sweep(Duration interval) {
        return new DeletionSweep<>("test", interval, c -> forgotten.add(c.getMetadata().getNamespace() + "/" + c.getMetadata().getName()));
    }

    @Test
    void forgetsEachDeletedPrimaryOnce() {
        try (DeletionSweep<ConfigMap> sweep = sweep(Duration.ofHours(1))) {
            ConfigMap a = primaries.add("shop", "a");
            ConfigMap b = primaries.add("blog", "b");
            sweep.record(a);
            sweep.record(b);
            assertThat(sweep.sweep()).as("no cache yet: nothing is known to be gone").isZero();
            sweep.watch(primaries);
            assertThat(sweep.sweep()).isZero();

            primaries.items.remove(ResourceID.fromResource(a));
            assertThat(sweep.sweep()).isEqualTo(1);
            assertThat(sweep.sweep()).isZero();
            assertThat(forgotten).containsExactly("shop/a");
            assertThat(sweep.recorded()).isEqualTo(1);
        }
    }

    /** A watch outage or a stopping operator empties nothing that was not deleted: an unhealthy cache is not read. */
    @Test
    void anUnhealthyCacheIsNotSwept() {
        try (DeletionSweep<ConfigMap> sweep = sweep(Duration.ofHours(1))) {
            sweep.watch(primaries);
            sweep.record(primaries.add("shop", "a"));
            primaries.status = Status.UNHEALTHY;
            primaries.items.clear();
            assertThat(sweep.sweep()).isZero();
            primaries.status = Status.HEALTHY;
            assertThat(sweep.sweep()).isEqualTo(1);
        }
    }

    @Test
    void aPrimaryRecreatedUnderTheSameNameIsKeptAndOneDroppedByItsReconcilerIsNotForgottenAgain() {
        try (DeletionSweep<ConfigMap> sweep = sweep(Duration.ofHours(1))) {
            sweep.watch(primaries);
            ConfigMap a = primaries.add("shop", "a");
            sweep.record(a);
            primaries.items.clear();
            primaries.add("shop", "a");
            assertThat(sweep.sweep()).isZero();

            sweep.drop(a);
            primaries.items.clear();
            assertThat(sweep.sweep()).isZero();
            assertThat(forgotten).isEmpty();
        }
    }

    @Test
    void theTimerSweepsAndSurvivesAFailingCleanup() {
        List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (DeletionSweep<ConfigMap> sweep = new DeletionSweep<>("test", Duration.ofMillis(20), c -> {
            calls.add(c.getMetadata().getName());
            if (c.getMetadata().getName().equals("boom")) {
                throw new IllegalStateException("report API down");
            }
        })) {
            sweep.watch(primaries);
            sweep.record(primaries.add("shop", "boom"));
            primaries.items.clear();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> calls.contains("boom"));
            sweep.record(primaries.add("shop", "later"));
            primaries.items.clear();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> calls.contains("later"));
        }
    }
}
