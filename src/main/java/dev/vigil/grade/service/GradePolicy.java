package dev.vigil.grade.service;

import dev.vigil.grade.Grade;
import dev.vigil.grade.observatory.ObservatoryAlgorithm;
import dev.vigil.grade.tls.GuidelinesVersion;
import dev.vigil.grade.tls.MozillaLevel;
import java.util.Map;
import java.util.Optional;

/**
 * What a baseline requires of every service it covers, with every default filled in: the one object the
 * grader reads, made once from a SecurityBaseline (or a baseline file given to {@code vigil scan --baseline}).
 *
 * @param controls explicit levels per control name; the rest take {@link #levelOf}'s default
 */
public record GradePolicy(MozillaLevel tlsLevel, GuidelinesVersion guidelines, int minCertificateDays,
        ObservatoryAlgorithm algorithm, Grade minimumGrade, Map<String, ControlLevel> controls) {

    public static final int DEFAULT_MIN_CERTIFICATE_DAYS = 14;

    public GradePolicy {
        controls = Map.copyOf(controls);
    }

    public static GradePolicy defaults() {
        return new GradePolicy(MozillaLevel.INTERMEDIATE, GuidelinesVersion.DEFAULT, DEFAULT_MIN_CERTIFICATE_DAYS,
                ObservatoryAlgorithm.V4, Grade.B, Map.of());
    }

    public GradePolicy withMinimumGrade(Grade minimum) {
        return new GradePolicy(tlsLevel, guidelines, minCertificateDays, algorithm, minimum, controls);
    }

    public GradePolicy withTls(MozillaLevel level, GuidelinesVersion version) {
        return new GradePolicy(level, version, minCertificateDays, algorithm, minimumGrade, controls);
    }

    public GradePolicy withAlgorithm(ObservatoryAlgorithm newAlgorithm) {
        return new GradePolicy(tlsLevel, guidelines, minCertificateDays, newAlgorithm, minimumGrade, controls);
    }

    /**
     * The level a control's result is judged at: the baseline's explicit choice, else {@code fail} when the
     * result caps the grade below the minimum and {@code warn} otherwise — so by default a service is compliant
     * exactly when its grade is at or above the minimum.
     */
    public ControlLevel levelOf(ControlResult result) {
        return levelOf(result.control(), result.cap());
    }

    /** {@link #levelOf(ControlResult)} for a control failing with this cap, where no result is at hand. */
    public ControlLevel levelOf(String control, Optional<Cap> cap) {
        ControlLevel explicit = controls.get(control);
        if (explicit != null) {
            return explicit;
        }
        return cap.map(c -> c.grade().below(minimumGrade)).orElse(false) ? ControlLevel.FAIL : ControlLevel.WARN;
    }
}
