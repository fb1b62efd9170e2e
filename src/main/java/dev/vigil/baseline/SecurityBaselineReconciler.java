package dev.vigil.baseline;

import dev.vigil.grade.AcceptedRisk;
import dev.vigil.grade.Grade;
import dev.vigil.grade.service.ControlResult;
import dev.vigil.grade.service.ServiceFindings;
import dev.vigil.grade.service.ServiceGrade;
import dev.vigil.grade.service.ServiceGrader;
import dev.vigil.grade.service.ServicePolicy;
import dev.vigil.kube.Conditions;
import dev.vigil.kube.EventRecorder;
import dev.vigil.kube.OperatorNamespace;
import dev.vigil.metrics.ServiceSample;
import dev.vigil.metrics.VigilMetrics;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Grades every service a SecurityBaseline covers. Reconciles are cheap: they read the latest
 * findings, start probes that are due (off the reconcile threads) and grade with the baseline's
 * current requirements and exceptions; a finished probe triggers another reconcile.
 */
@ControllerConfiguration(name = "securitybaseline", triggerReconcilerOnAllEvents = true)
public class SecurityBaselineReconciler implements Reconciler<SecurityBaseline> {

    static final String READY = "Ready";
    static final String COMPLIANT = "Compliant";
    static final String INGRESSES = "ingresses";
    static final String NAMESPACES = "namespaces";
    static final String PENDING = "probe pending";
    private static final List<String> LEVELS = List.of("non-compliant", "old", "intermediate", "modern");

    private final ProbeCoordinator coordinator;
    private final EventRecorder events;
    private final VigilMetrics metrics;
    private final BaselineSettings settings;
    private final Set<String> trustedNamespaces;
    private final SimpleInboundEventSource<SecurityBaseline> probeEvents = new SimpleInboundEventSource<>("probes");
    private final Map<ResourceID, Set<String>> announcedExpiries = new ConcurrentHashMap<>();
    private final Map<ResourceID, Map<String, Optional<Grade>>> lastGrades = new ConcurrentHashMap<>();
    private final Clock clock = Clock.systemUTC();
    private volatile boolean watchesNamespaces = true;

    public SecurityBaselineReconciler(ProbeCoordinator coordinator, EventRecorder events, VigilMetrics metrics,
            BaselineSettings settings, OperatorNamespace operatorNamespace) {
        this.coordinator = coordinator;
        this.events = events;
        this.metrics = metrics;
        this.settings = settings;
        this.trustedNamespaces = Set.copyOf(settings.trustedNamespaces().orElse(List.of(operatorNamespace.name())));
        coordinator.onFindings(probeEvents::propagateEvent);
    }

    @Override
    public List<EventSource<?, SecurityBaseline>> prepareEventSources(EventSourceContext<SecurityBaseline> context) {
        var ingresses = InformerEventSourceConfiguration.from(Ingress.class, SecurityBaseline.class)
                .withName(INGRESSES)
                .withSecondaryToPrimaryMapper(ingress -> context.getPrimaryCache().list()
                        .filter(b -> mayCover(b, ingress.getMetadata().getNamespace()))
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
                .build();
        var namespaces = InformerEventSourceConfiguration.from(Namespace.class, SecurityBaseline.class)
                .withName(NAMESPACES)
                .withSecondaryToPrimaryMapper(ns -> context.getPrimaryCache().list()
                        .filter(b -> b.getSpec() != null && b.getSpec().namespaceSelector != null)
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
                .build();
        // A namespaced install (Roles only) cannot list Namespaces: there namespaceSelector finds nothing.
        watchesNamespaces = context.getControllerConfiguration().getInformerConfig().watchAllNamespaces();
        return watchesNamespaces
                ? List.of(new InformerEventSource<>(ingresses, context), new InformerEventSource<>(namespaces, context), probeEvents)
                : List.of(new InformerEventSource<>(ingresses, context), probeEvents);
    }

    private boolean mayCover(SecurityBaseline baseline, String namespace) {
        return baseline.getMetadata().getNamespace().equals(namespace)
                || (baseline.getSpec() != null && baseline.getSpec().namespaceSelector != null
                        && trustedNamespaces.contains(baseline.getMetadata().getNamespace()));
    }

    @Override
    public UpdateControl<SecurityBaseline> reconcile(SecurityBaseline baseline, Context<SecurityBaseline> context) {
        ResourceID id = ResourceID.fromResource(baseline);
        if (context.isPrimaryResourceDeleted()) {
            coordinator.inUse(id, Set.of());
            announcedExpiries.remove(id);
            lastGrades.remove(id);
            metrics.publishServices(key(id), List.of(), 0, 0, id.getNamespace().orElse(""), id.getName());
            return UpdateControl.noUpdate();
        }
        SecurityBaselineSpec spec = baseline.getSpec() == null ? new SecurityBaselineSpec() : baseline.getSpec();
        Requirements req = spec.requirements == null ? new Requirements() : spec.requirements;
        Schedule schedule = spec.schedule == null ? new Schedule() : spec.schedule;
        Duration interval = Durations.parse(schedule.interval, Duration.ofHours(1));
        Duration budget = Durations.parse(schedule.timeout, Duration.ofSeconds(30));
        Grade minimum = Grade.parse(req.minimumGrade).orElse(Grade.B);
        ServicePolicy policy = new ServicePolicy(req.tlsLevel, req.minCertificateDays == null ? 14 : req.minCertificateDays, minimum);
        Instant now = clock.instant();

        List<ServiceTarget> targets = IngressTargets.of(baseline, ingresses(context), namespaceLabels(context),
                trustedNamespaces.contains(baseline.getMetadata().getNamespace()));
        coordinator.inUse(id, targets.stream().map(ServiceTarget::key).collect(Collectors.toSet()));

        Risks risks = risks(spec, now);
        List<BaselineStatusBuilder.Graded> graded = new ArrayList<>();
        Instant cycleStart = null;
        Instant lastProbe = null;
        Duration nextCheck = interval;
        for (ServiceTarget target : targets) {
            Optional<ServiceFindings> findings = coordinator.findings(id, target, interval, budget);
            ServiceGrade grade = findings.map(f -> grade(f, target, policy, req, risks.all(), now)).orElse(null);
            graded.add(new BaselineStatusBuilder.Graded(target, grade));
            if (findings.isPresent()) {
                Instant end = findings.get().probedAt();
                Instant begin = end.minus(findings.get().tlsElapsed()).minus(findings.get().httpElapsed());
                lastProbe = lastProbe == null || end.isAfter(lastProbe) ? end : lastProbe;
                cycleStart = cycleStart == null || begin.isBefore(cycleStart) ? begin : cycleStart;
            }
            Duration due = coordinator.untilDue(target, interval);
            nextCheck = due.compareTo(nextCheck) < 0 ? due : nextCheck;
        }

        SecurityBaselineStatus previous = baseline.getStatus() == null ? new SecurityBaselineStatus() : baseline.getStatus();
        String cycleDuration = lastProbe == null ? null : Durations.format(Duration.between(cycleStart, lastProbe));
        SecurityBaselineStatus next = status(baseline, previous, graded, minimum, risks, lastProbe, cycleDuration, now);
        announce(baseline, previous, graded, minimum, context);
        announceExpired(baseline, id, risks);
        metrics.publishServices(key(id), samples(baseline, graded, minimum), risks.active(), risks.expiredCount(),
                baseline.getMetadata().getNamespace(), baseline.getMetadata().getName());

        UpdateControl<SecurityBaseline> control;
        if (next.equals(previous)) {
            control = UpdateControl.noUpdate();
        } else {
            baseline.setStatus(next);
            control = UpdateControl.patchStatus(baseline);
        }
        return control.rescheduleAfter(nextCheck);
    }

    private ServiceGrade grade(ServiceFindings findings, ServiceTarget target, ServicePolicy policy, Requirements req,
            List<AcceptedRisk> risks, Instant now) {
        var tls = findings.tls().posture(req.tlsLevel, req.tlsGuidelines == null ? "5.8" : req.tlsGuidelines);
        int algorithm = req.observatoryAlgorithm == null ? 4 : req.observatoryAlgorithm;
        ServiceGrade grade = ServiceGrader.grade(findings.http().posture(algorithm), tls, policy, risks, target.host(), now);
        if (findings.error().isPresent() && grade.error().isEmpty()) {
            return new ServiceGrade(grade.grade(), grade.score(), grade.uncapped(), grade.capReasons(), grade.controls(),
                    grade.tlsLevel(), grade.certificateNotAfter(), grade.acceptedRisks(), findings.error());
        }
        return grade;
    }

    private SecurityBaselineStatus status(SecurityBaseline baseline, SecurityBaselineStatus previous,
            List<BaselineStatusBuilder.Graded> graded, Grade minimum, Risks risks, Instant lastProbe, String cycleDuration,
            Instant now) {
        long generation = baseline.getMetadata().getGeneration() == null ? 0 : baseline.getMetadata().getGeneration();
        SecurityBaselineStatus status = new SecurityBaselineStatus();
        status.observedGeneration = generation;
        List<ServiceRow> rows = BaselineStatusBuilder.rows(graded, settings.maxFailingPerRow());
        status.services = new ArrayList<>(rows.subList(0, Math.min(rows.size(), settings.maxRows())));
        status.servicesOmitted = rows.size() > settings.maxRows() ? rows.size() - settings.maxRows() : null;
        status.summary = BaselineStatusBuilder.summary(graded, minimum, risks.active(), risks.expiredCount(), lastProbe, cycleDuration);

        long pending = graded.stream().filter(BaselineStatusBuilder.Graded::pending).count();
        int below = status.summary.belowMinimum();
        List<io.fabric8.kubernetes.api.model.Condition> conditions = previous.conditions;
        if (graded.isEmpty()) {
            conditions = Conditions.with(conditions, READY, true, "NoServices", "no Ingress or target matches this baseline", generation, now);
            conditions = Conditions.with(conditions, COMPLIANT, true, "NoServices", "nothing to grade", generation, now);
        } else if (pending > 0) {
            conditions = Conditions.with(conditions, READY, false, "Probing", pending + " of " + graded.size() + " services not probed yet", generation, now);
            conditions = Conditions.with(conditions, COMPLIANT, below == 0, below == 0 ? "Pending" : "BelowMinimum",
                    below + " services below " + minimum.letter() + " so far", generation, now);
        } else {
            conditions = Conditions.with(conditions, READY, true, "Graded", graded.size() + " services graded", generation, now);
            conditions = Conditions.with(conditions, COMPLIANT, below == 0, below == 0 ? "AllAtMinimum" : "BelowMinimum",
                    below == 0 ? "every service is at " + minimum.letter() + " or better"
                            : below + " of " + graded.size() + " services below " + minimum.letter(), generation, now);
        }
        status.conditions = conditions;
        return status;
    }

    /**
     * Events on the Ingress, so {@code kubectl describe ingress} shows the grade too. The last grade
     * announced per service is remembered (seeded from the status after a restart, so a restart
     * repeats nothing); a service without a grade counts as below the minimum.
     */
    private void announce(SecurityBaseline baseline, SecurityBaselineStatus previous,
            List<BaselineStatusBuilder.Graded> graded, Grade minimum, Context<SecurityBaseline> context) {
        Map<String, Optional<Grade>> known = lastGrades.computeIfAbsent(ResourceID.fromResource(baseline), id -> {
            Map<String, Optional<Grade>> seeded = new ConcurrentHashMap<>();
            for (ServiceRow row : previous.services == null ? List.<ServiceRow>of() : previous.services) {
                if (!PENDING.equals(row.error())) {
                    seeded.put(row.namespace() + "/" + row.host(), Grade.parse(row.grade()));
                }
            }
            return seeded;
        });
        for (BaselineStatusBuilder.Graded g : graded) {
            if (g.pending() || g.target().ingress().isEmpty()) {
                continue;
            }
            String key = g.target().namespace() + "/" + g.target().host();
            Optional<Grade> newGrade = g.grade().grade();
            Optional<Grade> oldGrade = known.put(key, newGrade);
            boolean hadResult = oldGrade != null;
            boolean wasBelow = hadResult && oldGrade.map(x -> x.below(minimum)).orElse(true);
            boolean isBelow = g.grade().belowMinimum(minimum);
            boolean dropped = hadResult && oldGrade.isPresent() && newGrade.isPresent()
                    && newGrade.get().compareTo(oldGrade.get()) < 0;
            if (!(isBelow && !wasBelow) && !dropped && !(wasBelow && !isBelow)) {
                continue;
            }
            Ingress ingress = ingress(context, g.target());
            if (ingress == null) {
                continue;
            }
            String gradeText = newGrade.map(Grade::letter).orElse("no grade (" + g.grade().error().orElse("error") + ")");
            String fixes = g.grade().failing().stream().limit(3).map(ControlResult::control).collect(Collectors.joining(", "));
            String message = baseline.getMetadata().getName() + ": " + g.target().host() + " graded " + gradeText
                    + (fixes.isEmpty() ? "" : "; failing " + fixes);
            if (isBelow && !wasBelow) {
                events.warning(ingress, "BelowMinimumGrade", message + " (minimum " + minimum.letter() + ")");
            } else if (dropped) {
                events.warning(ingress, "GradeDropped", message + " (was " + oldGrade.get().letter() + ")");
            } else {
                events.normal(ingress, "GradeRecovered", message);
            }
        }
    }

    private void announceExpired(SecurityBaseline baseline, ResourceID id, Risks risks) {
        Set<String> announced = announcedExpiries.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet());
        for (RiskException expired : risks.expired()) {
            String key = expired.control + "|" + expired.hosts + "|" + expired.expires;
            if (announced.add(key)) {
                events.warning(baseline, "ExceptionExpired", "exception for " + expired.control + " on "
                        + String.join(", ", expired.hosts) + " (" + expired.owner + ") expired " + expired.expires
                        + " and no longer applies");
            }
        }
    }

    private List<ServiceSample> samples(SecurityBaseline baseline, List<BaselineStatusBuilder.Graded> graded, Grade minimum) {
        List<ServiceSample> samples = new ArrayList<>();
        for (BaselineStatusBuilder.Graded g : graded) {
            if (g.pending()) {
                continue;
            }
            ServiceGrade grade = g.grade();
            samples.add(new ServiceSample(g.target().namespace(), baseline.getMetadata().getName(), g.target().host(),
                    grade.grade().map(x -> OptionalInt.of(x.value())).orElse(OptionalInt.empty()),
                    grade.score().map(OptionalInt::of).orElse(OptionalInt.empty()),
                    grade.belowMinimum(minimum), Math.max(0, LEVELS.indexOf(grade.tlsLevel())),
                    grade.certificateNotAfter(),
                    grade.failing().stream().map(ControlResult::control).toList()));
        }
        return samples;
    }

    record Risks(List<AcceptedRisk> all, int active, List<RiskException> expired) {
        int expiredCount() {
            return expired.size();
        }
    }

    static Risks risks(SecurityBaselineSpec spec, Instant now) {
        List<AcceptedRisk> all = new ArrayList<>();
        List<RiskException> expired = new ArrayList<>();
        int active = 0;
        for (RiskException e : spec.exceptions == null ? List.<RiskException>of() : spec.exceptions) {
            Optional<Instant> expires = expiry(e.expires);
            if (expires.isEmpty() || e.hosts == null || e.control == null) {
                continue;
            }
            var risk = new AcceptedRisk(List.copyOf(e.hosts), e.control, e.reason, e.owner, expires.get());
            all.add(risk);
            if (risk.expired(now)) {
                expired.add(e);
            } else {
                active++;
            }
        }
        return new Risks(all, active, expired);
    }

    /** A date means the end of that day in UTC. */
    static Optional<Instant> expiry(String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            if (text.length() == 10) {
                return Optional.of(LocalDate.parse(text).plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC));
            }
            return Optional.of(OffsetDateTime.parse(text).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Ingress> ingresses(Context<SecurityBaseline> context) {
        var source = (InformerEventSource<Ingress, SecurityBaseline>) context.eventSourceRetriever()
                .getEventSourceFor(Ingress.class, INGRESSES);
        return source.list(i -> true).toList();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Map<String, String>> namespaceLabels(Context<SecurityBaseline> context) {
        if (!watchesNamespaces) {
            return Map.of();
        }
        var source = (InformerEventSource<Namespace, SecurityBaseline>) context.eventSourceRetriever()
                .getEventSourceFor(Namespace.class, NAMESPACES);
        Map<String, Map<String, String>> labels = new HashMap<>();
        source.list(n -> true).forEach(n -> labels.put(n.getMetadata().getName(),
                n.getMetadata().getLabels() == null ? Map.of() : n.getMetadata().getLabels()));
        return labels;
    }

    @SuppressWarnings("unchecked")
    private static Ingress ingress(Context<SecurityBaseline> context, ServiceTarget target) {
        var source = (InformerEventSource<Ingress, SecurityBaseline>) context.eventSourceRetriever()
                .getEventSourceFor(Ingress.class, INGRESSES);
        return source.get(new ResourceID(target.ingress().orElseThrow(), target.namespace())).orElse(null);
    }

    private static String key(ResourceID id) {
        return id.getNamespace().orElse("") + "/" + id.getName();
    }
}
