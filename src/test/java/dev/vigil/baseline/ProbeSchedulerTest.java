package dev.vigil.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProbeSchedulerTest {

    @Test
    void aNamespaceWithThousandsOfProbesDelaysAnotherByOneTurnAtMost() throws Exception {
        List<String> done = new CopyOnWriteArrayList<>();
        CountDownLatch gate = new CountDownLatch(1);
        try (ProbeScheduler<String> scheduler = new ProbeScheduler<>(1)) {
            // The only worker is held, so the queue fills exactly as a busy operator's would.
            scheduler.submit("crowded", "gate", () -> hold(gate), Duration.ofSeconds(30), Throwable::getMessage, done::add);
            for (int i = 0; i < 1000; i++) {
                String key = "crowded-" + i;
                scheduler.submit("crowded", key, () -> key, Duration.ofSeconds(30), Throwable::getMessage, done::add);
            }
            for (int i = 0; i < 3; i++) {
                String key = "quiet-" + i;
                scheduler.submit("quiet", key, () -> key, Duration.ofSeconds(30), Throwable::getMessage, done::add);
            }
            gate.countDown();
            await().atMost(Duration.ofSeconds(20)).until(() -> done.size() == 1004);
        }
        // Round-robin: gate, quiet-0, crowded-0, quiet-1, crowded-1, quiet-2 … not after the thousand.
        assertThat(done.indexOf("quiet-2")).isLessThan(10);
        assertThat(done.subList(0, 8)).containsSubsequence("quiet-0", "quiet-1", "quiet-2");
        assertThat(done).containsSubsequence("crowded-0", "crowded-1", "crowded-999");
    }

    @Test
    void aProbeOverItsBudgetTimesOutAtOnceAndFreesItsWorker() {
        List<String> done = new CopyOnWriteArrayList<>();
        try (ProbeScheduler<String> scheduler = new ProbeScheduler<>(1)) {
            long start = System.nanoTime();
            scheduler.submit("a", "hangs", () -> sleep(60_000), Duration.ofMillis(200),
                    t -> t instanceof ProbeScheduler.ProbeTimeoutException ? "timeout" : "failed", done::add);
            scheduler.submit("a", "next", () -> "next", Duration.ofSeconds(5), t -> "failed", done::add);
            await().atMost(Duration.ofSeconds(10)).until(() -> done.size() == 2);
            assertThat(done).containsExactly("timeout", "next");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        }
    }

    /** A finished probe lets go of its watchdog (and all it holds) at once, not when its budget would have ended. */
    @Test
    void finishedProbesLeaveNoWatchdogBehind() {
        List<String> done = new CopyOnWriteArrayList<>();
        try (ProbeScheduler<String> scheduler = new ProbeScheduler<>(2)) {
            for (int i = 0; i < 500; i++) {
                String key = "quick-" + i;
                scheduler.submit("a", key, () -> key, Duration.ofMinutes(10), Throwable::getMessage, done::add);
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> done.size() == 500);
            await().atMost(Duration.ofSeconds(5)).until(() -> scheduler.watchdogs() == 0);
        }
    }

    @Test
    void oneProbePerKeyAtATime() {
        CountDownLatch gate = new CountDownLatch(1);
        try (ProbeScheduler<String> scheduler = new ProbeScheduler<>(2)) {
            assertThat(scheduler.submit("a", "k", () -> hold(gate), Duration.ofSeconds(5), t -> "x", r -> { })).isTrue();
            assertThat(scheduler.submit("b", "k", () -> "again", Duration.ofSeconds(5), t -> "x", r -> { })).isFalse();
            gate.countDown();
        }
    }

    @Test
    void aFailingProbeReportsItsFailure() {
        List<String> done = new CopyOnWriteArrayList<>();
        try (ProbeScheduler<String> scheduler = new ProbeScheduler<>(1)) {
            scheduler.submit("a", "boom", () -> {
                throw new IllegalStateException("boom");
            }, Duration.ofSeconds(5), Throwable::getMessage, done::add);
            await().atMost(Duration.ofSeconds(5)).until(() -> done.size() == 1);
            assertThat(done).containsExactly("boom");
        }
    }

    private static String hold(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "gate";
    }

    private static String sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            return "interrupted";
        }
        return "slept";
    }
}
