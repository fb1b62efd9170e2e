package dev.vigil.grade.service;

import dev.vigil.grade.Grade;
import dev.vigil.grade.observatory.ObservatoryAlgorithm;
import dev.vigil.grade.observatory.ObservatoryResult;
import dev.vigil.probe.ProbeFailure;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The grade of one service under one policy: the Observatory grade of its headers (by {@code algorithm}),
 * capped by its TLS and certificate facts, and every control. {@code grade} is absent when the service could
 * not be graded, and {@code error} then says why.
 *
 * @param compliant the grade is at or above the policy's minimum and no {@code fail}-level control fails
 * @param observatory the HTTP Observatory's own verdict the grade started from (before levels, risks and caps)
 */
public record ServiceGrade(Optional<Grade> grade, Optional<Integer> score, Optional<Grade> uncapped,
        ObservatoryAlgorithm algorithm, List<ControlResult> controls, String tlsLevel, Optional<Instant> certificateNotAfter,
        List<String> acceptedRisks, Optional<ProbeFailure> error, boolean belowMinimum, boolean compliant,
        Optional<ObservatoryResult> observatory) {

    public List<ControlResult> failing() {
        return controls.stream().filter(ControlResult::failing).toList();
    }

    /** "expired certificate → F" for every failing control that caps the grade. */
    public List<String> capReasons() {
        return failing().stream().flatMap(c -> c.cap().stream()).map(Cap::toString).toList();
    }
}
