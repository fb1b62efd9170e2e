package dev.vigil.grade.observatory;

/** One Observatory test's outcome, with its result name, modifier and a fix to paste into config. */
public record TestResult(String name, String result, int scoreModifier, boolean pass, String remediation) {

    /** Interned: a handful of results and fixes repeat across every graded site (see ControlResult). */
    public TestResult {
        result = result == null ? null : result.intern();
        remediation = remediation == null ? null : remediation.intern();
    }
}
