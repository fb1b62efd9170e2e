package dev.vigil.baseline;

import java.util.Map;

/** Totals over all of the baseline's services (exact, whatever the row cap leaves out). */
public record Summary(int services, Map<String, Integer> byGrade, int belowMinimum, int nonCompliant, String worstGrade,
        int exceptionsActive, int exceptionsExpired, String lastCycleTime, String lastCycleDuration) {
}
