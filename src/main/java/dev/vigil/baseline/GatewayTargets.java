package dev.vigil.baseline;

import dev.vigil.baseline.ListenerRef.SecretRef;
import dev.vigil.baseline.ServiceTarget.SourceRef;
import dev.vigil.probe.AddressOrigin;
import dev.vigil.probe.AddressSource;
import dev.vigil.probe.ServiceEndpoint;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.AllowedRoutes;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayStatusAddress;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Listener;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.SecretObjectReference;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Which services a baseline covers through the Gateway API, walked as external-dns walks it: the HTTPRoutes its
 * routeSelector covers; each route's parent Gateways that ACCEPTED it (route status), narrowed by gatewaySelector;
 * the listeners of those Gateways the route may attach to (parentRef sectionName and port, HTTP/HTTPS protocol,
 * allowedRoutes namespaces and kinds — checked here too, so a route whose status was written by its owner attaches
 * nowhere the Gateway does not allow); and the hosts route and listener share. Pure over the Fabric8 model objects.
 *
 * <p>One service per route, Gateway, host and HTTPS port, reached at the Gateway's status address (else DNS; the
 * baseline's {@code connect.address} wins) on the listener's port, its http:// half on the port of an HTTP listener
 * of the same Gateway serving the host. A host served only by HTTP listeners is still a service (its HTTPS half
 * answers nothing, so it fails {@code https}).
 */
final class GatewayTargets {

    static final String GROUP = "gateway.networking.k8s.io";
    static final String HTTP = "HTTP";
    static final String HTTPS = "HTTPS";
    static final String TERMINATE = "Terminate";
    static final String ACCEPTED = "Accepted";

    private GatewayTargets() {
    }

    /** One route attached to one listener for one host. */
    private record Attachment(Gateway gateway, Listener listener, String host) {
    }

    /**
     * @param namespaceLabels labels of every namespace (namespaceSelector, allowedRoutes {@code from: Selector})
     */
    static List<ServiceTarget> of(BaselinePolicy policy, Collection<HTTPRoute> routes, Collection<Gateway> gateways,
            Collection<ReferenceGrant> grants, Map<String, Map<String, String>> namespaceLabels) {
        BaselineScope scope = policy.scope();
        if (scope.routeSelector().isEmpty()) {
            return List.of();
        }
        Map<String, Gateway> byName = new TreeMap<>();
        gateways.forEach(g -> byName.put(g.getMetadata().getNamespace() + "/" + g.getMetadata().getName(), g));
        Map<String, ServiceTarget> targets = new LinkedHashMap<>();
        routes.stream()
                .filter(r -> scope.coversRoute(r.getMetadata().getNamespace(), r.getMetadata().getLabels(),
                        namespaceLabels.getOrDefault(r.getMetadata().getNamespace(), Map.of())))
                .sorted(Comparator.comparing((HTTPRoute r) -> r.getMetadata().getNamespace())
                        .thenComparing(r -> r.getMetadata().getName()))
                .forEach(route -> {
                    for (ServiceTarget target : targets(route, byName, scope, policy.connection(), policy.trusted(), grants, namespaceLabels)) {
                        targets.putIfAbsent(target.namespace() + "/" + target.host() + "@"
                                + target.listener().map(l -> l.gatewayNamespace() + "/" + l.gatewayName() + ":" + l.port()).orElse(""),
                                target);
                    }
                });
        return new ArrayList<>(targets.values());
    }

    private static List<ServiceTarget> targets(HTTPRoute route, Map<String, Gateway> gateways, BaselineScope scope,
            BaselinePolicy.Connection connection, boolean trusted, Collection<ReferenceGrant> grants,
            Map<String, Map<String, String>> namespaceLabels) {
        String routeNamespace = route.getMetadata().getNamespace();
        List<Attachment> attachments = new ArrayList<>();
        for (ParentReference parent : route.getSpec() == null || route.getSpec().getParentRefs() == null
                ? List.<ParentReference>of() : route.getSpec().getParentRefs()) {
            if (!isGateway(parent.getGroup(), parent.getKind())) {
                continue;
            }
            String gatewayNamespace = parent.getNamespace() == null ? routeNamespace : parent.getNamespace();
            Gateway gateway = gateways.get(gatewayNamespace + "/" + parent.getName());
            if (gateway == null || gateway.getSpec() == null || gateway.getSpec().getListeners() == null
                    || !scope.followsGateway(gateway.getMetadata().getLabels()) || !accepted(route, parent, gatewayNamespace)) {
                continue;
            }
            for (Listener listener : gateway.getSpec().getListeners()) {
                // The CRD requires both; a listener without them (a hand-written object) names nothing to probe.
                if (listener.getPort() == null || listener.getName() == null
                        || (parent.getSectionName() != null && !parent.getSectionName().equals(listener.getName()))
                        || (parent.getPort() != null && !parent.getPort().equals(listener.getPort()))
                        || !(HTTP.equals(listener.getProtocol()) || HTTPS.equals(listener.getProtocol()))
                        || !allows(listener.getAllowedRoutes(), routeNamespace, gatewayNamespace,
                                namespaceLabels.getOrDefault(routeNamespace, Map.of()))) {
                    continue;
                }
                for (String host : hosts(route.getSpec().getHostnames(), listener.getHostname())) {
                    // The Gateway gives a host to its most specific listener on a port: a route attached to a
                    // wildcard listener does not serve a host another listener names exactly.
                    if (owner(gateway, listener.getPort(), host).filter(owner -> owner == listener).isPresent()) {
                        attachments.add(new Attachment(gateway, listener, host));
                    }
                }
            }
        }
        List<ServiceTarget> out = new ArrayList<>();
        Map<String, List<Attachment>> byGatewayAndHost = new LinkedHashMap<>();
        for (Attachment a : attachments) {
            byGatewayAndHost.computeIfAbsent(a.gateway().getMetadata().getNamespace() + "/" + a.gateway().getMetadata().getName()
                    + "|" + a.host(), k -> new ArrayList<>()).add(a);
        }
        SourceRef source = new SourceRef(SourceRef.HTTP_ROUTE, route.getMetadata().getName());
        // A Gateway's status address is its controller's, like an Ingress's; spec.connect.address is the baseline's.
        AddressSource chosenBy = new AddressSource(connection.address().isPresent() ? AddressOrigin.NAMED_BY_BASELINE
                : AddressOrigin.INGRESS, trusted);
        for (List<Attachment> group : byGatewayAndHost.values()) {
            Gateway gateway = group.get(0).gateway();
            String host = group.get(0).host();
            Optional<String> address = connection.address().or(() -> statusAddress(gateway));
            Optional<Attachment> plain = group.stream().filter(a -> HTTP.equals(a.listener().getProtocol()))
                    .min(Comparator.comparing(a -> a.listener().getPort()));
            int httpPort = connection.givenHttpPort().orElse(
                    plain.map(a -> a.listener().getPort()).orElse(BaselinePolicy.DEFAULT_HTTP_PORT));
            List<Attachment> secure = group.stream().filter(a -> HTTPS.equals(a.listener().getProtocol()))
                    .sorted(Comparator.comparing(a -> a.listener().getPort())).toList();
            for (Attachment a : secure) {
                int port = a.listener().getPort();
                out.add(new ServiceTarget(route.getMetadata().getNamespace(), Optional.of(source),
                        new ServiceEndpoint(host, port, "/", address, connection.givenHttpsPort().orElse(port), httpPort, chosenBy),
                        Optional.of(listenerRef(gateway, a.listener(), grants))));
            }
            if (secure.isEmpty() && plain.isPresent()) {
                // Served over plain HTTP only: still a service, whose HTTPS half is looked for where users would try it.
                out.add(new ServiceTarget(route.getMetadata().getNamespace(), Optional.of(source),
                        new ServiceEndpoint(host, BaselinePolicy.DEFAULT_HTTPS_PORT, "/", address, connection.httpsPort(), httpPort, chosenBy),
                        Optional.of(listenerRef(gateway, plain.get().listener(), grants))));
            }
        }
        return out;
    }

    /** Whether a parentRef names a Gateway (the default group and kind). */
    static boolean isGateway(String group, String kind) {
        return (group == null || GROUP.equals(group)) && (kind == null || "Gateway".equals(kind));
    }

    /** Whether the route's status says this parent accepted it (condition Accepted=True for the same parentRef). */
    static boolean accepted(HTTPRoute route, ParentReference parent, String gatewayNamespace) {
        if (route.getStatus() == null || route.getStatus().getParents() == null) {
            return false;
        }
        String routeNamespace = route.getMetadata().getNamespace();
        for (RouteParentStatus status : route.getStatus().getParents()) {
            ParentReference ref = status.getParentRef();
            if (ref == null || !isGateway(ref.getGroup(), ref.getKind()) || !Objects.equals(ref.getName(), parent.getName())
                    || !gatewayNamespace.equals(ref.getNamespace() == null ? routeNamespace : ref.getNamespace())
                    || !Objects.equals(ref.getSectionName(), parent.getSectionName())
                    || !Objects.equals(ref.getPort(), parent.getPort())) {
                continue;
            }
            List<Condition> conditions = status.getConditions() == null ? List.of() : status.getConditions();
            if (conditions.stream().anyMatch(c -> ACCEPTED.equals(c.getType()) && "True".equals(c.getStatus()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * A listener's allowedRoutes: kinds (absent: HTTPRoute is allowed on HTTP/HTTPS) and namespaces (from Same — the
     * default —, All, or Selector over the route namespace's labels; anything else allows nothing).
     */
    static boolean allows(AllowedRoutes allowed, String routeNamespace, String gatewayNamespace, Map<String, String> routeNamespaceLabels) {
        if (allowed != null && allowed.getKinds() != null && !allowed.getKinds().isEmpty()
                && allowed.getKinds().stream().noneMatch(k -> (k.getGroup() == null || GROUP.equals(k.getGroup()))
                        && "HTTPRoute".equals(k.getKind()))) {
            return false;
        }
        String from = allowed == null || allowed.getNamespaces() == null || allowed.getNamespaces().getFrom() == null
                ? "Same" : allowed.getNamespaces().getFrom();
        return switch (from) {
            case "Same" -> routeNamespace.equals(gatewayNamespace);
            case "All" -> true;
            case "Selector" -> allowed.getNamespaces().getSelector() != null
                    && BaselineScope.matches(allowed.getNamespaces().getSelector(), routeNamespaceLabels);
            default -> false;
        };
    }

    /**
     * The hosts a route serves through a listener: each route hostname overlapped with the listener's (a route
     * without hostnames takes the listener's). A result that is still a wildcard names no single host and is skipped,
     * as {@link IngressTargets} skips {@code *.} rules.
     */
    static List<String> hosts(List<String> routeHostnames, String listenerHostname) {
        String listener = blankToNull(listenerHostname);
        List<String> hosts = new ArrayList<>();
        if (routeHostnames == null || routeHostnames.isEmpty()) {
            if (listener != null) {
                hosts.add(listener.toLowerCase(Locale.ROOT));
            }
        } else {
            for (String routeHostname : routeHostnames) {
                intersect(blankToNull(routeHostname), listener).ifPresent(hosts::add);
            }
        }
        return hosts.stream().filter(h -> !h.startsWith("*")).distinct().toList();
    }

    /**
     * The overlap of two Gateway API hostnames: exact names match themselves; {@code *.example.com} matches every name
     * ending in {@code .example.com} (any number of labels, not {@code example.com} itself); of two wildcards, the
     * narrower one if it lies within the other. Absent means any host.
     */
    static Optional<String> intersect(String routeHostname, String listenerHostname) {
        if (routeHostname == null && listenerHostname == null) {
            return Optional.empty();
        }
        if (listenerHostname == null) {
            return Optional.of(routeHostname.toLowerCase(Locale.ROOT));
        }
        if (routeHostname == null) {
            return Optional.of(listenerHostname.toLowerCase(Locale.ROOT));
        }
        String route = routeHostname.toLowerCase(Locale.ROOT);
        String listener = listenerHostname.toLowerCase(Locale.ROOT);
        if (within(route, listener)) {
            return Optional.of(route);
        }
        if (within(listener, route)) {
            return Optional.of(listener);
        }
        return Optional.empty();
    }

    /** Whether every name {@code narrow} stands for is one {@code wide} stands for. */
    private static boolean within(String narrow, String wide) {
        if (wide.startsWith("*.")) {
            return narrow.endsWith(wide.substring(1)) && narrow.length() > wide.length() - 1;
        }
        return !narrow.startsWith("*.") && narrow.equals(wide);
    }

    /**
     * The listener of a Gateway that gets a host on a port: of the HTTP(S) listeners on that port whose hostname
     * covers the host, the most specific (an exact name, then the longest wildcard, then none).
     */
    static Optional<Listener> owner(Gateway gateway, Integer port, String host) {
        return gateway.getSpec().getListeners().stream()
                .filter(l -> Objects.equals(l.getPort(), port))
                .filter(l -> HTTP.equals(l.getProtocol()) || HTTPS.equals(l.getProtocol()))
                .filter(l -> blankToNull(l.getHostname()) == null || within(host, l.getHostname().toLowerCase(Locale.ROOT)))
                .max(Comparator.comparingInt(GatewayTargets::specificity));
    }

    private static int specificity(Listener listener) {
        String hostname = blankToNull(listener.getHostname());
        if (hostname == null) {
            return 0;
        }
        return hostname.startsWith("*.") ? hostname.length() : Integer.MAX_VALUE;
    }

    /** The first usable address the Gateway reports (an IP or a host name). */
    static Optional<String> statusAddress(Gateway gateway) {
        if (gateway.getStatus() == null || gateway.getStatus().getAddresses() == null) {
            return Optional.empty();
        }
        return gateway.getStatus().getAddresses().stream()
                .filter(a -> a.getType() == null || "IPAddress".equals(a.getType()) || "Hostname".equals(a.getType()))
                .map(GatewayStatusAddress::getValue)
                .filter(v -> v != null && !v.isBlank())
                .findFirst();
    }

    /** The listener as plain data, its certificateRefs checked: core Secrets only, another namespace only by a grant. */
    static ListenerRef listenerRef(Gateway gateway, Listener listener, Collection<ReferenceGrant> grants) {
        String gatewayNamespace = gateway.getMetadata().getNamespace();
        boolean terminates = HTTPS.equals(listener.getProtocol()) && (listener.getTls() == null
                || listener.getTls().getMode() == null || TERMINATE.equals(listener.getTls().getMode()));
        List<SecretRef> certificates = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        if (terminates && listener.getTls() != null && listener.getTls().getCertificateRefs() != null) {
            for (SecretObjectReference ref : listener.getTls().getCertificateRefs()) {
                String namespace = ref.getNamespace() == null ? gatewayNamespace : ref.getNamespace();
                if (!((ref.getGroup() == null || ref.getGroup().isEmpty()) && (ref.getKind() == null || "Secret".equals(ref.getKind())))) {
                    problems.add("certificateRef " + ref.getKind() + " " + namespace + "/" + ref.getName() + " is not a Secret");
                } else if (!namespace.equals(gatewayNamespace) && !granted(grants, gatewayNamespace, namespace, ref.getName())) {
                    problems.add("certificateRef " + namespace + "/" + ref.getName() + " is not permitted: no ReferenceGrant in "
                            + namespace + " lets Gateways of " + gatewayNamespace + " use it");
                } else {
                    certificates.add(new SecretRef(namespace, ref.getName()));
                }
            }
        }
        return new ListenerRef(gatewayNamespace, gateway.getMetadata().getName(), listener.getName(), listener.getPort(),
                listener.getProtocol(), terminates, certificates, problems);
    }

    /** A ReferenceGrant in the Secret's namespace from Gateways of {@code fromNamespace} to this Secret (or all Secrets). */
    static boolean granted(Collection<ReferenceGrant> grants, String fromNamespace, String secretNamespace, String secretName) {
        return grants.stream()
                .filter(g -> secretNamespace.equals(g.getMetadata().getNamespace()) && g.getSpec() != null
                        && g.getSpec().getFrom() != null && g.getSpec().getTo() != null)
                .anyMatch(g -> g.getSpec().getFrom().stream().anyMatch(f -> GROUP.equals(f.getGroup())
                                && "Gateway".equals(f.getKind()) && fromNamespace.equals(f.getNamespace()))
                        && g.getSpec().getTo().stream().anyMatch(t -> (t.getGroup() == null || t.getGroup().isEmpty())
                                && "Secret".equals(t.getKind()) && (t.getName() == null || t.getName().equals(secretName))));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
