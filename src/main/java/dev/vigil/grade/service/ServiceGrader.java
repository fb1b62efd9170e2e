package dev.vigil.grade.service;

import dev.vigil.grade.AcceptedRisk;
import dev.vigil.grade.Grade;
import dev.vigil.grade.observatory.HstsPreloadList;
import dev.vigil.grade.observatory.Observatory;
import dev.vigil.grade.observatory.ObservatoryResult;
import dev.vigil.grade.observatory.TestResult;
import dev.vigil.grade.tls.MozillaEvaluation;
import dev.vigil.grade.tls.MozillaEvaluator;
import dev.vigil.grade.tls.MozillaLevel;
import dev.vigil.probe.ProbeFailure;
import dev.vigil.probe.ServiceFindings;
import dev.vigil.probe.tls.TlsScanResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Grades a service, the one grading path of the operator and {@code vigil scan}: the Observatory score and
 * grade of its HTTP headers, then capped by TLS and certificate facts the way SSL Labs caps its grades (README,
 * "Controls and grade caps"). The policy sets each control's level ({@code ignore} drops it); an active accepted
 * risk turns a failing control into "accepted". Dropped and accepted controls cap nothing, and their Observatory
 * penalty is given back before the grade is read off the chart.
 */
public final class ServiceGrader {

    private final HstsPreloadList preload;

    public ServiceGrader(HstsPreloadList preload) {
        this.preload = preload;
    }

    public ServiceGrade grade(ServiceFindings findings, GradePolicy policy, List<AcceptedRisk> risks, String host, Instant now) {
        return grade(findings, policy, risks, host, CertificateExpectation.NONE, now);
    }

    /** @param expected the certificates the service's configuration references ({@code certificate-configured}) */
    public ServiceGrade grade(ServiceFindings findings, GradePolicy policy, List<AcceptedRisk> risks, String host,
            CertificateExpectation expected, Instant now) {
        return grade(findings, policy, risks, host, expected, SecretHygiene.NONE, now);
    }

    /**
     * @param secrets the secret facts of the service's namespace ({@code secret-rotation}, {@code secret-source}),
     *     judged even when the service could not be probed: they do not depend on it
     */
    public ServiceGrade grade(ServiceFindings findings, GradePolicy policy, List<AcceptedRisk> risks, String host,
            CertificateExpectation expected, SecretHygiene secrets, Instant now) {
        if (findings.failure().isPresent() && findings.tls().isEmpty() && findings.http().isEmpty()) {
            List<String> accepted = new ArrayList<>();
            List<ControlResult> judged = new ArrayList<>();
            judge(SecretControls.of(secrets), policy, risks, host, now, accepted, judged);
            return ungraded(policy, judged, MozillaLevel.NON_COMPLIANT, Optional.empty(), accepted, findings.failure(),
                    Optional.empty());
        }
        Optional<ObservatoryResult> observatory = findings.http().map(h -> Observatory.grade(h, policy.algorithm(), preload));
        Optional<TlsScanResult> tls = findings.tls().filter(TlsScanResult::tlsAvailable);
        Optional<MozillaEvaluation> mozilla = tls.map(s -> MozillaEvaluator.evaluate(s, policy.guidelines().label()));

        List<ControlResult> checks = new ArrayList<>();
        observatory.ifPresent(o -> o.tests().values().forEach(t -> checks.add(observatoryControl(t))));
        checks.addAll(TlsControls.of(tls, mozilla, policy, expected, now));
        checks.addAll(SecretControls.of(secrets));

        List<String> accepted = new ArrayList<>();
        List<ControlResult> judged = new ArrayList<>();
        int givenBack = judge(checks, policy, risks, host, now, accepted, judged);
        String tlsLevel = mozilla.map(MozillaEvaluation::level).orElse(MozillaLevel.NON_COMPLIANT);
        Optional<Instant> notAfter = tls.flatMap(s -> s.certificate().notAfter());
        Optional<ObservatoryResult> graded = observatory.filter(o -> o.score().isPresent());
        if (graded.isEmpty()) {
            String reason = observatory.flatMap(ObservatoryResult::error).orElse("the site could not be graded");
            return ungraded(policy, judged, tlsLevel, notAfter, accepted,
                    findings.failure().or(() -> Optional.of(new ProbeFailure(ProbeFailure.UNGRADABLE, reason))), observatory);
        }
        int score = graded.get().score().get() + givenBack;
        Grade uncapped = Grade.fromObservatoryScore(score);
        Grade grade = uncapped;
        for (ControlResult check : judged) {
            if (check.failing() && check.cap().isPresent()) {
                grade = grade.cappedAt(check.cap().get().grade());
            }
        }
        boolean below = grade.below(policy.minimumGrade());
        boolean failsARequiredControl = judged.stream().anyMatch(c -> c.failing() && c.level() == ControlLevel.FAIL);
        return new ServiceGrade(Optional.of(grade), Optional.of(score), Optional.of(uncapped), policy.algorithm(), judged,
                tlsLevel, notAfter, accepted, findings.failure(), below, !below && !failsARequiredControl, observatory);
    }

    /**
     * Levels each check (dropping {@code ignore}d ones) and accepts failing ones an active risk covers, into
     * {@code accepted} and {@code judged}; returns the Observatory points given back (dropped and accepted penalties).
     */
    private static int judge(List<ControlResult> checks, GradePolicy policy, List<AcceptedRisk> risks, String host,
            Instant now, List<String> accepted, List<ControlResult> judged) {
        int givenBack = 0;
        for (ControlResult check : checks) {
            ControlLevel level = policy.levelOf(check);
            if (level == ControlLevel.IGNORE) {
                givenBack -= check.penalty();
                continue;
            }
            ControlResult leveled = check.at(level);
            Optional<AcceptedRisk> risk = leveled.failing()
                    ? risks.stream().filter(r -> !r.expired(now) && r.appliesTo(host, check.control())).findFirst()
                    : Optional.empty();
            if (risk.isPresent()) {
                accepted.add(check.control() + ": " + risk.get().reason() + " (" + risk.get().owner() + ", until "
                        + risk.get().expires() + ")");
                judged.add(leveled.accepted(risk.get().owner()));
                givenBack -= check.penalty();
            } else {
                judged.add(leveled);
            }
        }
        return givenBack;
    }

    private static ServiceGrade ungraded(GradePolicy policy, List<ControlResult> controls, String tlsLevel,
            Optional<Instant> notAfter, List<String> accepted, Optional<ProbeFailure> error,
            Optional<ObservatoryResult> observatory) {
        return new ServiceGrade(Optional.empty(), Optional.empty(), Optional.empty(), policy.algorithm(), controls, tlsLevel,
                notAfter, accepted, error, true, false, observatory);
    }

    private static ControlResult observatoryControl(TestResult test) {
        return new ControlResult(test.name(), test.pass() ? ControlState.PASS : ControlState.FAIL,
                test.result() + " (" + signed(test.scoreModifier()) + ")", test.remediation(), Optional.empty(),
                test.pass() ? 0 : Math.min(test.scoreModifier(), 0), ControlLevel.WARN);
    }

    private static String signed(int modifier) {
        return modifier > 0 ? "+" + modifier : String.valueOf(modifier);
    }
}
