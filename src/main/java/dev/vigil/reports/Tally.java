package dev.vigil.reports;

import dev.vigil.reports.ReportResult.Outcome;
import java.util.Collection;

/** Counts of results by outcome: a report's {@code summary}, exact whatever the result bound leaves out. */
public record Tally(int pass, int fail, int warn, int error, int skip) {

    public static final Tally ZERO = new Tally(0, 0, 0, 0, 0);

    public static Tally of(Collection<ReportResult> results) {
        Tally t = ZERO;
        for (ReportResult r : results) {
            t = t.plus(r.result());
        }
        return t;
    }

    public Tally plus(Outcome outcome) {
        return switch (outcome) {
            case PASS -> new Tally(pass + 1, fail, warn, error, skip);
            case FAIL -> new Tally(pass, fail + 1, warn, error, skip);
            case WARN -> new Tally(pass, fail, warn + 1, error, skip);
            case ERROR -> new Tally(pass, fail, warn, error + 1, skip);
            case SKIP -> new Tally(pass, fail, warn, error, skip + 1);
        };
    }

    public Tally plus(Tally other) {
        return new Tally(pass + other.pass, fail + other.fail, warn + other.warn, error + other.error, skip + other.skip);
    }

    public int total() {
        return pass + fail + warn + error + skip;
    }
}
