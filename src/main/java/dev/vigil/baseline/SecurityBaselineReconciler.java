package dev.vigil.baseline;

import dev.vigil.grade.service.CertificateExpectation;
import dev.vigil.grade.service.ServiceGrader;
import dev.vigil.kube.DeletionSweep;
import dev.vigil.kube.OperatorNamespace;
import dev.vigil.probe.ServiceFindings;
import dev.vigil.reports.PolicyReports;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Grades every service a SecurityBaseline covers, as a thin orchestrator of the data flow
 * spec → {@link BaselinePolicy} → {@link BaselineSources} (targets from Ingresses and HTTPRoutes) and
 * {@link SecretHygieneGatherer} (secret facts of the covered namespaces) → {@link ProbeCoordinator} (findings) → {@link ServiceGrader}
 * → {@link BaselineStatusAggregator} (status) → {@link BaselineAnnouncer} (Events, metrics), and
 * {@link BaselineReportResults} → {@link PolicyReports} (one report per namespace). Reconciles are cheap:
 * probes run off the reconcile threads and a finished probe triggers another reconcile. A deleted baseline is
 * forgotten by the {@link DeletionSweep} (the deletion branch below runs only where the SDK honours
 * {@code triggerReconcilerOnAllEvents}).
 */
@ControllerConfiguration(name = "securitybaseline", triggerReconcilerOnAllEvents = true)
public class SecurityBaselineReconciler implements Reconciler<SecurityBaseline> {

    private final ProbeCoordinator coordinator;
    private final GradeMemo grades;
    private final BaselineAnnouncer announcer;
    private final AdmissionAudit admission;
    private final ListenerCertificates certificates;
    private final PolicyReports reports;
    private final BaselinePolicy.Limits limits;
    private final BaselineStatusAggregator aggregator;
    private final Set<String> trustedNamespaces;
    private final SimpleInboundEventSource<SecurityBaseline> probeEvents = new SimpleInboundEventSource<>("probes");
    private final Clock clock = Clock.systemUTC();
    private final BaselineSources sources = new BaselineSources(this::policy);
    private final DeletionSweep<SecurityBaseline> deletions;
    private final SecretHygieneGatherer secretHygiene;

    public SecurityBaselineReconciler(ProbeCoordinator coordinator, ServiceGrader grader, BaselineAnnouncer announcer,
            ListenerCertificates certificates, PolicyReports reports, BaselineSettings settings,
            OperatorNamespace operatorNamespace, AdmissionAudit admission, KubernetesClient client,
            @ConfigProperty(name = "vigil.deletion-sweep-interval", defaultValue = "30s") Duration deletionSweepInterval) {
        this.coordinator = coordinator;
        this.grades = new GradeMemo(grader);
        this.announcer = announcer;
        this.admission = admission;
        this.certificates = certificates;
        this.reports = reports;
        this.limits = BaselinePolicy.Limits.of(settings);
        this.aggregator = new BaselineStatusAggregator(
                new BaselineStatusAggregator.Bounds(settings.maxRows(), settings.maxFailingPerRow()));
        this.trustedNamespaces = Set.copyOf(settings.trustedNamespaces().orElse(List.of(operatorNamespace.name())));
        coordinator.onFindings(probeEvents::propagateEvent);
        this.deletions = new DeletionSweep<>("securitybaseline", deletionSweepInterval, this::forget);
        this.secretHygiene = new SecretHygieneGatherer(client, settings.maxSecretsListed());
    }

    /** Drops everything held for a baseline that is gone: probe schedule, grades, audit, Events memo, metrics, report. */
    private void forget(SecurityBaseline baseline) {
        ResourceID id = ResourceID.fromResource(baseline);
        coordinator.forget(id);
        grades.forget(id);
        admission.forget(id);
        announcer.forget(baseline.getMetadata().getNamespace(), baseline.getMetadata().getName());
        reports.withdraw(BaselineReportResults.policyName(baseline));
    }

    /** Before the operator stops its informers: an emptied cache must not read as every object deleted. */
    void stopSweeping(@Observes @Priority(1) ShutdownEvent event) {
        deletions.close();
    }

    @Override
    public List<EventSource<?, SecurityBaseline>> prepareEventSources(EventSourceContext<SecurityBaseline> context) {
        deletions.watch(context.getPrimaryCache());
        // Results computed while the report CRD was absent were dropped: write them as soon as it is served.
        reports.onServed(() -> context.getPrimaryCache().list()
                .forEach(baseline -> probeEvents.propagateEvent(ResourceID.fromResource(baseline))));
        List<EventSource<?, SecurityBaseline>> all = new ArrayList<>(sources.prepare(context));
        all.add(probeEvents);
        return all;
    }

    private BaselinePolicy policy(SecurityBaseline baseline) {
        return BaselinePolicy.from(baseline, limits, trustedNamespaces.contains(baseline.getMetadata().getNamespace()));
    }

    @Override
    public UpdateControl<SecurityBaseline> reconcile(SecurityBaseline baseline, Context<SecurityBaseline> context) {
        if (context.isPrimaryResourceDeleted()) {
            deletions.drop(baseline);
            forget(baseline);
            return UpdateControl.noUpdate();
        }
        try {
            return reconcileExisting(baseline, context);
        } finally {
            // After the state writes: a deletion swept meanwhile is seen again at the next interval.
            deletions.record(baseline);
        }
    }

    private UpdateControl<SecurityBaseline> reconcileExisting(SecurityBaseline baseline, Context<SecurityBaseline> context) {
        ResourceID id = ResourceID.fromResource(baseline);
        Instant now = clock.instant();
        long generation = baseline.getMetadata().getGeneration() == null ? 0 : baseline.getMetadata().getGeneration();
        SecurityBaselineStatus previous = baseline.getStatus() == null ? new SecurityBaselineStatus() : baseline.getStatus();
        BaselinePolicy policy = policy(baseline);
        if (!policy.valid()) {
            coordinator.forget(id);
            grades.forget(id);
            announcer.forget(baseline.getMetadata().getNamespace(), baseline.getMetadata().getName());
            return write(baseline, previous, aggregator.invalid(previous, policy, generation, now));
        }

        BaselineSources.Gathered gathered = sources.gather(context, policy);
        List<ServiceTarget> targets = gathered.targets();
        SecretHygieneGatherer.Gathered secrets = secretHygiene.gather(policy.secrets(), gathered.secrets().namespaces(),
                gathered.secrets().sealedSecrets(), now);
        Set<String> keys = targets.stream().map(ServiceTarget::key).collect(Collectors.toSet());
        coordinator.inUse(id, keys);
        grades.retain(id, keys);
        List<GradedService> services = targets.stream().map(target -> {
            Optional<ServiceFindings> findings = coordinator.findings(id, target, policy.interval(), policy.timeout());
            return new GradedService(target, findings, findings.map(f -> grades.grade(id, target, f, policy.grading(),
                    policy.risks(), target.listener().map(l -> certificates.expectation(l, f.probedAt()))
                            .orElse(CertificateExpectation.NONE), secrets.of(target.namespace()), now)));
        }).toList();

        SecurityBaselineStatus next = aggregator.graded(previous, policy, services, secrets, generation, now);
        Optional<AdmissionAudit.Result> enforcement = admission.update(baseline, gathered.ingresses(),
                AdmissionAudit.routesWithoutTls(baseline, targets, gathered.uids()), now);
        next.enforcement = enforcement.map(AdmissionAudit.Result::status).orElse(null);
        announcer.announce(baseline, previous, next, policy.grading().minimumGrade(), row -> sources.source(context, row));
        announcer.publish(baseline, services, next.summary.exceptionsActive(), next.summary.exceptionsExpired());
        // Until every service has a grade, the last results stay. Built only when written: one result per service and
        // control (210,000 at 10,000 services) is a heap peak an operator without the report CRD must not pay.
        if (reports.enabled() && services.stream().noneMatch(GradedService::pending)) {
            reports.publish(BaselineReportResults.policyName(baseline),
                    BaselineReportResults.of(baseline, policy, services, secrets,
                            enforcement.map(AdmissionAudit.Result::violations).orElse(List.of()),
                            enforcement.flatMap(AdmissionAudit.Result::auditedAt).orElse(now), gathered.uids(), now));
        }
        // A baseline deleted while the operator was down is never swept (nothing recorded it): its results, recovered
        // from the reports themselves, are removed by whichever baseline reconciles next.
        reports.retain(BaselineReportResults::isBaselinePolicy, context.getPrimaryCache().list()
                .map(BaselineReportResults::policyName).collect(Collectors.toSet()));
        Duration nextCheck = targets.stream().map(t -> coordinator.untilDue(id, t, policy.interval()))
                .min(Duration::compareTo).orElse(policy.interval());
        if (enforcement.isPresent() && enforcement.get().nextCheck().compareTo(nextCheck) < 0) {
            nextCheck = enforcement.get().nextCheck();
        }
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
}
