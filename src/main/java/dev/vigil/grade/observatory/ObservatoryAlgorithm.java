package dev.vigil.grade.observatory;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The MDN HTTP Observatory's scoring algorithm ({@code algorithmVersion} in its scan results). This enum is the one
 * list of the versions Vigil grades with: the CLI and the SecurityBaseline CRD take their allowed values from
 * {@link #versions()}. Each later version is the earlier one plus the differences named by the methods below.
 * <ul>
 * <li>4: npm 1.4.8, the release the npm registry serves (10 tests).</li>
 * <li>5: 1.5.0 (PR #332, "X-Frame-Options un-deprecated"): {@code X-Frame-Options: DENY|SAMEORIGIN} earns +5,
 * as CSP {@code frame-ancestors} already did. Nothing else changed between 1.4.8 and 1.5.0.</li>
 * <li>6: 5 plus Cross-Origin-Opener-Policy and Cross-Origin-Embedder-Policy tests (12 tests), CSP header lines
 * split on commas into separate policies (PR #496), and a page without Content-Type read as HTML for SRI.</li>
 * </ul>
 */
public enum ObservatoryAlgorithm {
    V4(4), V5(5), V6(6);

    /** What a baseline or {@code vigil scan} uses when it names no algorithm: what the published npm release scores. */
    public static final ObservatoryAlgorithm DEFAULT = V4;

    /**
     * The CRD's rule for {@code requirements.observatoryAlgorithm}: an annotation needs a constant, so it is
     * spelled here beside the constants it lists, and {@code ObservatoryAlgorithmTest} fails when they disagree.
     */
    public static final String CRD_RULE = "self in [4, 5, 6]";

    private final int version;

    ObservatoryAlgorithm(int version) {
        this.version = version;
    }

    /** The number MDN reports as {@code algorithmVersion}. */
    public int version() {
        return version;
    }

    /** Every version Vigil can grade with, oldest first: the single source of the allowed values. */
    public static List<Integer> versions() {
        return Arrays.stream(values()).map(ObservatoryAlgorithm::version).toList();
    }

    /** The versions as a usage string says them: {@code 4|5|6}. */
    public static String choices() {
        return versions().stream().map(String::valueOf).collect(Collectors.joining("|"));
    }

    public static java.util.Optional<ObservatoryAlgorithm> parse(int version) {
        return Arrays.stream(values()).filter(a -> a.version == version).findFirst();
    }

    public static ObservatoryAlgorithm of(int version) {
        for (ObservatoryAlgorithm algorithm : values()) {
            if (algorithm.version == version) {
                return algorithm;
            }
        }
        throw new IllegalArgumentException("Observatory algorithm must be one of " + versions().stream().map(String::valueOf)
                .collect(Collectors.joining(", ")) + ", not " + version);
    }

    /** 5 and later: {@code X-Frame-Options: DENY|SAMEORIGIN} scores +5 instead of 0. */
    public boolean rewardsFrameOptionsHeader() {
        return version >= 5;
    }

    /** 6: the Cross-Origin-Opener-Policy and Cross-Origin-Embedder-Policy tests exist. */
    public boolean gradesCrossOriginIsolation() {
        return version >= 6;
    }

    /** 6: each comma-separated piece of a Content-Security-Policy header (or meta) is a policy of its own. */
    public boolean splitsCspOnCommas() {
        return version >= 6;
    }

    /** 6: a page that sends no Content-Type is parsed as HTML for the SRI test (earlier: "not HTML"). */
    public boolean readsUntypedPageAsHtml() {
        return version >= 6;
    }

    /** How many tests a scan reports ({@code testsQuantity}). */
    public int testsQuantity() {
        return gradesCrossOriginIsolation() ? 12 : 10;
    }
}
