package dev.vigil.baseline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs probes off the reconcile threads: at most {@code concurrency} at once across the operator, taken
 * round-robin across tenants (one namespace's thousands of targets cannot delay another's ten), one in flight
 * per key, and each bounded by its budget: a probe still running when its budget is spent is reported as timed
 * out at once (and its thread interrupted), so one dead target delays nothing else.
 */
final class ProbeScheduler<R> implements AutoCloseable {

    private final FairQueue<Runnable> queue = new FairQueue<>();
    private final List<Thread> workers = new ArrayList<>();
    private final ScheduledExecutorService watchdog;
    private final Map<String, CompletableFuture<R>> inFlight = new ConcurrentHashMap<>();
    private volatile boolean closed;

    ProbeScheduler(int concurrency) {
        ThreadFactory factory = daemon("vigil-probe");
        for (int i = 0; i < concurrency; i++) {
            Thread worker = factory.newThread(this::work);
            workers.add(worker);
            worker.start();
        }
        // A finished probe's cancelled watchdog leaves the queue at once instead of holding the probe until its budget.
        ScheduledThreadPoolExecutor watchdog = new ScheduledThreadPoolExecutor(1, daemon("vigil-probe-watchdog"));
        watchdog.setRemoveOnCancelPolicy(true);
        this.watchdog = watchdog;
    }

    private void work() {
        while (!closed) {
            try {
                queue.take().run();
            } catch (InterruptedException e) {
                if (closed) {
                    return;
                }
                // A timed-out probe's interrupt may land after it returned: clear it and go on.
            }
        }
    }

    /** Returns false when a probe for the key is already queued or running. */
    boolean submit(String tenant, String key, Supplier<R> probe, Duration budget, Function<Throwable, R> onFailure,
            Consumer<R> onDone) {
        CompletableFuture<R> result = new CompletableFuture<>();
        if (inFlight.putIfAbsent(key, result) != null) {
            return false;
        }
        result.whenComplete((r, t) -> {
            inFlight.remove(key, result);
            onDone.accept(r);
        });
        queue.put(tenant, () -> {
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
                Thread.interrupted(); // a watchdog interrupt that came too late must not hit the next probe
            }
        });
        return true;
    }

    int queued() {
        return queue.size();
    }

    /** Budget watchdogs still waiting: one per running probe, none for a finished one. */
    int watchdogs() {
        return ((ScheduledThreadPoolExecutor) watchdog).getQueue().size();
    }

    @Override
    public void close() {
        closed = true;
        workers.forEach(Thread::interrupt);
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
