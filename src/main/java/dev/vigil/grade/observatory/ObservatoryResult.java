package dev.vigil.grade.observatory;

import dev.vigil.grade.Grade;
import java.util.Map;
import java.util.Optional;

/** Score and grade (absent when the site cannot be graded, with the reason) and every test. */
public record ObservatoryResult(Optional<Integer> score, Optional<Grade> grade, Optional<String> error,
        Map<String, TestResult> tests) {

    public long testsPassed() {
        return tests.values().stream().filter(TestResult::pass).count();
    }
}
