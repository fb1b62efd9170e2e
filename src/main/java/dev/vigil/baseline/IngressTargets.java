package dev.vigil.baseline;

import dev.vigil.probe.AddressOrigin;
import dev.vigil.probe.AddressSource;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Which services a baseline covers: Ingress rule hosts it selects plus its explicit targets. */
final class IngressTargets {

    private IngressTargets() {
    }

    /**
     * @param namespaceLabels labels of every namespace, consulted for the namespaceSelector
     * @param crossNamespaceAllowed whether this baseline's namespace is trusted: to select other namespaces, and to
     *     name private addresses
     */
    static List<ServiceTarget> of(SecurityBaseline baseline, Collection<Ingress> ingresses,
            Map<String, Map<String, String>> namespaceLabels, boolean crossNamespaceAllowed) {
        SecurityBaselineSpec spec = baseline.getSpec();
        String home = baseline.getMetadata().getNamespace();
        Connect connect = spec.connect == null ? new Connect() : spec.connect;
        Optional<String> namedAddress = Optional.ofNullable(connect.address).filter(a -> !a.isBlank());
        AddressSource named = new AddressSource(AddressOrigin.NAMED_BY_BASELINE, crossNamespaceAllowed);
        AddressSource fromIngress = new AddressSource(AddressOrigin.INGRESS, crossNamespaceAllowed);
        Map<String, ServiceTarget> targets = new LinkedHashMap<>();
        ingresses.stream()
                .filter(i -> covers(spec, home, i, namespaceLabels, crossNamespaceAllowed))
                .sorted(Comparator.comparing((Ingress i) -> i.getMetadata().getNamespace())
                        .thenComparing(i -> i.getMetadata().getName()))
                .forEach(ingress -> {
                    for (String host : hosts(ingress)) {
                        var target = new ServiceTarget(ingress.getMetadata().getNamespace(),
                                Optional.of(ingress.getMetadata().getName()), host,
                                port(connect.httpsPort, 443), port(connect.httpPort, 80), "/",
                                namedAddress.or(() -> loadBalancerAddress(ingress)),
                                namedAddress.isPresent() ? named : fromIngress);
                        targets.putIfAbsent(target.namespace() + "/" + host, target);
                    }
                });
        for (ProbeTarget explicit : spec.targets == null ? List.<ProbeTarget>of() : spec.targets) {
            URI uri = URI.create(explicit.url);
            int port = uri.getPort() > 0 ? uri.getPort() : 443;
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            // An explicit target is reached as its URL says: plain HTTP on port 80, as the Observatory does.
            var target = new ServiceTarget(home, Optional.empty(), uri.getHost(), port, 80,
                    path, Optional.ofNullable(explicit.connectAddress).filter(a -> !a.isBlank()), named);
            targets.putIfAbsent(home + "/" + target.host() + ":" + port + path, target);
        }
        return new ArrayList<>(targets.values());
    }

    private static boolean covers(SecurityBaselineSpec spec, String home, Ingress ingress,
            Map<String, Map<String, String>> namespaceLabels, boolean crossNamespaceAllowed) {
        String namespace = ingress.getMetadata().getNamespace();
        boolean namespaceCovered = home.equals(namespace)
                || (crossNamespaceAllowed && spec.namespaceSelector != null
                        && matches(spec.namespaceSelector, namespaceLabels.getOrDefault(namespace, Map.of())));
        return namespaceCovered && spec.selector != null && matches(spec.selector, ingress.getMetadata().getLabels());
    }

    private static List<String> hosts(Ingress ingress) {
        if (ingress.getSpec() == null || ingress.getSpec().getRules() == null) {
            return List.of();
        }
        return ingress.getSpec().getRules().stream()
                .map(IngressRule::getHost)
                .filter(Objects::nonNull)
                .filter(h -> !h.isBlank() && !h.startsWith("*"))
                .distinct()
                .toList();
    }

    private static Optional<String> loadBalancerAddress(Ingress ingress) {
        if (ingress.getStatus() == null || ingress.getStatus().getLoadBalancer() == null
                || ingress.getStatus().getLoadBalancer().getIngress() == null) {
            return Optional.empty();
        }
        return ingress.getStatus().getLoadBalancer().getIngress().stream()
                .map(lb -> lb.getIp() != null ? lb.getIp() : lb.getHostname())
                .filter(Objects::nonNull)
                .findFirst();
    }

    private static int port(Integer configured, int fallback) {
        return configured == null ? fallback : configured;
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
                boolean ok = switch (r.getOperator()) {
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
