package dev.vigil.baseline;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.vigil.admission.ActiveExceptions;
import dev.vigil.admission.AuditSweep;
import dev.vigil.admission.Install;
import dev.vigil.admission.Mode;
import dev.vigil.admission.PolicyEvaluator;
import dev.vigil.admission.Rule;
import dev.vigil.admission.ShippedPolicies;
import dev.vigil.admission.Violation;
import dev.vigil.kube.EventRecorder;
import dev.vigil.kube.OperatorNamespace;
import dev.vigil.metrics.AdmissionSample;
import dev.vigil.metrics.VigilMetrics;
import dev.vigil.secrets.SealedSecret;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretList;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Admission state of the baselines that set {@code spec.enforcement}: the active exceptions the policies
 * read from the status, and the background audit — every {@code vigil.admission.audit-interval} (and on
 * every spec change) the namespace's Secrets and Ingresses go through {@link AuditSweep}; the result lands in
 * the status, as one Warning Event per newly offending object and rule, and in
 * {@code vigil_admission_violations}.
 */
@ApplicationScoped
public class AdmissionAudit {

    private static final Logger LOG = Logger.getLogger(AdmissionAudit.class);
    static final String EVENT_REASON = "AdmissionViolation";
    /** Secrets are listed in pages, so a namespace with many never sits in memory twice. */
    static final long PAGE = 250;

    /**
     * The admission part of one reconcile: the status to write, when to look again at the latest, and every violation
     * of the last audit (for the policy reports; the status keeps a bounded few), empty before the first audit.
     */
    public record Result(EnforcementStatus status, Duration nextCheck, List<Violation> violations, Optional<Instant> auditedAt) {
    }

    private record Audit(long generation, Instant at, List<Violation> violations, Set<String> announced) {
    }

    private final KubernetesClient client;
    private final EventRecorder events;
    private final VigilMetrics metrics;
    private final Duration interval;
    private final int maxObjects;
    private final AuditSweep sweep;
    private final Map<ResourceID, Audit> audits = new ConcurrentHashMap<>();

    public AdmissionAudit(KubernetesClient client, EventRecorder events, VigilMetrics metrics, OperatorNamespace operatorNamespace,
            @ConfigProperty(name = "vigil.admission.audit-interval", defaultValue = "5m") String interval,
            @ConfigProperty(name = "vigil.admission.max-objects", defaultValue = "20") int maxObjects) {
        this.client = client;
        this.events = events;
        this.metrics = metrics;
        this.interval = Durations.parse(interval).orElse(Duration.ofMinutes(5));
        this.maxObjects = maxObjects;
        // The audit infers authors itself; the usernames only need to be the ones it puts in its requests.
        Install install = Install.of(operatorNamespace.name(), "vigil");
        this.sweep = new AuditSweep(new PolicyEvaluator(ShippedPolicies.render(install)), install);
    }

    /**
     * {@code tls-for-every-host} for Gateway API: a route host that only HTTP listeners serve. The admission
     * policy cannot see it (a ValidatingAdmissionPolicy reads the object and its params, not the Gateways a route
     * attaches to), so the background audit reports it from the targets the baseline gathered.
     */
    static List<Violation> routesWithoutTls(SecurityBaseline baseline, List<ServiceTarget> targets, Map<String, String> uids) {
        Enforcement enforcement = baseline.getSpec() == null ? null : baseline.getSpec().enforcement;
        if (enforcement == null) {
            return List.of();
        }
        Mode mode = enforcement.mode == null ? Mode.Audit : enforcement.mode;
        List<Violation> out = new ArrayList<>();
        for (ServiceTarget target : targets) {
            Optional<ServiceTarget.SourceRef> source = target.source();
            if (source.isEmpty() || !ServiceTarget.SourceRef.HTTP_ROUTE.equals(source.get().kind())
                    || target.listener().map(l -> !GatewayTargets.HTTP.equals(l.protocol())).orElse(true)) {
                continue;
            }
            String name = source.get().name();
            ListenerRef listener = target.listener().get();
            out.add(new Violation(ServiceTarget.SourceRef.HTTP_ROUTE, target.namespace(), name,
                    uids.getOrDefault(ServiceTarget.SourceRef.HTTP_ROUTE + "/" + target.namespace() + "/" + name, ""),
                    Rule.TLS_FOR_EVERY_HOST, mode, baseline.getMetadata().getName(),
                    "host " + target.host() + " is served only by the HTTP listener " + listener.gatewayNamespace() + "/"
                            + listener.gatewayName() + "/" + listener.sectionName()
                            + " (vigil rule tls-for-every-host): add an HTTPS listener for it"));
        }
        return out;
    }

    /** Empty when the baseline does not set spec.enforcement (its admission state is dropped then). */
    public Optional<Result> update(SecurityBaseline baseline, List<Ingress> ingresses, List<Violation> routeViolations,
            Instant now) {
        ResourceID id = ResourceID.fromResource(baseline);
        Enforcement enforcement = baseline.getSpec() == null ? null : baseline.getSpec().enforcement;
        if (enforcement == null) {
            forget(id);
            return Optional.empty();
        }
        String namespace = baseline.getMetadata().getNamespace();
        long generation = baseline.getMetadata().getGeneration() == null ? 0 : baseline.getMetadata().getGeneration();
        ActiveExceptions.Published exceptions = AdmissionParams.exceptions(baseline, now);
        Audit previous = audits.get(id);
        Audit audit = previous;
        if (previous == null || previous.generation() != generation || !now.isBefore(previous.at().plus(interval))) {
            try {
                audit = sweep(baseline, namespace, generation, ingresses, now, previous);
                audits.put(id, audit);
            } catch (KubernetesClientException e) {
                // Keep the last audit; the next reconcile tries again.
                LOG.warnf("background audit of %s/%s failed: %s", namespace, baseline.getMetadata().getName(), e.getMessage());
            }
        }
        Mode mode = enforcement.mode == null ? Mode.Audit : enforcement.mode;
        EnforcementStatus status = new EnforcementStatus();
        status.activeExceptions = new ArrayList<>(exceptions.active());
        Duration nextCheck = interval;
        List<Violation> violations = new ArrayList<>();
        if (audit != null) {
            violations.addAll(audit.violations());
            violations.addAll(routeViolations);
            Map<String, Integer> byRule = new LinkedHashMap<>();
            for (Rule rule : Rule.values()) {
                byRule.put(rule.id(), (int) violations.stream().filter(v -> v.rule() == rule).count());
            }
            status.violations = violations.size();
            status.byRule = byRule;
            status.objects = violations.stream().limit(maxObjects)
                    .map(v -> new EnforcementStatus.ViolationRow(v.kind(), v.name(), v.rule().id(), v.message()))
                    .collect(Collectors.toCollection(ArrayList::new));
            status.objectsOmitted = violations.size() > maxObjects ? violations.size() - maxObjects : null;
            status.lastAuditTime = audit.at().toString();
            metrics.publishAdmissionViolations(key(id), byRule.entrySet().stream()
                    .map(e -> new AdmissionSample(namespace, e.getKey(), mode.name(), e.getValue())).toList());
            nextCheck = Duration.between(now, audit.at().plus(interval));
        }
        if (exceptions.nextExpiry().isPresent()) {
            Duration untilExpiry = Duration.between(now, exceptions.nextExpiry().get());
            nextCheck = untilExpiry.compareTo(nextCheck) < 0 ? untilExpiry : nextCheck;
        }
        return Optional.of(new Result(status, nextCheck.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : nextCheck,
                List.copyOf(violations), Optional.ofNullable(audit).map(Audit::at)));
    }

    public void forget(ResourceID id) {
        if (audits.remove(id) != null) {
            metrics.publishAdmissionViolations(key(id), List.of());
        }
    }

    private Audit sweep(SecurityBaseline baseline, String namespace, long generation, List<Ingress> ingresses, Instant now,
            Audit previous) {
        Map<String, HasMetadata> byUid = new HashMap<>();
        List<Map<String, Object>> objects = new ArrayList<>();
        String continueToken = null;
        do {
            SecretList page = client.secrets().inNamespace(namespace)
                    .list(new ListOptionsBuilder().withLimit(PAGE).withContinue(continueToken).build());
            for (Secret secret : page.getItems()) {
                // Values never leave this loop: the sweep sees the keys only.
                secret.setData(blank(secret.getData()));
                secret.setStringData(null);
                byUid.put(secret.getMetadata().getUid(), secret);
                objects.add(tree(secret, "v1", "Secret"));
            }
            continueToken = page.getMetadata() == null ? null : page.getMetadata().getContinue();
        } while (continueToken != null && !continueToken.isEmpty());
        for (Ingress ingress : ingresses) {
            if (namespace.equals(ingress.getMetadata().getNamespace())) {
                byUid.put(ingress.getMetadata().getUid(), ingress);
                objects.add(tree(ingress, "networking.k8s.io/v1", "Ingress"));
            }
        }
        Map<String, String> sealedUids = new HashMap<>();
        for (SealedSecret sealed : client.resources(SealedSecret.class).inNamespace(namespace).list().getItems()) {
            sealedUids.put(sealed.getMetadata().getName(), sealed.getMetadata().getUid());
        }
        List<Violation> violations = sweep.sweep(AdmissionParams.of(baseline, now), objects, sealedUids);
        Set<String> announced = ConcurrentHashMap.newKeySet();
        for (Violation v : violations) {
            String announcement = v.uid() + "|" + v.rule() + "|" + v.mode();
            announced.add(announcement);
            HasMetadata object = byUid.get(v.uid());
            if (object != null && (previous == null || !previous.announced().contains(announcement))) {
                events.warning(object, EVENT_REASON, v.message());
            }
        }
        return new Audit(generation, now, List.copyOf(violations), announced);
    }

    private static Map<String, String> blank(Map<String, String> data) {
        if (data == null) {
            return null;
        }
        Map<String, String> keys = new LinkedHashMap<>();
        data.keySet().forEach(k -> keys.put(k, ""));
        return keys;
    }

    private static Map<String, Object> tree(HasMetadata object, String apiVersion, String kind) {
        Map<String, Object> tree = Serialization.jsonMapper().convertValue(object, new TypeReference<Map<String, Object>>() {
        });
        // Lists from the API server leave apiVersion and kind off their items.
        tree.put("apiVersion", apiVersion);
        tree.put("kind", kind);
        return tree;
    }

    private static String key(ResourceID id) {
        return id.getNamespace().orElse("") + "/" + id.getName();
    }
}
