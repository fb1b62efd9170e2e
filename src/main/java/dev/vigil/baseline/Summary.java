package dev.vigil.baseline;

import java.util.Map;

/** Totals over the baseline's services. */
public record Summary(int services, Map<String, Integer> byGrade, int belowMinimum, String worstGrade,
        int exceptionsActive, int exceptionsExpired, String lastCycleTime, String lastCycleDuration) {
}
