package dev.vigil.kube;

import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Kubernetes-convention status conditions: lastTransitionTime moves only when status flips. */
public final class Conditions {

    public static final String TRUE = "True";
    public static final String FALSE = "False";
    /** Longest message kept, in a condition as in an Event: a status must stay small whatever a document lists. */
    public static final int MAX_MESSAGE = 1024;

    private Conditions() {
    }

    public static Optional<Condition> find(List<Condition> conditions, String type) {
        return conditions == null ? Optional.empty()
                : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    /** Returns a new list with the condition of {@code type} replaced, keeping the order of the others. */
    public static List<Condition> with(List<Condition> conditions, String type, boolean status, String reason,
            String message, Long generation, Instant now) {
        String statusText = status ? TRUE : FALSE;
        String transition = find(conditions, type)
                .filter(c -> statusText.equals(c.getStatus()))
                .map(Condition::getLastTransitionTime)
                .orElse(now.toString());
        Condition updated = new Condition(transition, truncate(message), generation, reason, statusText, type);
        List<Condition> result = new ArrayList<>();
        boolean replaced = false;
        if (conditions != null) {
            for (Condition c : conditions) {
                if (type.equals(c.getType())) {
                    result.add(updated);
                    replaced = true;
                } else {
                    result.add(c);
                }
            }
        }
        if (!replaced) {
            result.add(updated);
        }
        return result;
    }

    public static String truncate(String message) {
        return message == null || message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE - 1) + "…";
    }

    public static boolean isTrue(List<Condition> conditions, String type) {
        return find(conditions, type).map(c -> TRUE.equals(c.getStatus())).orElse(false);
    }

    public static Optional<String> reason(List<Condition> conditions, String type) {
        return find(conditions, type).map(Condition::getReason);
    }
}
