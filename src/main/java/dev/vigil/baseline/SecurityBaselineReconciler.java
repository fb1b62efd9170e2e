package dev.vigil.baseline;

import dev.vigil.grade.service.ServiceGrader;
import dev.vigil.kube.OperatorNamespace;
import dev.vigil.probe.ServiceFindings;
import dev.vigil.reports.PolicyReports;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Grades every service a SecurityBaseline covers, as a thin orchestrator of the data flow
 * spec → {@link BaselinePolicy} → {@link IngressTargets} → {@link ProbeCoordinator} (findings) → {@link ServiceGrader}
 * → {@link BaselineStatusAggregator} (status) → {@link BaselineAnnouncer} (Events, metrics), and
 * {@link BaselineReportResults} → {@link PolicyReports} (one report per namespace). Reconciles are cheap:
 * probes run off the reconcile threads and a finished probe triggers another reconcile.
 */
@ControllerConfiguration(name = "securitybaseline", triggerReconcilerOnAllEvents = true)
public class SecurityBaselineReconciler implements Reconciler<SecurityBaseline> {

    static final String INGRESSES = "ingresses";
    static final String NAMESPACES = "namespaces";

    private final ProbeCoordinator coordinator;
    private final ServiceGrader grader;
    private final BaselineAnnouncer announcer;
    private final PolicyReports reports;
    private final BaselinePolicy.Limits limits;
    private final BaselineStatusAggregator aggregator;
    private final Set<String> trustedNamespaces;
    private final SimpleInboundEventSource<SecurityBaseline> probeEvents = new SimpleInboundEventSource<>("probes");
    private final Clock clock = Clock.systemUTC();

    public SecurityBaselineReconciler(ProbeCoordinator coordinator, ServiceGrader grader, BaselineAnnouncer announcer,
            PolicyReports reports, BaselineSettings settings, OperatorNamespace operatorNamespace) {
        this.coordinator = coordinator;
        this.grader = grader;
        this.announcer = announcer;
        this.reports = reports;
        this.limits = BaselinePolicy.Limits.of(settings);
        this.aggregator = new BaselineStatusAggregator(
                new BaselineStatusAggregator.Bounds(settings.maxRows(), settings.maxFailingPerRow()));
        this.trustedNamespaces = Set.copyOf(settings.trustedNamespaces().orElse(List.of(operatorNamespace.name())));
        coordinator.onFindings(probeEvents::propagateEvent);
    }

    @Override
    public List<EventSource<?, SecurityBaseline>> prepareEventSources(EventSourceContext<SecurityBaseline> context) {
        var ingresses = InformerEventSourceConfiguration.from(Ingress.class, SecurityBaseline.class)
                .withName(INGRESSES)
                .withSecondaryToPrimaryMapper(ingress -> context.getPrimaryCache().list()
                        .filter(b -> policy(b).scope().watches(ingress.getMetadata().getNamespace()))
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
                .build();
        var namespaces = InformerEventSourceConfiguration.from(Namespace.class, SecurityBaseline.class)
                .withName(NAMESPACES)
                .withSecondaryToPrimaryMapper(ns -> context.getPrimaryCache().list()
                        .filter(b -> policy(b).scope().namespaceSelector().isPresent())
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
                .build();
        return List.of(new InformerEventSource<>(ingresses, context), new InformerEventSource<>(namespaces, context),
                probeEvents);
    }

    private BaselinePolicy policy(SecurityBaseline baseline) {
        return BaselinePolicy.from(baseline, limits, trustedNamespaces.contains(baseline.getMetadata().getNamespace()));
    }

    @Override
    public UpdateControl<SecurityBaseline> reconcile(SecurityBaseline baseline, Context<SecurityBaseline> context) {
        ResourceID id = ResourceID.fromResource(baseline);
        if (context.isPrimaryResourceDeleted()) {
            coordinator.forget(id);
            announcer.forget(baseline.getMetadata().getNamespace(), baseline.getMetadata().getName());
            reports.withdraw(BaselineReportResults.policyName(baseline));
            return UpdateControl.noUpdate();
        }
        Instant now = clock.instant();
        long generation = baseline.getMetadata().getGeneration() == null ? 0 : baseline.getMetadata().getGeneration();
        SecurityBaselineStatus previous = baseline.getStatus() == null ? new SecurityBaselineStatus() : baseline.getStatus();
        BaselinePolicy policy = policy(baseline);
        if (!policy.valid()) {
            coordinator.forget(id);
            announcer.forget(baseline.getMetadata().getNamespace(), baseline.getMetadata().getName());
            return write(baseline, previous, aggregator.invalid(previous, policy, generation, now));
        }

        List<Ingress> ingresses = ingresses(context).list(i -> true).toList();
        List<ServiceTarget> targets = IngressTargets.of(policy, ingresses, namespaceLabels(context));
        coordinator.inUse(id, targets.stream().map(ServiceTarget::key).collect(Collectors.toSet()));
        List<GradedService> services = targets.stream().map(target -> {
            Optional<ServiceFindings> findings = coordinator.findings(id, target, policy.interval(), policy.timeout());
            return new GradedService(target, findings,
                    findings.map(f -> grader.grade(f, policy.grading(), policy.risks(), target.host(), now)));
        }).toList();

        SecurityBaselineStatus next = aggregator.graded(previous, policy, services, generation, now);
        announcer.announce(baseline, previous, next, policy.grading().minimumGrade(), row -> source(context, row));
        announcer.publish(baseline, services, next.summary.exceptionsActive(), next.summary.exceptionsExpired());
        if (services.stream().noneMatch(GradedService::pending)) { // until every service has a grade, the last results stay
            reports.publish(BaselineReportResults.policyName(baseline),
                    BaselineReportResults.of(baseline, policy, services, uids(ingresses), now));
        }
        // The operator SDK does not call reconcile for a deleted baseline here (see withdraw above), so the results of
        // baselines that no longer exist are removed by whichever baseline reconciles next.
        reports.retain(BaselineReportResults::isBaselinePolicy, context.getPrimaryCache().list()
                .map(BaselineReportResults::policyName).collect(Collectors.toSet()));
        Duration nextCheck = targets.stream().map(t -> coordinator.untilDue(id, t, policy.interval()))
                .min(Duration::compareTo).orElse(policy.interval());
        return write(baseline, previous, next).rescheduleAfter(nextCheck);
    }

    /** Any failure of a reconcile (API server errors included) ends in a condition saying so; the SDK retries. */
    @Override
    public ErrorStatusUpdateControl<SecurityBaseline> updateErrorStatus(SecurityBaseline baseline,
            Context<SecurityBaseline> context, Exception e) {
        SecurityBaselineStatus previous = baseline.getStatus() == null ? new SecurityBaselineStatus() : baseline.getStatus();
        baseline.setStatus(BaselineStatusAggregator.failed(previous, baseline.getMetadata().getGeneration(), e, clock.instant()));
        return ErrorStatusUpdateControl.patchStatus(baseline);
    }

    private static UpdateControl<SecurityBaseline> write(SecurityBaseline baseline, SecurityBaselineStatus previous,
            SecurityBaselineStatus next) {
        if (next.equals(previous)) {
            return UpdateControl.noUpdate();
        }
        baseline.setStatus(next);
        return UpdateControl.patchStatus(baseline);
    }

    private static Optional<? extends HasMetadata> source(Context<SecurityBaseline> context, ServiceRow row) {
        if (row.source() == null || !row.source().startsWith("ingress/")) {
            return Optional.empty();
        }
        return ingresses(context).get(new ResourceID(row.source().substring("ingress/".length()), row.namespace()));
    }

    private static Map<String, String> uids(List<Ingress> ingresses) {
        Map<String, String> uids = new HashMap<>();
        ingresses.forEach(i -> uids.put(ServiceTarget.SourceRef.INGRESS + "/" + i.getMetadata().getNamespace() + "/"
                + i.getMetadata().getName(), i.getMetadata().getUid()));
        return uids;
    }

    @SuppressWarnings("unchecked")
    private static InformerEventSource<Ingress, SecurityBaseline> ingresses(Context<SecurityBaseline> context) {
        return (InformerEventSource<Ingress, SecurityBaseline>) context.eventSourceRetriever()
                .getEventSourceFor(Ingress.class, INGRESSES);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, String>> namespaceLabels(Context<SecurityBaseline> context) {
        var source = (InformerEventSource<Namespace, SecurityBaseline>) context.eventSourceRetriever()
                .getEventSourceFor(Namespace.class, NAMESPACES);
        Map<String, Map<String, String>> labels = new HashMap<>();
        source.list(n -> true).forEach(n -> labels.put(n.getMetadata().getName(),
                n.getMetadata().getLabels() == null ? Map.of() : n.getMetadata().getLabels()));
        return labels;
    }
}
