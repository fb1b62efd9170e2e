package dev.vigil.grade.observatory;

/**
 * Scoring algorithm: V4 is the published npm 1.4.8 behaviour (10 tests); V6 the newer one
 * (X-Frame-Options +5, COOP/COEP, CSP header lines split into separate policies).
 */
public enum ObservatoryAlgorithm {
    V4, V6;

    public static ObservatoryAlgorithm of(int version) {
        return switch (version) {
            case 4 -> V4;
            case 6 -> V6;
            default -> throw new IllegalArgumentException("algorithm must be 4 or 6");
        };
    }
}
