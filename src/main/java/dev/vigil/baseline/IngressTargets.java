package dev.vigil.baseline;

import dev.vigil.baseline.ServiceTarget.SourceRef;
import dev.vigil.probe.AddressOrigin;
import dev.vigil.probe.AddressSource;
import dev.vigil.probe.ServiceEndpoint;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Which services a baseline covers: the rule hosts of the Ingresses in its scope, then its explicit targets. */
final class IngressTargets {

    private IngressTargets() {
    }

    /** @param namespaceLabels labels of every namespace, consulted for the namespaceSelector */
    static List<ServiceTarget> of(BaselinePolicy policy, Collection<Ingress> ingresses,
            Map<String, Map<String, String>> namespaceLabels) {
        BaselineScope scope = policy.scope();
        BaselinePolicy.Connection connection = policy.connection();
        // Who chose each address decides what it may be (README, "Where probes may connect").
        AddressSource named = new AddressSource(AddressOrigin.NAMED_BY_BASELINE, policy.trusted());
        AddressSource fromIngress = new AddressSource(AddressOrigin.INGRESS, policy.trusted());
        Map<String, ServiceTarget> targets = new LinkedHashMap<>();
        ingresses.stream()
                .filter(i -> scope.covers(i.getMetadata().getNamespace(), i.getMetadata().getLabels(),
                        namespaceLabels.getOrDefault(i.getMetadata().getNamespace(), Map.of())))
                .sorted(Comparator.comparing((Ingress i) -> i.getMetadata().getNamespace())
                        .thenComparing(i -> i.getMetadata().getName()))
                .forEach(ingress -> {
                    Optional<String> address = connection.address().or(() -> loadBalancerAddress(ingress));
                    for (String host : hosts(ingress)) {
                        var target = new ServiceTarget(ingress.getMetadata().getNamespace(),
                                Optional.of(new SourceRef(SourceRef.INGRESS, ingress.getMetadata().getName())),
                                new ServiceEndpoint(host, BaselinePolicy.DEFAULT_HTTPS_PORT, "/", address,
                                        connection.httpsPort(), connection.httpPort(),
                                        connection.address().isPresent() ? named : fromIngress));
                        targets.putIfAbsent(target.namespace() + "/" + host, target);
                    }
                });
        for (BaselinePolicy.ExplicitTarget explicit : policy.targets()) {
            // An explicit target is reached as its URL says, plain HTTP on port 80 as the Observatory does.
            var target = new ServiceTarget(scope.home(), Optional.empty(), new ServiceEndpoint(explicit.host(),
                    explicit.port(), explicit.path(), explicit.connectAddress(), explicit.port(), BaselinePolicy.DEFAULT_HTTP_PORT,
                    named));
            targets.putIfAbsent(scope.home() + "/" + explicit.host() + ":" + explicit.port() + explicit.path(), target);
        }
        return new ArrayList<>(targets.values());
    }

    /** Rule hosts, once each; wildcard hosts name no single service and are skipped. */
    static List<String> hosts(Ingress ingress) {
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
}
