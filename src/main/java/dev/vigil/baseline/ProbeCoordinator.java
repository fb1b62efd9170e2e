package dev.vigil.baseline;

import dev.vigil.metrics.VigilMetrics;
import dev.vigil.probe.ProbeFailure;
import dev.vigil.probe.ServiceFindings;
import dev.vigil.probe.ServiceProbe;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Keeps the latest findings per baseline and service and starts probes when they are due. Findings belong to
 * the baseline that asked for them, probed with its own budget and interval: one tenant's baseline can neither
 * starve nor poison another's (a 1 ms budget times out only its own probes). Probes are queued per namespace
 * and taken round-robin, so a namespace with thousands of services delays no other.
 */
@ApplicationScoped
public class ProbeCoordinator {

    /** Findings are kept per requesting baseline. */
    record ProbeKey(ResourceID baseline, String endpoint) {
        String text() {
            return baseline.getNamespace().orElse("") + "/" + baseline.getName() + "|" + endpoint;
        }
    }

    private final ServiceProbe probe;
    private final VigilMetrics metrics;
    private final ProbeScheduler<ServiceFindings> scheduler;
    private final Clock clock;
    private final Map<ProbeKey, ServiceFindings> latest = new ConcurrentHashMap<>();
    private final Set<ResourceID> active = ConcurrentHashMap.newKeySet();
    private final Set<ResourceID> toNotify = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService notifications = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "vigil-probe-notify");
        t.setDaemon(true);
        return t;
    });
    private volatile Consumer<ResourceID> notifier = id -> { };

    @Inject
    public ProbeCoordinator(ServiceProbe probe, VigilMetrics metrics, BaselineSettings settings) {
        this(probe, metrics, settings.concurrency(), Clock.systemUTC());
    }

    ProbeCoordinator(ServiceProbe probe, VigilMetrics metrics, int concurrency, Clock clock) {
        this.probe = probe;
        this.metrics = metrics;
        this.scheduler = new ProbeScheduler<>(concurrency);
        this.clock = clock;
    }

    /** Where to send "findings changed" for a baseline (the reconciler's inbound event source). */
    void onFindings(Consumer<ResourceID> notifier) {
        this.notifier = notifier;
    }

    /** The latest findings for the target, starting a probe when none exist or they are older than the interval. */
    Optional<ServiceFindings> findings(ResourceID baseline, ServiceTarget target, Duration interval, Duration budget) {
        ProbeKey key = new ProbeKey(baseline, target.key());
        ServiceFindings current = latest.get(key);
        if (current == null || !clock.instant().isBefore(nextDue(current, key, interval))) {
            scheduler.submit(baseline.getNamespace().orElse(""), key.text(), () -> probe.probe(target.endpoint(), budget), budget,
                    failure -> ServiceFindings.failed(clock.instant(), reasonOf(failure), failure.getMessage()),
                    findings -> completed(key, findings));
        }
        return Optional.ofNullable(current);
    }

    /** Records which services a baseline covers now and drops the findings of those it no longer covers. */
    void inUse(ResourceID baseline, Set<String> endpointKeys) {
        active.add(baseline);
        latest.keySet().removeIf(k -> k.baseline().equals(baseline) && !endpointKeys.contains(k.endpoint()));
    }

    /** Drops everything a deleted baseline had; probes of it still running are discarded when they end. */
    void forget(ResourceID baseline) {
        active.remove(baseline);
        latest.keySet().removeIf(k -> k.baseline().equals(baseline));
    }

    /** How long until the next of the baseline's probes is due. */
    Duration untilDue(ResourceID baseline, ServiceTarget target, Duration interval) {
        ProbeKey key = new ProbeKey(baseline, target.key());
        ServiceFindings current = latest.get(key);
        if (current == null) {
            return interval;
        }
        Duration left = Duration.between(clock.instant(), nextDue(current, key, interval));
        return left.isNegative() ? Duration.ofSeconds(1) : left;
    }

    /**
     * Probes of a big baseline end many times a second; they are told to it in batches ({@link #NOTIFY_AFTER}), so
     * it is reconciled a few times a second at most instead of once per probe.
     */
    static final Duration NOTIFY_AFTER = Duration.ofMillis(500);

    private void completed(ProbeKey key, ServiceFindings findings) {
        if (!active.contains(key.baseline())) {
            return;
        }
        latest.put(key, findings);
        metrics.probeCompleted(findings.tlsElapsed(), findings.httpElapsed(), findings.failure().map(ProbeFailure::reason));
        ResourceID baseline = key.baseline();
        if (toNotify.add(baseline)) {
            notifications.schedule(() -> {
                toNotify.remove(baseline);
                notifier.accept(baseline);
            }, NOTIFY_AFTER.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Spreads probes of many services over ±10% of the interval, the same way every cycle. */
    static Instant nextDue(ServiceFindings findings, ProbeKey key, Duration interval) {
        double factor = 0.9 + 0.2 * ((key.endpoint().hashCode() & 0xffff) / 65535.0);
        return findings.probedAt().plusMillis((long) (interval.toMillis() * factor));
    }

    private static String reasonOf(Throwable failure) {
        return failure instanceof ProbeScheduler.ProbeTimeoutException ? ProbeFailure.TIMEOUT : ProbeFailure.PROBE_FAILED;
    }

    @PreDestroy
    void close() {
        scheduler.close();
        notifications.shutdownNow();
    }
}
