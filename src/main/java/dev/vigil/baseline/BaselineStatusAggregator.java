package dev.vigil.baseline;

import static dev.vigil.baseline.BaselineReasons.ALL_COMPLIANT;
import static dev.vigil.baseline.BaselineReasons.BELOW_MINIMUM;
import static dev.vigil.baseline.BaselineReasons.COMPLIANT;
import static dev.vigil.baseline.BaselineReasons.CONTROLS_FAILING;
import static dev.vigil.baseline.BaselineReasons.GRADED;
import static dev.vigil.baseline.BaselineReasons.INVALID_SPEC;
import static dev.vigil.baseline.BaselineReasons.NO_SERVICES;
import static dev.vigil.baseline.BaselineReasons.PENDING;
import static dev.vigil.baseline.BaselineReasons.PROBING;
import static dev.vigil.baseline.BaselineReasons.READY;
import static dev.vigil.baseline.BaselineReasons.RECONCILE_FAILED;

import dev.vigil.grade.AcceptedRisk;
import dev.vigil.grade.Grade;
import dev.vigil.grade.service.ControlLevel;
import dev.vigil.grade.service.ControlResult;
import dev.vigil.grade.service.SecretControls;
import dev.vigil.grade.service.ServiceGrade;
import dev.vigil.kube.Conditions;
import dev.vigil.probe.ProbeFailure;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Owns a SecurityBaseline's status: rows worst first and bounded in size, an exact summary, the accepted risks
 * as judged now, and the Ready and Compliant conditions with their reasons ({@link BaselineReasons}). Pure: the
 * same inputs give the same status, so an unchanged world writes nothing.
 */
final class BaselineStatusAggregator {

    /** Size bounds of a status. */
    record Bounds(int maxRows, int maxFailingPerRow) {
    }

    private final Bounds bounds;

    BaselineStatusAggregator(Bounds bounds) {
        this.bounds = bounds;
    }

    SecurityBaselineStatus graded(SecurityBaselineStatus previous, BaselinePolicy policy, List<GradedService> services,
            long generation, Instant now) {
        return graded(previous, policy, services, SecretHygieneGatherer.Gathered.NONE, generation, now);
    }

    SecurityBaselineStatus graded(SecurityBaselineStatus previous, BaselinePolicy policy, List<GradedService> services,
            SecretHygieneGatherer.Gathered secrets, long generation, Instant now) {
        SecurityBaselineStatus status = new SecurityBaselineStatus();
        status.secrets = secrets(policy, secrets);
        status.observedGeneration = generation;
        List<ServiceRow> rows = services.stream().sorted(WORST_FIRST).map(this::row).toList();
        status.services = new ArrayList<>(rows.subList(0, Math.min(rows.size(), bounds.maxRows())));
        status.servicesOmitted = rows.size() > bounds.maxRows() ? rows.size() - bounds.maxRows() : null;
        status.exceptions = exceptions(policy.risks(), now);
        status.summary = summary(services, policy.grading().minimumGrade(), status.exceptions);
        status.conditions = conditions(previous.conditions, policy, services, status.summary, generation, now);
        return status;
    }

    /** The spec cannot be used: nothing is probed, the last rows stay, Ready says why. */
    SecurityBaselineStatus invalid(SecurityBaselineStatus previous, BaselinePolicy policy, long generation, Instant now) {
        SecurityBaselineStatus status = copy(previous);
        status.observedGeneration = generation;
        String message = "the spec cannot be used: " + String.join("; ", policy.problems());
        status.conditions = Conditions.with(previous.conditions, READY, Conditions.FALSE, INVALID_SPEC, message, generation, now);
        status.conditions = Conditions.with(status.conditions, COMPLIANT, Conditions.UNKNOWN, INVALID_SPEC,
                "not judged until the spec is fixed", generation, now);
        return status;
    }

    /** A reconcile failed before a status could be computed: the last rows stay, Ready says what failed. */
    static SecurityBaselineStatus failed(SecurityBaselineStatus previous, Long generation, Exception error, Instant now) {
        SecurityBaselineStatus status = copy(previous);
        String message = "reconcile failed: " + error.getClass().getSimpleName()
                + (error.getMessage() == null ? "" : ": " + error.getMessage()) + " (retrying)";
        status.conditions = Conditions.with(previous.conditions, READY, Conditions.FALSE, RECONCILE_FAILED, message,
                generation, now);
        return status;
    }

    private static SecurityBaselineStatus copy(SecurityBaselineStatus previous) {
        SecurityBaselineStatus status = new SecurityBaselineStatus();
        status.observedGeneration = previous.observedGeneration;
        status.summary = previous.summary;
        status.services = previous.services;
        status.servicesOmitted = previous.servicesOmitted;
        status.exceptions = previous.exceptions;
        status.secrets = previous.secrets;
        return status;
    }

    /** Totals exact, failing objects bounded like service rows; {@code ignore}d controls leave no row. */
    private SecretHygieneStatus secrets(BaselinePolicy policy, SecretHygieneGatherer.Gathered gathered) {
        SecretRules rules = policy.secrets();
        if (!rules.judged()) {
            return null;
        }
        List<SecretRow> failing = new ArrayList<>();
        for (SecretHygieneGatherer.Finding f : gathered.findings()) {
            ControlLevel level = SecretHygieneGatherer.level(policy.grading(), f.control());
            if (f.failing() && level != ControlLevel.IGNORE) {
                failing.add(new SecretRow(f.namespace(), f.kind(), f.name(), f.control(), level.label(), f.detail(),
                        f.remediation()));
            }
        }
        long stale = gathered.findings().stream()
                .filter(f -> f.failing() && SecretControls.SECRET_ROTATION.equals(f.control())).count();
        long notFromGit = gathered.findings().stream()
                .filter(f -> f.failing() && SecretControls.SECRET_SOURCE.equals(f.control())).count();
        boolean rotation = rules.maxDocumentAge().isPresent();
        return new SecretHygieneStatus(rules.maxDocumentAge().map(SecretControls::age).orElse(null),
                gathered.sealedSecrets(), rotation ? (int) stale : null, rotation ? gathered.unknownAge() : null,
                rules.sealedSecretsOnly() ? gathered.secretsChecked() : null,
                rules.sealedSecretsOnly() ? (int) notFromGit : null,
                gathered.truncated().isEmpty() ? null : List.copyOf(gathered.truncated()),
                // None failing is no list, as it reads back from the API server: an unchanged world writes no status.
                failing.isEmpty() ? null : List.copyOf(failing.subList(0, Math.min(failing.size(), bounds.maxRows()))),
                failing.size() > bounds.maxRows() ? failing.size() - bounds.maxRows() : null);
    }

    private List<Condition> conditions(List<Condition> previous, BaselinePolicy policy, List<GradedService> services,
            Summary summary, long generation, Instant now) {
        String minimum = policy.grading().minimumGrade().letter();
        String adjusted = policy.adjustments().isEmpty() ? "" : "; " + String.join("; ", policy.adjustments());
        long pending = services.stream().filter(GradedService::pending).count();
        int below = summary.belowMinimum();
        int nonCompliant = summary.nonCompliant();
        List<Condition> conditions;
        if (services.isEmpty()) {
            conditions = Conditions.with(previous, READY, true, NO_SERVICES, "no Ingress, HTTPRoute or target matches this baseline" + adjusted,
                    generation, now);
            return Conditions.with(conditions, COMPLIANT, true, NO_SERVICES, "nothing to grade", generation, now);
        }
        if (pending > 0) {
            conditions = Conditions.with(previous, READY, false, PROBING,
                    pending + " of " + services.size() + " services not probed yet" + adjusted, generation, now);
            return Conditions.with(conditions, COMPLIANT, nonCompliant == 0, nonCompliant == 0 ? PENDING : reason(below),
                    nonCompliant == 0 ? "nothing below " + minimum + " so far" : describe(summary, services.size() - pending, minimum),
                    generation, now);
        }
        conditions = Conditions.with(previous, READY, true, GRADED, services.size() + " services graded" + adjusted,
                generation, now);
        return Conditions.with(conditions, COMPLIANT, nonCompliant == 0, nonCompliant == 0 ? ALL_COMPLIANT : reason(below),
                nonCompliant == 0 ? "every service is at " + minimum + " or better and passes every required control"
                        : describe(summary, services.size(), minimum),
                generation, now);
    }

    private static String reason(int below) {
        return below > 0 ? BELOW_MINIMUM : CONTROLS_FAILING;
    }

    private static String describe(Summary summary, long graded, String minimum) {
        int controlsOnly = summary.nonCompliant() - summary.belowMinimum();
        List<String> parts = new ArrayList<>();
        if (summary.belowMinimum() > 0) {
            parts.add(summary.belowMinimum() + " of " + graded + " services below " + minimum);
        }
        if (controlsOnly > 0) {
            parts.add(controlsOnly + " failing a required control");
        }
        return String.join(", ", parts);
    }

    private static Summary summary(List<GradedService> services, Grade minimum, List<ExceptionStatus> exceptions) {
        Map<String, Integer> byGrade = new TreeMap<>();
        int below = 0;
        int nonCompliant = 0;
        Grade worst = null;
        Instant cycleStart = null;
        Instant lastProbe = null;
        for (GradedService s : services) {
            if (s.findings().isPresent()) {
                Instant end = s.findings().get().probedAt();
                Instant begin = s.findings().get().startedAt();
                lastProbe = lastProbe == null || end.isAfter(lastProbe) ? end : lastProbe;
                cycleStart = cycleStart == null || begin.isBefore(cycleStart) ? begin : cycleStart;
            }
            if (s.pending()) {
                continue;
            }
            ServiceGrade grade = s.grade().get();
            byGrade.merge(grade.grade().map(Grade::letter).orElse("none"), 1, Integer::sum);
            below += grade.belowMinimum() ? 1 : 0;
            nonCompliant += grade.compliant() ? 0 : 1;
            Grade g = grade.grade().orElse(Grade.F);
            worst = worst == null ? g : Grade.worst(worst, g);
        }
        int active = (int) exceptions.stream().filter(e -> ExceptionStatus.ACTIVE.equals(e.state())).count();
        return new Summary(services.size(), byGrade, below, nonCompliant, worst == null ? null : worst.letter(), active,
                exceptions.size() - active, lastProbe == null ? null : lastProbe.toString(),
                lastProbe == null ? null : Durations.format(Duration.between(cycleStart, lastProbe)));
    }

    static List<ExceptionStatus> exceptions(List<AcceptedRisk> risks, Instant now) {
        return risks.stream().map(r -> new ExceptionStatus(r.control(), r.hosts(), r.owner(), r.expires().toString(),
                r.expired(now) ? ExceptionStatus.EXPIRED : ExceptionStatus.ACTIVE)).toList();
    }

    private ServiceRow row(GradedService s) {
        ServiceTarget t = s.target();
        String source = t.source().map(Object::toString).orElse(null);
        String listener = t.listener().map(Object::toString).orElse(null);
        if (s.pending()) {
            return new ServiceRow(t.namespace(), source, t.host(), true, null, null, null, null, null, null, List.of(), null,
                    List.of(), null, null, listener);
        }
        ServiceGrade grade = s.grade().get();
        List<ControlResult> failing = grade.failing();
        List<ControlRow> shown = failing.stream().limit(bounds.maxFailingPerRow())
                .map(c -> new ControlRow(c.control(), c.state().label(), c.level().label(), c.detail(), c.remediation()))
                .toList();
        int more = Math.max(0, failing.size() - bounds.maxFailingPerRow());
        return new ServiceRow(t.namespace(), source, t.host(), null, grade.grade().map(Grade::letter).orElse(null),
                grade.score().orElse(null), grade.algorithm().version(), grade.compliant(), grade.tlsLevel(),
                grade.certificateNotAfter().map(Instant::toString).orElse(null), shown, more == 0 ? null : more,
                new ArrayList<>(grade.acceptedRisks()), grade.error().map(ProbeFailure::message).orElse(null),
                grade.error().map(ProbeFailure::reason).orElse(null), listener);
    }

    /** Ungraded (errors) first, then ascending grade, non-compliant first within a grade, then host; not yet probed last. */
    static final Comparator<GradedService> WORST_FIRST = Comparator
            .comparingInt((GradedService g) -> g.pending() ? 100 : g.grade().get().grade().map(Grade::value).orElse(-1))
            .thenComparing(g -> g.grade().map(ServiceGrade::compliant).orElse(true))
            .thenComparing(g -> g.target().host())
            .thenComparing(g -> g.target().namespace())
            .thenComparing(g -> g.target().listener().map(Object::toString).orElse(""));

    static Optional<Grade> gradeOf(ServiceRow row) {
        return row.grade() == null ? Optional.empty() : Grade.parse(row.grade());
    }
}
