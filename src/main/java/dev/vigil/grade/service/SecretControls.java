package dev.vigil.grade.service;

import dev.vigil.grade.Grade;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The secret hygiene controls of a service, judged on its namespace's {@link SecretHygiene}: every service of a
 * namespace carries the same two results, so a stale document or a hand-made Secret shows on each row a team reads.
 */
public final class SecretControls {

    /** A SealedSecret's Sops document is older than the baseline's {@code maxDocumentAge}. */
    public static final String SECRET_ROTATION = "secret-rotation";
    /** A plain Secret that no SealedSecret manages, where the baseline requires {@code sealedSecretsOnly}. */
    public static final String SECRET_SOURCE = "secret-source";

    public static final List<String> NAMES = List.of(SECRET_ROTATION, SECRET_SOURCE);

    /** Stale credentials are a weakness like a legacy protocol: capped at C (README, "Controls and grade caps"). */
    public static final Cap ROTATION_CAP = new Cap(Grade.C, "secret documents past their maximum age");
    public static final Cap SOURCE_CAP = new Cap(Grade.C, "Secrets not from git");

    /** The cap a failing secret control puts on the grade. */
    public static Cap cap(String control) {
        return SECRET_ROTATION.equals(control) ? ROTATION_CAP : SOURCE_CAP;
    }

    /** Names listed in a detail; the rest are counted. */
    static final int NAMES_SHOWN = 5;

    private SecretControls() {
    }

    static List<ControlResult> of(SecretHygiene hygiene) {
        List<ControlResult> results = new ArrayList<>();
        hygiene.rotation().ifPresent(r -> results.add(rotation(r)));
        hygiene.source().ifPresent(s -> results.add(source(s)));
        return results;
    }

    private static ControlResult rotation(SecretHygiene.Rotation r) {
        String age = age(r.maxAge());
        if (r.stale().isEmpty()) {
            return ControlResult.pass(SECRET_ROTATION, count(r.documents(), "document") + " at most " + age + " old");
        }
        String count = count(r.stale().size(), "document") + " older than " + age;
        return ControlResult.fail(SECRET_ROTATION, count + ": " + names(r.stale()),
                "re-encrypt (sops updatekeys / vigil rekey) and commit: " + count, ROTATION_CAP);
    }

    private static ControlResult source(SecretHygiene.Source s) {
        String truncated = s.truncated() ? " (only the first " + count(s.checked(), "Secret") + " checked)" : "";
        if (s.notFromGit().isEmpty()) {
            return ControlResult.pass(SECRET_SOURCE, count(s.checked(), "Secret") + " checked, each from a SealedSecret or exempt"
                    + truncated);
        }
        String count = count(s.notFromGit().size(), "Secret") + " not from a SealedSecret";
        return ControlResult.fail(SECRET_SOURCE, count + ": " + names(s.notFromGit()) + truncated,
                "commit each as a SealedSecret (vigil seal) and delete the hand-made one, or label it to match"
                        + " spec.enforcement.exemptSecrets: " + count, SOURCE_CAP);
    }

    private static String count(int n, String noun) {
        return n + " " + (n == 1 ? noun : noun + "s");
    }

    private static String names(List<String> names) {
        String shown = String.join(", ", names.subList(0, Math.min(NAMES_SHOWN, names.size())));
        return names.size() > NAMES_SHOWN ? shown + " and " + (names.size() - NAMES_SHOWN) + " more" : shown;
    }

    /** "90d" for whole days, else hours and minutes ("36h", "90m"). */
    public static String age(Duration d) {
        if (d.toHoursPart() == 0 && d.toMinutesPart() == 0 && d.toSecondsPart() == 0 && d.toDays() > 0) {
            return d.toDays() + "d";
        }
        if (d.toMinutesPart() == 0 && d.toSecondsPart() == 0 && d.toHours() > 0) {
            return d.toHours() + "h";
        }
        return d.toMinutes() + "m";
    }
}
