package dev.vigil.admission;

import dev.vigil.grade.AcceptedRisk;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Which of a baseline's exceptions the admission policies may honour at a given moment. */
public final class ActiveExceptions {

    /**
     * @param active the exceptions in force, in the baseline's order
     * @param nextExpiry when the first of them expires: the operator must publish again by then
     */
    public record Published(List<ActiveException> active, Optional<Instant> nextExpiry) {
    }

    private ActiveExceptions() {
    }

    public static Published at(List<AcceptedRisk> risks, Instant now) {
        List<ActiveException> active = new ArrayList<>();
        for (AcceptedRisk risk : risks) {
            if (!risk.expired(now)) {
                active.add(new ActiveException(List.copyOf(risk.hosts()), risk.control(), risk.expires().toString()));
            }
        }
        Optional<Instant> next = risks.stream().map(AcceptedRisk::expires).filter(now::isBefore)
                .min(Comparator.naturalOrder());
        return new Published(List.copyOf(active), next);
    }
}
