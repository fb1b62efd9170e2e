package dev.vigil.grade.service;

import dev.vigil.grade.AcceptedRisk;
import dev.vigil.grade.Grade;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Grades a service: the Observatory score and grade of its HTTP headers, then capped by TLS and
 * certificate facts the way SSL Labs caps its grades (README, "Grade caps"). Accepted risks turn a
 * failing control into "accepted": its cap no longer applies and an accepted Observatory test's
 * penalty is given back before the grade is read off the chart.
 */
public final class ServiceGrader {

    private static final List<String> LEVELS = List.of("non-compliant", "old", "intermediate", "modern");

    private ServiceGrader() {
    }

    public static ServiceGrade grade(HttpPosture http, TlsPosture tls, ServicePolicy policy, List<AcceptedRisk> risks,
            String host, Instant now) {
        List<Capped> checks = new ArrayList<>();
        for (HttpPosture.Test test : http.tests()) {
            checks.add(new Capped(new ControlResult(test.name(),
                    test.pass() ? ControlState.PASS : ControlState.FAIL,
                    test.result() + " (" + signed(test.scoreModifier()) + ")", test.remediation()),
                    null, null, test.pass() ? 0 : Math.min(test.scoreModifier(), 0)));
        }
        checks.addAll(TlsControls.of(tls, policy, now));

        List<String> accepted = new ArrayList<>();
        List<Capped> judged = new ArrayList<>();
        for (Capped check : checks) {
            Optional<AcceptedRisk> risk = check.control().failing()
                    ? risks.stream().filter(r -> !r.expired(now) && r.appliesTo(host, check.control().control())).findFirst()
                    : Optional.empty();
            if (risk.isPresent()) {
                accepted.add(check.control().control() + ": " + risk.get().reason() + " (" + risk.get().owner()
                        + ", until " + risk.get().expires() + ")");
                judged.add(new Capped(check.control().accepted(risk.get().owner()), null, null, -check.penalty()));
            } else {
                judged.add(check);
            }
        }
        List<ControlResult> controls = judged.stream().map(Capped::control).toList();
        Optional<Instant> notAfter = tls.available() ? tls.notAfter() : Optional.empty();
        if (http.score().isEmpty()) {
            return new ServiceGrade(Optional.empty(), Optional.empty(), Optional.empty(), List.of(), controls,
                    tls.mozillaLevel(), notAfter, accepted,
                    Optional.of(http.ungradableReason().orElse("the site could not be graded")));
        }
        int score = http.score().get() + judged.stream()
                .filter(c -> c.control().state() == ControlState.ACCEPTED).mapToInt(Capped::penalty).sum();
        Grade uncapped = Grade.fromObservatoryScore(score);
        Grade grade = uncapped;
        List<String> capReasons = new ArrayList<>();
        for (Capped check : judged) {
            if (check.cap() != null && check.control().failing() && check.cap().compareTo(grade) < 0) {
                grade = check.cap();
            }
            if (check.cap() != null && check.control().failing()) {
                capReasons.add(check.capReason() + " → " + check.cap());
            }
        }
        return new ServiceGrade(Optional.of(grade), Optional.of(score), Optional.of(uncapped), capReasons, controls,
                tls.mozillaLevel(), notAfter, accepted, Optional.empty());
    }

    /** A control, the grade it caps the service at while failing, and an Observatory penalty. */
    record Capped(ControlResult control, Grade cap, String capReason, int penalty) {
    }

    private static String signed(int modifier) {
        return modifier > 0 ? "+" + modifier : String.valueOf(modifier);
    }

    static boolean meetsLevel(String achieved, String required) {
        return LEVELS.indexOf(achieved) >= LEVELS.indexOf(required.toLowerCase(Locale.ROOT));
    }

    static long daysLeft(Instant notAfter, Instant now) {
        return Duration.between(now, notAfter).toDays();
    }
}
