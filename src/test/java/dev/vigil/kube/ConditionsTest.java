package dev.vigil.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionsTest {

    static final Instant T1 = Instant.parse("2026-01-01T00:00:00Z");
    static final Instant T2 = Instant.parse("2026-01-02T00:00:00Z");

    @Test
    void theTransitionTimeMovesOnlyWhenTheStatusFlips() {
        List<Condition> first = Conditions.with(List.of(), "Ready", true, "Graded", "1 graded", 1L, T1);
        List<Condition> same = Conditions.with(first, "Ready", true, "Graded", "2 graded", 2L, T2);
        assertThat(same.get(0).getLastTransitionTime()).isEqualTo(T1.toString());
        assertThat(same.get(0).getMessage()).isEqualTo("2 graded");
        assertThat(same.get(0).getObservedGeneration()).isEqualTo(2L);
        List<Condition> flipped = Conditions.with(same, "Ready", false, "Probing", "probing", 2L, T2);
        assertThat(flipped.get(0).getLastTransitionTime()).isEqualTo(T2.toString());
        assertThat(Conditions.isTrue(flipped, "Ready")).isFalse();
    }

    @Test
    void otherConditionsKeepTheirPlace() {
        List<Condition> two = Conditions.with(Conditions.with(List.of(), "Ready", true, "A", "a", 1L, T1), "Compliant", false, "B", "b", 1L, T1);
        List<Condition> updated = Conditions.with(two, "Ready", Conditions.UNKNOWN, "C", "c", 1L, T2);
        assertThat(updated).extracting(Condition::getType).containsExactly("Ready", "Compliant");
        assertThat(updated.get(0).getStatus()).isEqualTo("Unknown");
        assertThat(Conditions.reason(updated, "Compliant")).contains("B");
        assertThat(Conditions.find(updated, "Missing")).isEmpty();
    }

    @Test
    void longMessagesAreCutLikeEvents() {
        String message = "x".repeat(5000);
        Condition c = Conditions.with(List.of(), "Ready", false, "Bad", message, 1L, T1).get(0);
        assertThat(c.getMessage()).hasSize(Conditions.MAX_MESSAGE).endsWith("…");
    }
}
