package dev.vigil.testsupport;

import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Listener;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReferenceBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatusBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrantBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Gateway API objects built from Fabric8's model classes, as a Gateway controller would leave them. */
public final class GatewayObjects {

    private GatewayObjects() {
    }

    public static Listener http(String name, int port, String hostname) {
        return new ListenerBuilder().withName(name).withProtocol("HTTP").withPort(port).withHostname(hostname).build();
    }

    /** An HTTPS listener terminating TLS with the given Secrets (name or namespace/name). */
    public static Listener https(String name, int port, String hostname, String... secrets) {
        ListenerBuilder b = new ListenerBuilder().withName(name).withProtocol("HTTPS").withPort(port).withHostname(hostname)
                .withNewTls().withMode("Terminate").endTls();
        for (String secret : secrets) {
            String[] parts = secret.split("/");
            b.editTls().addNewCertificateRef().withName(parts[parts.length - 1])
                    .withNamespace(parts.length == 2 ? parts[0] : null).endCertificateRef().endTls();
        }
        return b.build();
    }

    public static Listener passthrough(String name, int port, String hostname) {
        return new ListenerBuilder().withName(name).withProtocol("HTTPS").withPort(port).withHostname(hostname)
                .withNewTls().withMode("Passthrough").endTls().build();
    }

    /** The listener, accepting routes from every namespace. */
    public static Listener fromAll(Listener listener) {
        return new ListenerBuilder(listener).withNewAllowedRoutes().withNewNamespaces().withFrom("All").endNamespaces()
                .endAllowedRoutes().build();
    }

    /** The listener, accepting routes from the namespaces the selector matches. */
    public static Listener fromSelected(Listener listener, LabelSelector selector) {
        return new ListenerBuilder(listener).withNewAllowedRoutes().withNewNamespaces().withFrom("Selector").withSelector(selector)
                .endNamespaces().endAllowedRoutes().build();
    }

    /** A Gateway with listeners and, when {@code address} is given, the address its controller reports. */
    public static Gateway gateway(String namespace, String name, Map<String, String> labels, String address, Listener... listeners) {
        GatewayBuilder b = new GatewayBuilder().withNewMetadata().withNamespace(namespace).withName(name).withLabels(labels)
                .endMetadata().withNewSpec().withGatewayClassName("test").withListeners(listeners).endSpec();
        if (address != null) {
            b.withNewStatus().addNewAddress().withType("IPAddress").withValue(address).endAddress().endStatus();
        }
        return b.build();
    }

    public static ParentReference parent(String namespace, String gateway, String sectionName, Integer port) {
        return new ParentReferenceBuilder().withName(gateway).withNamespace(namespace).withSectionName(sectionName)
                .withPort(port).build();
    }

    /**
     * A route with hostnames and parents; {@code accepted} lists the parents whose status says Accepted=True, the
     * others are listed with Accepted=False (NotAllowedByListeners), as a controller reports a refusal.
     */
    public static HTTPRoute route(String namespace, String name, Map<String, String> labels, List<String> hostnames,
            List<ParentReference> parents, List<ParentReference> accepted) {
        HTTPRouteBuilder b = new HTTPRouteBuilder().withNewMetadata().withNamespace(namespace).withName(name).withLabels(labels)
                .endMetadata().withNewSpec().withHostnames(hostnames).withParentRefs(parents).endSpec();
        List<io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatus> statuses = new ArrayList<>();
        for (ParentReference p : parents) {
            boolean ok = accepted.contains(p);
            statuses.add(new RouteParentStatusBuilder().withParentRef(p).withControllerName("example.com/gateway-controller")
                    .withConditions(new ConditionBuilder().withType("Accepted").withStatus(ok ? "True" : "False")
                            .withReason(ok ? "Accepted" : "NotAllowedByListeners").withMessage("")
                            .withLastTransitionTime("2026-01-01T00:00:00Z").build())
                    .build());
        }
        b.withNewStatus().withParents(statuses).endStatus();
        return b.build();
    }

    /** A ReferenceGrant in {@code namespace} letting Gateways of {@code fromNamespace} use the Secret (all Secrets if null). */
    public static ReferenceGrant grant(String namespace, String name, String fromNamespace, String secret) {
        return new ReferenceGrantBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withNewSpec().addNewFrom().withGroup("gateway.networking.k8s.io").withKind("Gateway").withNamespace(fromNamespace)
                .endFrom().addNewTo().withGroup("").withKind("Secret").withName(secret).endTo().endSpec().build();
    }
}
