package dev.vigil.grade.observatory;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Scoring algorithm: V4 is the published npm 1.4.8 behaviour (10 tests); V6 the newer one
 * (X-Frame-Options +5, COOP/COEP, CSP header lines split into separate policies).
 */
public enum ObservatoryAlgorithm {
    V4(4), V6(6);

    /**
     * The CRD's rule for {@code requirements.observatoryAlgorithm}: an annotation needs a constant, so it is
     * spelled here beside the constants it lists, and {@code ObservatoryAlgorithmTest} fails when they disagree.
     */
    public static final String CRD_RULE = "self in [4, 6]";

    private final int number;

    ObservatoryAlgorithm(int number) {
        this.number = number;
    }

    public int number() {
        return number;
    }

    public static List<Integer> numbers() {
        return Arrays.stream(values()).map(ObservatoryAlgorithm::number).toList();
    }

    public static Optional<ObservatoryAlgorithm> parse(int number) {
        return Arrays.stream(values()).filter(a -> a.number == number).findFirst();
    }

    public static ObservatoryAlgorithm of(int number) {
        return parse(number).orElseThrow(() -> new IllegalArgumentException("algorithm must be one of " + numbers()));
    }
}
