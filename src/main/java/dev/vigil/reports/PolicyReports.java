package dev.vigil.reports;

import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * Writes Vigil's report in each namespace ({@link ReportApi#NAME}), one policy's results at a time: read the stored
 * report, replace that policy's results ({@link NamespaceReport#replace}), write it back only if it changed, with
 * the resourceVersion read (a conflicting write is read again and retried). Off when the report API is
 * {@code off} or the API server does not serve its CRD — asked at start and again every
 * {@code discovery-interval} while absent, each change said once in the log. When the CRD appears, the listener
 * ({@link #onServed}) is told, so every baseline writes its results then rather than at its next probe. A report that Vigil does not manage
 * (no {@code app.kubernetes.io/managed-by: vigil}) is never overwritten. Failures are logged and never fail the
 * caller's reconcile: the next reconcile writes again.
 */
@ApplicationScoped
public class PolicyReports {

    private static final Logger LOG = Logger.getLogger(PolicyReports.class);
    private static final int ATTEMPTS = 3;

    private final KubernetesClient client;
    private final ReportApi api;
    private final int maxResults;
    private final java.time.Duration discoveryInterval;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    /** Namespaces each policy has results in, so results left behind (scope changed, baseline deleted) are removed. */
    private final Map<String, Set<String>> placed = new ConcurrentHashMap<>();
    private final Set<String> refusedNamespaces = ConcurrentHashMap.newKeySet();
    private volatile Boolean served;
    private volatile Instant lastDiscovery = Instant.MIN;
    private volatile boolean recovered;
    private volatile Runnable onServed = () -> { };
    private final ScheduledExecutorService discovery = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "vigil-report-discovery");
        t.setDaemon(true);
        return t;
    });

    public PolicyReports(KubernetesClient client, ReportSettings settings) {
        this.client = client;
        this.api = settings.api();
        this.maxResults = settings.maxResults();
        this.discoveryInterval = settings.discoveryInterval();
    }

    void onStart(@Observes StartupEvent event) {
        enabled();
        if (api != ReportApi.OFF) {
            long every = Math.max(1, discoveryInterval.toMillis());
            discovery.scheduleWithFixedDelay(() -> {
                try {
                    enabled();
                } catch (RuntimeException e) {
                    LOG.debugf("report discovery: %s", e);
                }
            }, every, every, TimeUnit.MILLISECONDS);
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        discovery.shutdownNow();
    }

    /** Called (on the discovery thread) when the report CRD becomes served: time to write every report. */
    public void onServed(Runnable listener) {
        this.onServed = listener;
    }

    /** Whether reports are written now: the API is chosen and its CRD served (asked again while it is not). */
    public boolean enabled() {
        if (api == ReportApi.OFF) {
            return false;
        }
        Boolean known = served;
        Instant now = clock.instant();
        if (Boolean.TRUE.equals(known) || (known != null && now.isBefore(lastDiscovery.plus(discoveryInterval)))) {
            return known;
        }
        synchronized (this) {
            if (served != null && (served || now.isBefore(lastDiscovery.plus(discoveryInterval)))) {
                return served;
            }
            boolean nowServed = discover();
            lastDiscovery = now;
            if (!Objects.equals(served, nowServed)) {
                if (nowServed) {
                    LOG.infof("%s %s is served: writing one %s per namespace", api.kind, api.apiVersion(), api.kind);
                } else {
                    LOG.infof("%s %s is not served by the API server: no reports are written (install the CRD — Kyverno and "
                            + "Policy Reporter ship it — or set vigil.reports.api=off); asking again every %s",
                            api.kind, api.apiVersion(), discoveryInterval);
                }
            }
            boolean appeared = nowServed && !Boolean.TRUE.equals(served);
            served = nowServed;
            if (appeared) {
                onServed.run();
            }
            return nowServed;
        }
    }

    private boolean discover() {
        try {
            APIResourceList resources = client.getApiResources(api.apiVersion());
            return resources != null && resources.getResources() != null
                    && resources.getResources().stream().anyMatch(r -> api.plural.equals(r.getName()));
        } catch (KubernetesClientException e) {
            return false;
        }
    }

    /**
     * Makes {@code policy}'s results in every namespace exactly {@code byNamespace}: its results are replaced in
     * the namespaces given and removed from those it had results in before.
     */
    public void publish(String policy, Map<String, List<ReportResult>> byNamespace) {
        if (!enabled()) {
            return;
        }
        recover();
        Set<String> namespaces = new HashSet<>(placed.getOrDefault(policy, Set.of()));
        namespaces.addAll(byNamespace.keySet());
        Set<String> now = new HashSet<>();
        for (String namespace : namespaces) {
            List<ReportResult> results = byNamespace.getOrDefault(namespace, List.of());
            boolean written = write(namespace, policy, results);
            if (!results.isEmpty() || !written) {
                now.add(namespace); // a failed removal is tried again next time
            }
        }
        if (now.isEmpty()) {
            placed.remove(policy);
        } else {
            placed.put(policy, Set.copyOf(now));
        }
    }

    /** Removes every result of {@code policy} (its baseline was deleted). */
    public void withdraw(String policy) {
        publish(policy, Map.of());
    }

    /**
     * Removes the results of every policy {@code owned} by the caller that is not {@code live} (its baseline is gone):
     * the caller's way to withdraw when it is not told of deletions itself. Ownership is told by the policy's name
     * alone (a baseline's is {@code <namespace>/<name>}), so another contributor to the reports must name its
     * policies in a form no other caller claims (e.g. {@code admission:<rule>}).
     */
    public void retain(java.util.function.Predicate<String> owned, Set<String> live) {
        if (!enabled()) {
            return;
        }
        recover();
        for (String policy : List.copyOf(placed.keySet())) {
            if (owned.test(policy) && !live.contains(policy)) {
                withdraw(policy);
            }
        }
    }

    /** After a restart: which policies have results where, from the reports themselves (one list call). */
    private void recover() {
        if (recovered) {
            return;
        }
        synchronized (this) {
            if (recovered) {
                return;
            }
            try {
                for (GenericKubernetesResource report : reports().inAnyNamespace().withLabel(ReportApi.MANAGED_BY, ReportApi.SOURCE)
                        .list().getItems()) {
                    String namespace = report.getMetadata().getNamespace();
                    for (String policy : ReportApi.fromResource(report).policies()) {
                        placed.merge(policy, Set.of(namespace), (a, b) -> {
                            Set<String> union = new HashSet<>(a);
                            union.addAll(b);
                            return Set.copyOf(union);
                        });
                    }
                }
                recovered = true;
            } catch (KubernetesClientException e) {
                LOG.warnf("could not list %s reports to find results left from before a restart: %s (retrying at the next reconcile)",
                        api.kind, e.getMessage());
            }
        }
    }

    /** @return whether the namespace's report now holds exactly these results for the policy */
    boolean write(String namespace, String policy, List<ReportResult> results) {
        ReentrantLock lock = locks.computeIfAbsent(namespace, n -> new ReentrantLock());
        lock.lock();
        try {
            for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
                try {
                    return writeOnce(namespace, policy, results);
                } catch (KubernetesClientException e) {
                    if (e.getCode() == HttpURLConnection.HTTP_CONFLICT && attempt < ATTEMPTS) {
                        continue;
                    }
                    if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
                        served = null; // the CRD went away: ask discovery again before the next write
                    }
                    LOG.warnf("could not write %s %s/%s: %s (retrying at the next reconcile)", api.kind, namespace,
                            ReportApi.NAME, e.getMessage());
                    return false;
                }
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    private boolean writeOnce(String namespace, String policy, List<ReportResult> results) {
        Resource<GenericKubernetesResource> handle = reports().inNamespace(namespace).withName(ReportApi.NAME);
        GenericKubernetesResource stored = handle.get();
        if (stored != null && !ReportApi.SOURCE.equals(labels(stored).get(ReportApi.MANAGED_BY))) {
            if (refusedNamespaces.add(namespace)) {
                LOG.warnf("%s %s/%s exists and is not managed by Vigil (no %s=%s label): it is left alone and no report is "
                        + "written in %s", api.kind, namespace, ReportApi.NAME, ReportApi.MANAGED_BY, ReportApi.SOURCE, namespace);
            }
            return false;
        }
        refusedNamespaces.remove(namespace);
        NamespaceReport before = stored == null ? NamespaceReport.EMPTY : ReportApi.fromResource(stored);
        NamespaceReport after = before.replace(policy, results, maxResults);
        if (after.isEmpty()) {
            if (stored != null) {
                handle.lockResourceVersion(stored.getMetadata().getResourceVersion()).delete();
            }
            return true;
        }
        GenericKubernetesResource next = api.toResource(namespace, after, maxResults);
        if (stored == null) {
            reports().inNamespace(namespace).resource(next).create();
        } else if (!same(stored, next)) {
            next.getMetadata().setResourceVersion(stored.getMetadata().getResourceVersion());
            reports().inNamespace(namespace).resource(next).update();
        }
        return true;
    }

    private static Map<String, String> labels(GenericKubernetesResource r) {
        return r.getMetadata().getLabels() == null ? Map.of() : r.getMetadata().getLabels();
    }

    /** Same content as stored: nothing to write (an unchanged world writes nothing). */
    private static boolean same(GenericKubernetesResource stored, GenericKubernetesResource next) {
        var mapper = Serialization.jsonMapper();
        return mapper.valueToTree(stored.getAdditionalProperties()).equals(mapper.valueToTree(next.getAdditionalProperties()))
                && Objects.equals(annotation(stored, ReportApi.TALLIES), annotation(next, ReportApi.TALLIES))
                && Objects.equals(annotation(stored, ReportApi.OMITTED), annotation(next, ReportApi.OMITTED));
    }

    private static String annotation(GenericKubernetesResource r, String key) {
        return r.getMetadata().getAnnotations() == null ? null : r.getMetadata().getAnnotations().get(key);
    }

    private MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> reports() {
        return client.genericKubernetesResources(api.context());
    }

    /** The API written to (for logs and tests). */
    public ReportApi api() {
        return api;
    }
}
