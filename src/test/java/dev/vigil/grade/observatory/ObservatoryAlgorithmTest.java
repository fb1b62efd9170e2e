package dev.vigil.grade.observatory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ObservatoryAlgorithmTest {

    @Test
    void theCrdRuleListsExactlyTheAlgorithmsTheCodeKnows() {
        String listed = ObservatoryAlgorithm.numbers().stream().map(String::valueOf).collect(Collectors.joining(", "));
        assertThat(ObservatoryAlgorithm.CRD_RULE).isEqualTo("self in [" + listed + "]");
    }

    @Test
    void numbersMapBothWays() {
        for (ObservatoryAlgorithm a : ObservatoryAlgorithm.values()) {
            assertThat(ObservatoryAlgorithm.of(a.number())).isEqualTo(a);
        }
        assertThat(ObservatoryAlgorithm.parse(3)).isEmpty();
        assertThatThrownBy(() -> ObservatoryAlgorithm.of(7)).hasMessageContaining("one of");
    }
}
