package dev.vigil.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.health.EventSourceHealthIndicator;
import io.javaoperatorsdk.operator.health.Status;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.Cache;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Tells a reconciler which of the primaries it holds state for (metrics, probe schedules, memos, reports) have been
 * deleted. Vigil sets no finalizers — an operator that is uninstalled or down must never leave objects stuck in
 * deletion — so nothing asks it to clean up when a primary goes. The operator SDK would reconcile the deletion with
 * {@code triggerReconcilerOnAllEvents}, but the Quarkus extension (7.7.0) does not carry that setting into the
 * controller configuration it builds. So every interval the sweep compares the primaries the reconciler recorded
 * with the controller's primary cache and hands each one gone to {@code forget}, once.
 *
 * <p>A reconcile records its primary when it is done ({@link #record}), after its own state writes: a sweep that
 * forgets a primary deleted while its reconcile was still running sees it again at the next interval.
 */
public final class DeletionSweep<P extends HasMetadata> implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DeletionSweep.class);

    private final String controller;
    private final Consumer<P> forget;
    private final Map<ResourceID, P> recorded = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;
    private volatile Cache<P> primaries;

    /**
     * @param controller names the timer thread and log lines
     * @param forget drops everything held for one deleted primary (called on the sweep's thread)
     */
    public DeletionSweep(String controller, Duration interval, Consumer<P> forget) {
        this.controller = controller;
        this.forget = forget;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vigil-deletion-sweep-" + controller);
            t.setDaemon(true);
            return t;
        });
        long millis = Math.max(1, interval.toMillis());
        timer.scheduleWithFixedDelay(this::sweepQuietly, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** The controller's primary cache: what exists now. Until it is known, nothing is swept. */
    public void watch(Cache<P> primaries) {
        this.primaries = primaries;
    }

    /** The reconciler holds state for this primary now. */
    public void record(P primary) {
        recorded.put(ResourceID.fromResource(primary), primary);
    }

    /** The reconciler dropped this primary's state itself. */
    public void drop(P primary) {
        recorded.remove(ResourceID.fromResource(primary));
    }

    /**
     * Forgets every recorded primary missing from the cache; returns how many. A cache whose informers are not
     * running, synced and watching (a watch outage, the operator stopping) proves nothing missing: nothing is swept.
     */
    public int sweep() {
        Cache<P> cache = primaries;
        if (cache == null || cache instanceof EventSourceHealthIndicator health && health.getStatus() != Status.HEALTHY) {
            return 0;
        }
        int forgotten = 0;
        for (Map.Entry<ResourceID, P> entry : recorded.entrySet()) {
            if (!present(cache, entry.getKey()) && recorded.remove(entry.getKey(), entry.getValue())) {
                forget.accept(entry.getValue());
                forgotten++;
            }
        }
        return forgotten;
    }

    /** Present unless the cache says it is not: a namespace no longer watched has no informer to ask, and throws. */
    private static <P> boolean present(Cache<P> cache, ResourceID id) {
        try {
            return cache.contains(id);
        } catch (RuntimeException e) {
            return true;
        }
    }

    /** How many primaries the reconciler holds state for. */
    public int recorded() {
        return recorded.size();
    }

    private void sweepQuietly() {
        try {
            int forgotten = sweep();
            if (forgotten > 0) {
                LOG.debugf("%s: forgot %d deleted object(s)", controller, forgotten);
            }
        } catch (RuntimeException e) {
            // The next interval tries again: a failed cleanup (an API call for a report) must not end the timer.
            LOG.warnf("%s: cleanup of deleted objects failed: %s", controller, e.toString());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
