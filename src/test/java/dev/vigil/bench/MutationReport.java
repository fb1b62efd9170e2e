package dev.vigil.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads PIT's mutations.xml and prints, per package and in total, how many mutants the unit tests kill. A mutant
 * counts as killed when PIT detected it (KILLED, TIMED_OUT, MEMORY_ERROR, RUN_ERROR); SURVIVED and NO_COVERAGE
 * are not. The goal line covers sops, grade without grade.service (being reshaped), and the probe parsers.
 */
public final class MutationReport {

    private static final Pattern MUTATION = Pattern.compile("<mutation\\b[^>]*\\bdetected='(true|false)'[^>]*\\bstatus='([A-Z_]+)'"
            + "[^>]*>.*?<mutatedClass>([^<]+)</mutatedClass>", Pattern.DOTALL);

    /** Mutant counts of one package. */
    static final class Tally {
        int total;
        int killed;
        int survived;
        int noCoverage;
        int timedOut;

        void add(boolean detected, String status) {
            total++;
            if (detected) {
                killed++;
            }
            switch (status) {
                case "SURVIVED" -> survived++;
                case "NO_COVERAGE" -> noCoverage++;
                case "TIMED_OUT" -> timedOut++;
                default -> {
                }
            }
        }

        void add(Tally other) {
            total += other.total;
            killed += other.killed;
            survived += other.survived;
            noCoverage += other.noCoverage;
            timedOut += other.timedOut;
        }

        String rate() {
            return total == 0 ? "-" : String.format("%.1f%%", 100.0 * killed / total);
        }
    }

    private MutationReport() {
    }

    public static void main(String[] args) throws Exception {
        String xml = Files.readString(Path.of(args.length > 0 ? args[0] : "target/pit-reports/mutations.xml"));
        Map<String, Tally> byPackage = new TreeMap<>();
        Matcher m = MUTATION.matcher(xml);
        while (m.find()) {
            String type = m.group(3);
            String pkg = type.substring(0, type.lastIndexOf('.'));
            byPackage.computeIfAbsent(pkg, k -> new Tally()).add(Boolean.parseBoolean(m.group(1)), m.group(2));
        }
        Tally total = new Tally();
        Tally goal = new Tally();
        String format = "%-28s %8s %8s %9s %12s %10s %10s%n";
        System.out.printf(format, "package", "mutants", "killed", "survived", "no coverage", "timed out", "kill rate");
        for (var e : byPackage.entrySet()) {
            Tally t = e.getValue();
            System.out.printf(format, e.getKey(), t.total, t.killed, t.survived, t.noCoverage, t.timedOut, t.rate());
            total.add(t);
            if (!e.getKey().equals("dev.vigil.grade.service")) {
                goal.add(t);
            }
        }
        System.out.printf(format, "total", total.total, total.killed, total.survived, total.noCoverage, total.timedOut, total.rate());
        System.out.printf(format, "goal scope (no grade.service)", goal.total, goal.killed, goal.survived, goal.noCoverage,
                goal.timedOut, goal.rate());
    }
}
