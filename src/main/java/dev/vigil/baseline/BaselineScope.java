package dev.vigil.baseline;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which Ingresses and HTTPRoutes a baseline covers: those its selector (Ingresses) and routeSelector (HTTPRoutes)
 * match in its own namespace, plus — only for a baseline in a namespace the operator trusts — those in namespaces
 * its namespaceSelector matches. The two selectors are independent: each absent covers none of its kind.
 *
 * @param selector absent: no Ingresses; an empty selector: all of them
 * @param namespaceSelector already dropped when the baseline's namespace is not trusted
 * @param routeSelector absent: no HTTPRoutes; an empty selector: all of them
 * @param gatewaySelector absent: every Gateway that accepted a covered route; present: only the Gateways it matches
 *        (it narrows, never widens: a route still has to be covered by routeSelector)
 */
public record BaselineScope(String home, Optional<LabelSelector> selector, Optional<LabelSelector> namespaceSelector,
        Optional<LabelSelector> routeSelector, Optional<LabelSelector> gatewaySelector) {

    public BaselineScope(String home, Optional<LabelSelector> selector, Optional<LabelSelector> namespaceSelector) {
        this(home, selector, namespaceSelector, Optional.empty(), Optional.empty());
    }

    /**
     * Whether an Ingress in this namespace could ever be covered, whatever its labels: the event mapper's test, a
     * superset of {@link #covers} (an Ingress whose labels stopped matching must still reach the baseline).
     */
    public boolean watches(String namespace) {
        return home.equals(namespace) || namespaceSelector.isPresent();
    }

    /**
     * Whether the baseline covers this namespace as a whole (its Secrets and SealedSecrets): its own, or — for a
     * trusted baseline only, the untrusted one's namespaceSelector being dropped — one its namespaceSelector matches.
     */
    public boolean coversNamespace(String namespace, Map<String, String> namespaceLabels) {
        return home.equals(namespace) || namespaceSelector.map(s -> matches(s, namespaceLabels)).orElse(false);
    }

    /** Whether an Ingress with these labels, in a namespace with these labels, is covered. */
    public boolean covers(String namespace, Map<String, String> labels, Map<String, String> namespaceLabels) {
        return covers(selector, namespace, labels, namespaceLabels);
    }

    /** Whether an HTTPRoute with these labels, in a namespace with these labels, is covered. */
    public boolean coversRoute(String namespace, Map<String, String> labels, Map<String, String> namespaceLabels) {
        return covers(routeSelector, namespace, labels, namespaceLabels);
    }

    /** Whether a Gateway with these labels may lead to covered services (see {@code gatewaySelector}). */
    public boolean followsGateway(Map<String, String> labels) {
        return gatewaySelector.map(s -> matches(s, labels)).orElse(true);
    }

    private boolean covers(Optional<LabelSelector> objectSelector, String namespace, Map<String, String> labels,
            Map<String, String> namespaceLabels) {
        if (objectSelector.isEmpty() || !watches(namespace)) {
            return false;
        }
        boolean namespaceCovered = home.equals(namespace)
                || namespaceSelector.map(s -> matches(s, namespaceLabels)).orElse(false);
        return namespaceCovered && matches(objectSelector.get(), labels);
    }

    /** Kubernetes label selector semantics; an empty selector matches everything. */
    static boolean matches(LabelSelector selector, Map<String, String> labels) {
        Map<String, String> actual = labels == null ? Map.of() : labels;
        if (selector.getMatchLabels() != null) {
            for (var e : selector.getMatchLabels().entrySet()) {
                if (!e.getValue().equals(actual.get(e.getKey()))) {
                    return false;
                }
            }
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
                String value = actual.get(r.getKey());
                List<String> values = r.getValues() == null ? List.of() : r.getValues();
                boolean ok = switch (String.valueOf(r.getOperator())) {
                    case "In" -> value != null && values.contains(value);
                    case "NotIn" -> value == null || !values.contains(value);
                    case "Exists" -> actual.containsKey(r.getKey());
                    case "DoesNotExist" -> !actual.containsKey(r.getKey());
                    default -> false;
                };
                if (!ok) {
                    return false;
                }
            }
        }
        return true;
    }
}
