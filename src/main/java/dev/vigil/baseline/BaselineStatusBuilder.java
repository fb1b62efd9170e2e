package dev.vigil.baseline;

import dev.vigil.grade.Grade;
import dev.vigil.grade.service.ControlResult;
import dev.vigil.grade.service.ServiceGrade;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Turns graded services into status rows and a summary, worst first and bounded in size. */
final class BaselineStatusBuilder {

    /** A target and its grade, or no grade yet while its first probe runs. */
    record Graded(ServiceTarget target, ServiceGrade grade) {
        boolean pending() {
            return grade == null;
        }
    }

    private BaselineStatusBuilder() {
    }

    static List<ServiceRow> rows(List<Graded> services, int maxFailing) {
        return services.stream()
                .sorted(WORST_FIRST)
                .map(g -> row(g, maxFailing))
                .toList();
    }

    static Summary summary(List<Graded> services, Grade minimum, int exceptionsActive, int exceptionsExpired,
            Instant cycleTime, String cycleDuration) {
        Map<String, Integer> byGrade = new TreeMap<>();
        int below = 0;
        Grade worst = null;
        for (Graded g : services) {
            if (g.pending()) {
                continue;
            }
            String key = g.grade().grade().map(Grade::letter).orElse("none");
            byGrade.merge(key, 1, Integer::sum);
            if (g.grade().belowMinimum(minimum)) {
                below++;
            }
            Grade grade = g.grade().grade().orElse(Grade.F);
            worst = worst == null ? grade : Grade.worst(worst, grade);
        }
        return new Summary(services.size(), byGrade, below, worst == null ? null : worst.letter(),
                exceptionsActive, exceptionsExpired, cycleTime == null ? null : cycleTime.toString(), cycleDuration);
    }

    private static ServiceRow row(Graded g, int maxFailing) {
        ServiceTarget t = g.target();
        if (g.pending()) {
            return new ServiceRow(t.namespace(), t.ingress().orElse(null), t.host(), null, null, null, null,
                    List.of(), null, List.of(), SecurityBaselineReconciler.PENDING);
        }
        ServiceGrade grade = g.grade();
        List<ControlResult> failing = grade.failing();
        List<ControlRow> shown = failing.stream().limit(maxFailing)
                .map(c -> new ControlRow(c.control(), c.state().label(), c.detail(), c.remediation()))
                .toList();
        int more = Math.max(0, failing.size() - maxFailing);
        return new ServiceRow(t.namespace(), t.ingress().orElse(null), t.host(),
                grade.grade().map(Grade::letter).orElse(null), grade.score().orElse(null), grade.tlsLevel(),
                grade.certificateNotAfter().map(Instant::toString).orElse(null),
                shown, more == 0 ? null : more, new ArrayList<>(grade.acceptedRisks()), grade.error().orElse(null));
    }

    /** Ungraded (errors) first, then ascending grade, then host for a stable order. */
    static final Comparator<Graded> WORST_FIRST = Comparator
            .comparingInt((Graded g) -> g.pending() ? 100 : g.grade().grade().map(Grade::value).orElse(-1))
            .thenComparing(g -> g.target().host());
}
