package dev.vigil.grade.service;

import dev.vigil.grade.Grade;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The grade of one service: the Observatory grade of its headers, capped by its TLS and
 * certificate facts. {@code grade} is absent when the service could not be graded at all.
 */
public record ServiceGrade(Optional<Grade> grade, Optional<Integer> score, Optional<Grade> uncapped,
        List<String> capReasons, List<ControlResult> controls, String tlsLevel, Optional<Instant> certificateNotAfter,
        List<String> acceptedRisks, Optional<String> error) {

    public List<ControlResult> failing() {
        return controls.stream().filter(ControlResult::failing).toList();
    }

    public boolean belowMinimum(Grade minimum) {
        return grade.map(g -> g.below(minimum)).orElse(true);
    }
}
