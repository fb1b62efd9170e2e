package dev.vigil.baseline;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs probes off the reconcile threads: at most {@code concurrency} at once across the operator,
 * one in flight per key, and each bounded by its budget: a probe still running when its budget is
 * spent is reported as timed out at once (and its thread interrupted), so one dead target delays nothing else.
 */
final class ProbeScheduler<R> implements AutoCloseable {

    private final ExecutorService workers;
    private final ScheduledExecutorService watchdog;
    private final Map<String, CompletableFuture<R>> inFlight = new ConcurrentHashMap<>();

    ProbeScheduler(int concurrency) {
        this.workers = Executors.newFixedThreadPool(concurrency, daemon("vigil-probe"));
        this.watchdog = Executors.newSingleThreadScheduledExecutor(daemon("vigil-probe-watchdog"));
    }

    /** Returns false when a probe for the key is already running. */
    boolean submit(String key, Supplier<R> probe, Duration budget, Function<Throwable, R> onFailure, Consumer<R> onDone) {
        CompletableFuture<R> result = new CompletableFuture<>();
        if (inFlight.putIfAbsent(key, result) != null) {
            return false;
        }
        workers.execute(() -> {
            // The budget runs from the probe's start, not from its place in the queue.
            Thread worker = Thread.currentThread();
            var timer = watchdog.schedule(() -> {
                if (result.complete(onFailure.apply(new ProbeTimeoutException(budget)))) {
                    worker.interrupt();
                }
            }, budget.toMillis(), TimeUnit.MILLISECONDS);
            try {
                result.complete(probe.get());
            } catch (Throwable t) {
                result.complete(onFailure.apply(t));
            } finally {
                timer.cancel(false);
            }
        });
        result.whenComplete((r, t) -> {
            inFlight.remove(key, result);
            onDone.accept(r);
        });
        return true;
    }

    @Override
    public void close() {
        workers.shutdownNow();
        watchdog.shutdownNow();
    }

    static final class ProbeTimeoutException extends RuntimeException {
        ProbeTimeoutException(Duration budget) {
            super("no answer within the probe budget of " + Durations.format(budget));
        }
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
