package dev.vigil.baseline;

/**
 * Every condition type and reason a SecurityBaseline's status carries, and the reasons of the Events Vigil
 * records about it and about the objects it covers (as cert-manager keeps its reasons in one constants file).
 */
public final class BaselineReasons {

    /** Condition: the baseline was understood and every covered service has been probed. */
    public static final String READY = "Ready";
    /** Condition: every covered service meets the baseline. */
    public static final String COMPLIANT = "Compliant";

    /** Ready: every covered service has a grade or a probe error. */
    public static final String GRADED = "Graded";
    /** Ready=False: some services wait for their first probe. */
    public static final String PROBING = "Probing";
    /** Ready and Compliant: the selector and targets cover nothing. */
    public static final String NO_SERVICES = "NoServices";
    /** Ready=False, Compliant=Unknown: the spec holds a value Vigil cannot use; nothing is probed until it is fixed. */
    public static final String INVALID_SPEC = "InvalidSpec";
    /** Ready=False: the reconcile failed (API server error, unexpected exception); it is retried with backoff. */
    public static final String RECONCILE_FAILED = "ReconcileFailed";

    /** Compliant: every service is at or above the minimum grade and no fail-level control fails. */
    public static final String ALL_COMPLIANT = "AllCompliant";
    /** Compliant=False: some services are below the minimum grade (or could not be graded). */
    public static final String BELOW_MINIMUM = "BelowMinimum";
    /** Compliant=False: every grade is at the minimum, but some service fails a control the baseline sets to fail. */
    public static final String CONTROLS_FAILING = "ControlsFailing";
    /** Compliant: nothing is below the minimum so far, but some services are not probed yet. */
    public static final String PENDING = "Pending";

    /** Event on an Ingress: its service fell below the baseline's minimum grade. */
    public static final String EVENT_BELOW_MINIMUM = "BelowMinimumGrade";
    /** Event on an Ingress: its grade dropped (still at or above the minimum). */
    public static final String EVENT_GRADE_DROPPED = "GradeDropped";
    /** Event on an Ingress: its service is back at or above the minimum grade. */
    public static final String EVENT_GRADE_RECOVERED = "GradeRecovered";
    /** Event on the baseline: an accepted risk expired and no longer applies. */
    public static final String EVENT_EXCEPTION_EXPIRED = "ExceptionExpired";

    private BaselineReasons() {
    }
}
