package dev.vigil.baseline;

import dev.vigil.grade.service.ServiceFindings;
import dev.vigil.metrics.VigilMetrics;
import dev.vigil.probe.AddressPolicy;
import dev.vigil.probe.HostResolver;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Keeps the latest findings per service and starts probes when they are due. A service covered by
 * several baselines is probed once; every baseline waiting on it is told when the probe ends.
 */
@ApplicationScoped
public class ProbeCoordinator {

    private final ServiceProber prober;
    private final VigilMetrics metrics;
    private final AddressPolicy addressPolicy;
    private final ProbeScheduler<ServiceFindings> scheduler;
    private final Clock clock;
    private final Map<String, ServiceFindings> latest = new ConcurrentHashMap<>();
    private final Map<String, Set<ResourceID>> waiting = new ConcurrentHashMap<>();
    private final Map<ResourceID, Set<String>> usage = new ConcurrentHashMap<>();
    private volatile Consumer<ResourceID> notifier = id -> { };

    @Inject
    public ProbeCoordinator(ServiceProber prober, VigilMetrics metrics, BaselineSettings settings, AddressPolicy policy) {
        this(prober, metrics, policy, settings.concurrency(), Clock.systemUTC());
    }

    ProbeCoordinator(ServiceProber prober, VigilMetrics metrics, AddressPolicy policy, int concurrency, Clock clock) {
        this.prober = prober;
        this.metrics = metrics;
        this.addressPolicy = policy;
        this.scheduler = new ProbeScheduler<>(concurrency);
        this.clock = clock;
    }

    /** Where to send "findings changed" for a baseline (the reconciler's inbound event source). */
    void onFindings(Consumer<ResourceID> notifier) {
        this.notifier = notifier;
    }

    /** The latest findings for the target, starting a probe when none exist or they are older than the interval. */
    Optional<ServiceFindings> findings(ResourceID baseline, ServiceTarget target, Duration interval, Duration budget) {
        String key = target.key();
        ServiceFindings current = latest.get(key);
        if (current == null || !clock.instant().isBefore(nextDue(current, key, interval))) {
            waiting.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(baseline);
            scheduler.submit(key, () -> probe(target, budget), budget,
                    failure -> ServiceFindings.failed(clock.instant(), reasonOf(failure), failure.getMessage()),
                    findings -> completed(key, findings));
        }
        return Optional.ofNullable(current);
    }

    /** Records which targets a baseline uses now and drops findings nobody uses any more. */
    void inUse(ResourceID baseline, Set<String> keys) {
        if (keys.isEmpty()) {
            usage.remove(baseline);
        } else {
            usage.put(baseline, Set.copyOf(keys));
        }
        Set<String> used = new HashSet<>();
        usage.values().forEach(used::addAll);
        latest.keySet().removeIf(k -> !used.contains(k));
    }

    Duration untilDue(ServiceTarget target, Duration interval) {
        ServiceFindings current = latest.get(target.key());
        if (current == null) {
            return interval;
        }
        Duration left = Duration.between(clock.instant(), nextDue(current, target.key(), interval));
        return left.isNegative() ? Duration.ofSeconds(1) : left;
    }

    private void completed(String key, ServiceFindings findings) {
        latest.put(key, findings);
        metrics.probeCompleted(findings.tlsElapsed(), findings.httpElapsed(), findings.errorReason());
        Set<ResourceID> toNotify = waiting.remove(key);
        if (toNotify != null) {
            toNotify.forEach(notifier);
        }
    }

    private ServiceFindings probe(ServiceTarget target, Duration budget) {
        String connectHost = target.connectHost().orElse(target.host());
        InetAddress address;
        try {
            address = HostResolver.resolve(connectHost);
        } catch (UnknownHostException e) {
            return ServiceFindings.failed(clock.instant(), "DnsFailure", "cannot resolve " + connectHost);
        }
        // Decided before any connection, so the outcome says nothing about what listens there.
        AddressPolicy.Decision decision = addressPolicy.check(address, target.addressSource());
        if (!decision.allowed()) {
            return ServiceFindings.failed(clock.instant(), "AddressDenied", decision.message(address));
        }
        return prober.probe(target, address, budget);
    }

    /** Spreads probes of many services over ±10% of the interval, the same way every cycle. */
    static Instant nextDue(ServiceFindings findings, String key, Duration interval) {
        double factor = 0.9 + 0.2 * ((key.hashCode() & 0xffff) / 65535.0);
        return findings.probedAt().plusMillis((long) (interval.toMillis() * factor));
    }

    private static String reasonOf(Throwable failure) {
        return failure instanceof ProbeScheduler.ProbeTimeoutException ? "Timeout" : "ProbeFailed";
    }

    @PreDestroy
    void close() {
        scheduler.close();
    }
}
