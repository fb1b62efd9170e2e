package dev.vigil.reports;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What Vigil's report in one namespace holds: the exact tally of every policy that has results there (several
 * baselines share one report, each under its own {@code policy}), and the results kept, worst first, at most the
 * bound. Pure: replacing one policy's results never touches another's, so baselines reconciled in any order give
 * the same report.
 *
 * @param tallies per policy, exact: the report's summary is their sum, whatever the bound left out
 * @param results kept results, in {@link #ORDER}
 */
public record NamespaceReport(Map<String, Tally> tallies, List<ReportResult> results) {

    public static final NamespaceReport EMPTY = new NamespaceReport(Map.of(), List.of());

    /**
     * Results are also kept only while their estimated size stays under this: the API server refuses objects over
     * 1.5 MiB, and a bound in results alone would not hold with long messages (an accepted risk's reason is the
     * baseline author's text).
     */
    public static final int MAX_RESULT_BYTES = 1024 * 1024;

    /**
     * Worst first (error, fail, warn, skip, pass), so a bound leaves out passing results before anything that needs
     * work; then by policy, object, host and rule so that the same results always make the same report.
     */
    public static final Comparator<ReportResult> ORDER = Comparator.comparing(ReportResult::result)
            .thenComparing(ReportResult::policy)
            .thenComparing(r -> r.resource().map(ReportResult.ResourceRef::namespace).orElse(""))
            .thenComparing(r -> r.resource().map(ReportResult.ResourceRef::name).orElse(""))
            .thenComparing(r -> r.properties().getOrDefault("host", ""))
            .thenComparing(r -> r.rule() == null ? "" : r.rule());

    public NamespaceReport {
        tallies = java.util.Collections.unmodifiableMap(new TreeMap<>(tallies));
        results = List.copyOf(results);
    }

    public Tally summary() {
        return tallies.values().stream().reduce(Tally.ZERO, Tally::plus);
    }

    /** Results counted in the summary but not kept in the report. */
    public int omitted() {
        return Math.max(0, summary().total() - results.size());
    }

    public Set<String> policies() {
        return tallies.keySet();
    }

    public boolean isEmpty() {
        return tallies.isEmpty();
    }

    /** This report with {@code policy}'s results replaced by {@code fresh} (none: the policy leaves the report). */
    public NamespaceReport replace(String policy, List<ReportResult> fresh, int maxResults) {
        Map<String, Tally> nextTallies = new TreeMap<>(tallies);
        nextTallies.remove(policy);
        if (!fresh.isEmpty()) {
            nextTallies.put(policy, Tally.of(fresh));
        }
        List<ReportResult> all = new ArrayList<>();
        for (ReportResult r : results) {
            if (!r.policy().equals(policy) && nextTallies.containsKey(r.policy())) {
                all.add(r);
            }
        }
        all.addAll(fresh);
        all.sort(ORDER);
        List<ReportResult> kept = new ArrayList<>();
        int bytes = 0;
        for (ReportResult r : all) {
            bytes += r.estimatedBytes();
            if (kept.size() >= maxResults || bytes > MAX_RESULT_BYTES) {
                break;
            }
            kept.add(r);
        }
        return new NamespaceReport(nextTallies, kept);
    }
}
