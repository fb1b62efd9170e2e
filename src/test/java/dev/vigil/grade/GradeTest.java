package dev.vigil.grade;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Observatory's grade chart (scoring spec §2) and the order and arithmetic the caps and metrics rely on. */
class GradeTest {

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
            "165, A+", "100, A+", "99, A", "95, A", "90, A", "89, A-", "85, A-", "84, B+", "80, B+", "79, B", "70, B", "69, B-",
            "65, B-", "64, C+", "60, C+", "59, C", "50, C", "49, C-", "45, C-", "44, D+", "40, D+", "39, D", "30, D", "29, D-",
            "25, D-", "24, F", "0, F", "-10, F"})
    void observatoryChart(int score, String letter) {
        assertThat(Grade.fromObservatoryScore(score).letter()).isEqualTo(letter);
    }

    @Test
    void lettersParseAndPrint() {
        for (Grade g : Grade.values()) {
            assertThat(Grade.parse(g.letter())).contains(g);
            assertThat(g.toString()).isEqualTo(g.letter());
        }
        assertThat(Grade.parse("A-")).contains(Grade.A_MINUS);
        assertThat(Grade.parse("a+")).isEmpty();
        assertThat(Grade.parse("E")).isEmpty();
        assertThat(Arrays.stream(Grade.values()).map(Grade::letter).toList())
                .containsExactly("F", "D-", "D", "D+", "C-", "C", "C+", "B-", "B", "B+", "A-", "A", "A+");
    }

    @Test
    void metricValuesRunFromFZeroToAPlusTwelve() {
        assertThat(Grade.F.value()).isZero();
        assertThat(Grade.C.value()).isEqualTo(5);
        assertThat(Grade.A_PLUS.value()).isEqualTo(12);
    }

    @Test
    void capsMinimumsAndWorst() {
        assertThat(Grade.A_PLUS.cappedAt(Grade.B)).isEqualTo(Grade.B);
        assertThat(Grade.C.cappedAt(Grade.B)).isEqualTo(Grade.C);
        assertThat(Grade.B.cappedAt(Grade.B)).isEqualTo(Grade.B);
        assertThat(Grade.B_MINUS.below(Grade.B)).isTrue();
        assertThat(Grade.B.below(Grade.B)).isFalse();
        assertThat(Grade.B_PLUS.below(Grade.B)).isFalse();
        assertThat(Grade.worst(Grade.A, Grade.C)).isEqualTo(Grade.C);
        assertThat(Grade.worst(Grade.C, Grade.A)).isEqualTo(Grade.C);
        assertThat(Grade.worst(Grade.D, Grade.D)).isEqualTo(Grade.D);
    }

    @Test
    void acceptedRiskCoversExactHostsAndWildcardsUntilItExpires() {
        Instant expires = Instant.parse("2026-10-01T00:00:00Z");
        AcceptedRisk risk = new AcceptedRisk(List.of("Blog.Example.com", "*.shop.example"), "cookies", "legacy CMS", "team-blog",
                expires);
        assertThat(risk.appliesTo("blog.example.com", "cookies")).isTrue();
        assertThat(risk.appliesTo("blog.example.com", "x-frame-options")).isFalse();
        assertThat(risk.appliesTo("www.blog.example.com", "cookies")).isFalse();
        assertThat(risk.appliesTo("a.shop.example", "cookies")).isTrue();
        assertThat(risk.appliesTo("A.B.SHOP.example", "cookies")).isTrue();
        // "*.shop.example" covers names below shop.example, not shop.example itself nor a look-alike suffix.
        assertThat(risk.appliesTo("shop.example", "cookies")).isFalse();
        assertThat(risk.appliesTo("evilshop.example", "cookies")).isFalse();
        assertThat(risk.appliesTo(".shop.example", "cookies")).isFalse();
        assertThat(risk.expired(expires.minusSeconds(1))).isFalse();
        assertThat(risk.expired(expires)).isTrue();
        assertThat(risk.expired(expires.plusSeconds(1))).isTrue();
    }
}
