package dev.vigil.baseline;

import static dev.vigil.testsupport.GatewayObjects.fromAll;
import static dev.vigil.testsupport.GatewayObjects.fromSelected;
import static dev.vigil.testsupport.GatewayObjects.gateway;
import static dev.vigil.testsupport.GatewayObjects.grant;
import static dev.vigil.testsupport.GatewayObjects.http;
import static dev.vigil.testsupport.GatewayObjects.https;
import static dev.vigil.testsupport.GatewayObjects.parent;
import static dev.vigil.testsupport.GatewayObjects.passthrough;
import static dev.vigil.testsupport.GatewayObjects.route;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.baseline.ListenerRef.SecretRef;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The Gateway API discovery rules, on Fabric8 model objects: attachment, listeners, hosts, grants, scope. */
class GatewayTargetsTest {

    static final Map<String, String> WEB = Map.of("tier", "web");

    static BaselinePolicy policy(SecurityBaselineSpec spec, boolean trusted) {
        return BaselinePolicy.from(BaselinePolicyTest.baseline(spec), new BaselinePolicy.Limits(Duration.ZERO, Duration.ofDays(1)), trusted);
    }

    static SecurityBaselineSpec routes(Map<String, String> labels) {
        SecurityBaselineSpec spec = new SecurityBaselineSpec();
        spec.routeSelector = new LabelSelectorBuilder().withMatchLabels(labels).build();
        return spec;
    }

    static List<ServiceTarget> discover(SecurityBaselineSpec spec, boolean trusted, List<HTTPRoute> routes, List<Gateway> gateways,
            List<ReferenceGrant> grants, Map<String, Map<String, String>> namespaces) {
        return GatewayTargets.of(policy(spec, trusted), routes, gateways, grants, namespaces);
    }

    static List<ServiceTarget> discover(List<HTTPRoute> routes, Gateway... gateways) {
        return discover(routes(WEB), false, routes, List.of(gateways), List.of(), Map.of());
    }

    /** A Gateway in the baseline's namespace: HTTP on 8080 and HTTPS on 443 for *.example.com. */
    static Gateway edge() {
        return gateway("shop", "edge", Map.of(), "10.0.0.7", http("http", 8080, "*.example.com"),
                https("https", 443, "*.example.com", "edge-tls"));
    }

    static HTTPRoute web(List<String> hostnames, ParentReference... parents) {
        return route("shop", "web", WEB, hostnames, List.of(parents), List.of(parents));
    }

    @Test
    void aRouteAcceptedByOneGatewayIsOneServicePerHostOnItsHttpsListener() {
        ParentReference edge = parent(null, "edge", null, null);
        List<ServiceTarget> targets = discover(List.of(web(List.of("shop.example.com"), edge)), edge());
        assertThat(targets).singleElement().satisfies(t -> {
            assertThat(t.host()).isEqualTo("shop.example.com");
            assertThat(t.namespace()).isEqualTo("shop");
            assertThat(t.source()).contains(new ServiceTarget.SourceRef("HTTPRoute", "web"));
            assertThat(t.source().get()).hasToString("httproute/web");
            assertThat(t.listener().get()).hasToString("gateway/shop/edge/https");
            assertThat(t.listener().get().certificates()).containsExactly(new SecretRef("shop", "edge-tls"));
            assertThat(t.listener().get().expectsCertificate()).isTrue();
            assertThat(t.endpoint().connectHost()).contains("10.0.0.7");
            assertThat(t.endpoint().port()).isEqualTo(443);
            assertThat(t.endpoint().httpsConnectPort()).isEqualTo(443);
            assertThat(t.endpoint().httpConnectPort()).as("the http:// half is the HTTP listener's port").isEqualTo(8080);
        });
    }

    @Test
    void aRouteOnTwoGatewaysIsTwoServicesOfTheSameHost() {
        Gateway internal = gateway("infra", "internal", Map.of(), "10.9.9.9", fromAll(https("https", 443, null, "internal-tls")));
        ParentReference edge = parent(null, "edge", null, null);
        ParentReference other = parent("infra", "internal", null, null);
        List<ServiceTarget> targets = discover(List.of(web(List.of("shop.example.com"), edge, other)), edge(), internal);
        assertThat(targets).extracting(ServiceTarget::host).containsExactly("shop.example.com", "shop.example.com");
        assertThat(targets).extracting(t -> t.endpoint().connectHost().orElseThrow()).containsExactly("10.0.0.7", "10.9.9.9");
        assertThat(targets).extracting(t -> t.listener().orElseThrow().toString())
                .containsExactly("gateway/shop/edge/https", "gateway/infra/internal/https");
        assertThat(targets.get(1).endpoint().httpConnectPort()).as("no HTTP listener there: the default").isEqualTo(80);
        assertThat(targets.stream().map(ServiceTarget::key).distinct()).hasSize(2);
    }

    @Test
    void sectionNameAndPortPickTheListeners() {
        Gateway gw = gateway("shop", "edge", Map.of(), "10.0.0.7", http("http", 80, null), https("https", 443, null, "a"),
                https("alt", 8443, null, "b"));
        List<ServiceTarget> bySection = discover(List.of(web(List.of("shop.example.com"), parent(null, "edge", "alt", null))), gw);
        assertThat(bySection).singleElement().satisfies(t -> {
            assertThat(t.listener().get().sectionName()).isEqualTo("alt");
            assertThat(t.endpoint().port()).isEqualTo(8443);
            assertThat(t.endpoint().httpsConnectPort()).isEqualTo(8443);
            assertThat(t.endpoint().httpConnectPort()).as("attached to no HTTP listener").isEqualTo(80);
        });
        List<ServiceTarget> byPort = discover(List.of(web(List.of("shop.example.com"), parent(null, "edge", null, 443))), gw);
        assertThat(byPort).singleElement().satisfies(t -> assertThat(t.listener().get().sectionName()).isEqualTo("https"));
        List<ServiceTarget> all = discover(List.of(web(List.of("shop.example.com"), parent(null, "edge", null, null))), gw);
        assertThat(all).extracting(t -> t.listener().get().sectionName()).containsExactly("https", "alt");
        assertThat(all).allSatisfy(t -> assertThat(t.endpoint().httpConnectPort()).isEqualTo(80));
        assertThat(discover(List.of(web(List.of("shop.example.com"), parent(null, "edge", "alt", 443))), gw))
                .as("sectionName and port must both match").isEmpty();
        Gateway portless = gateway("shop", "edge", Map.of(), "10.0.0.7", new ListenerBuilder(https("https", 443, null, "a"))
                .withPort(null).build(), https("alt", 8443, null, "b"));
        assertThat(discover(List.of(web(List.of("shop.example.com"), parent(null, "edge", null, null))), portless))
                .as("a listener without a port is skipped, not a failed reconcile").extracting(t -> t.endpoint().port())
                .containsExactly(8443);
    }

    @Test
    void aHostServedOnlyOverHttpIsStillAServiceOnItsHttpListener() {
        List<ServiceTarget> targets = discover(List.of(web(List.of("shop.example.com"), parent(null, "edge", "http", null))), edge());
        assertThat(targets).singleElement().satisfies(t -> {
            assertThat(t.listener().get()).hasToString("gateway/shop/edge/http");
            assertThat(t.listener().get().expectsCertificate()).isFalse();
            assertThat(t.endpoint().port()).isEqualTo(443);
            assertThat(t.endpoint().httpConnectPort()).isEqualTo(8080);
        });
    }

    @Test
    void wildcardListenersOverlapWithRouteHostnames() {
        ParentReference edge = parent(null, "edge", "https", null);
        List<ServiceTarget> targets = discover(List.of(web(List.of("shop.example.com", "a.b.example.com", "example.com",
                "other.org", "*.example.com", "*.deep.example.com"), edge)), edge());
        assertThat(targets).extracting(ServiceTarget::host).containsExactly("shop.example.com", "a.b.example.com");

        assertThat(GatewayTargets.intersect("shop.example.com", "*.example.com")).contains("shop.example.com");
        assertThat(GatewayTargets.intersect("*.example.com", "shop.example.com")).contains("shop.example.com");
        assertThat(GatewayTargets.intersect("*.a.example.com", "*.example.com")).contains("*.a.example.com");
        assertThat(GatewayTargets.intersect("example.com", "*.example.com")).isEmpty();
        assertThat(GatewayTargets.intersect("Shop.Example.com", "shop.example.COM")).contains("shop.example.com");
        assertThat(GatewayTargets.intersect("shop.example.com", null)).contains("shop.example.com");
        assertThat(GatewayTargets.hosts(List.of("*.a.example.com"), "*.example.com")).as("still a wildcard").isEmpty();
    }

    @Test
    void aMoreSpecificListenerOnThePortTakesItsHostFromAWildcardOne() {
        Gateway gw = gateway("shop", "edge", Map.of(), "10.0.0.7", https("wild", 443, "*.example.com", "wild-tls"),
                https("admin", 443, "admin.example.com", "admin-tls"));
        List<ServiceTarget> targets = discover(List.of(web(List.of("shop.example.com", "admin.example.com"),
                parent(null, "edge", "wild", null))), gw);
        assertThat(targets).extracting(ServiceTarget::host).containsExactly("shop.example.com");
        List<ServiceTarget> both = discover(List.of(web(List.of("shop.example.com", "admin.example.com"), parent(null, "edge", null, null))), gw);
        assertThat(both).extracting(t -> t.host() + " " + t.listener().get().certificates())
                .containsExactly("shop.example.com [shop/wild-tls]", "admin.example.com [shop/admin-tls]");
    }

    @Test
    void aRouteWithoutHostnamesTakesTheListenersAndNoneNamesNothing() {
        ParentReference edge = parent(null, "edge", null, null);
        Gateway named = gateway("shop", "edge", Map.of(), null, https("https", 443, "app.example.com", "t"));
        assertThat(discover(List.of(web(List.of(), edge)), named)).extracting(ServiceTarget::host).containsExactly("app.example.com");
        assertThat(discover(List.of(web(List.of(), edge)), edge())).as("*.example.com names no single host").isEmpty();
        Gateway any = gateway("shop", "edge", Map.of(), null, https("https", 443, null, "t"));
        assertThat(discover(List.of(web(List.of(), edge)), any)).isEmpty();
        assertThat(discover(List.of(web(List.of("app.example.com"), edge)), named).get(0).endpoint().connectHost())
                .as("no status address: DNS").isEmpty();
    }

    @Test
    void aParentThatDidNotAcceptTheRouteIsIgnored() {
        ParentReference edge = parent(null, "edge", null, null);
        ParentReference internal = parent("infra", "internal", null, null);
        Gateway other = gateway("infra", "internal", Map.of(), "10.9.9.9", fromAll(https("https", 443, null, "x")));
        HTTPRoute halfAccepted = route("shop", "web", WEB, List.of("shop.example.com"), List.of(edge, internal), List.of(edge));
        assertThat(discover(List.of(halfAccepted), edge(), other)).extracting(t -> t.listener().get().gatewayName())
                .containsExactly("edge");
        HTTPRoute noStatus = route("shop", "web", WEB, List.of("shop.example.com"), List.of(edge), List.of(edge));
        noStatus.setStatus(null);
        assertThat(discover(List.of(noStatus), edge())).isEmpty();
        HTTPRoute missingGateway = web(List.of("shop.example.com"), parent(null, "gone", null, null));
        assertThat(discover(List.of(missingGateway), edge())).isEmpty();
    }

    @Test
    void allowedRoutesIsCheckedEvenWhenTheRouteSaysItWasAccepted() {
        // A tenant in "team" writes its route's status itself, claiming the shared Gateway accepted it.
        ParentReference shared = parent("infra", "shared", null, null);
        HTTPRoute forged = route("team", "web", WEB, List.of("shop.example.com"), List.of(shared), List.of(shared));
        SecurityBaselineSpec spec = routes(WEB);
        spec.namespaceSelector = new LabelSelectorBuilder().build();
        Map<String, Map<String, String>> namespaces = Map.of("team", Map.of("gateway-access", "yes"), "infra", Map.of());
        Gateway same = gateway("infra", "shared", Map.of(), "10.0.0.1", https("https", 443, null, "t"));
        assertThat(discover(spec, true, List.of(forged), List.of(same), List.of(), namespaces)).as("from: Same (default)").isEmpty();
        Gateway all = gateway("infra", "shared", Map.of(), "10.0.0.1", fromAll(https("https", 443, null, "t")));
        assertThat(discover(spec, true, List.of(forged), List.of(all), List.of(), namespaces)).hasSize(1);
        Gateway selected = gateway("infra", "shared", Map.of(), "10.0.0.1", fromSelected(https("https", 443, null, "t"),
                new LabelSelectorBuilder().addToMatchLabels("gateway-access", "yes").build()));
        assertThat(discover(spec, true, List.of(forged), List.of(selected), List.of(), namespaces)).hasSize(1);
        assertThat(discover(spec, true, List.of(forged), List.of(selected), List.of(), Map.of("team", Map.of()))).isEmpty();
        Gateway grpcOnly = gateway("infra", "shared", Map.of(), "10.0.0.1", new ListenerBuilder(fromAll(https("https", 443, null, "t")))
                .editAllowedRoutes().addNewKind().withKind("GRPCRoute").endKind().endAllowedRoutes().build());
        assertThat(discover(spec, true, List.of(forged), List.of(grpcOnly), List.of(), namespaces)).as("kinds").isEmpty();
    }

    @Test
    void routesInOtherNamespacesOnlyForATrustedBaseline() {
        ParentReference shared = parent("infra", "shared", null, null);
        Gateway gw = gateway("infra", "shared", Map.of(), "10.0.0.1", fromAll(https("https", 443, null, "t")));
        HTTPRoute pay = route("pay", "checkout", WEB, List.of("pay.example.com"), List.of(shared), List.of(shared));
        HTTPRoute blog = route("blog", "posts", WEB, List.of("blog.example.com"), List.of(shared), List.of(shared));
        SecurityBaselineSpec spec = routes(WEB);
        spec.namespaceSelector = new LabelSelectorBuilder().addToMatchLabels("team", "payments").build();
        Map<String, Map<String, String>> namespaces = Map.of("pay", Map.of("team", "payments"), "blog", Map.of("team", "blog"));
        assertThat(discover(spec, false, List.of(pay, blog), List.of(gw), List.of(), namespaces)).isEmpty();
        assertThat(discover(spec, true, List.of(pay, blog), List.of(gw), List.of(), namespaces))
                .extracting(t -> t.namespace() + " " + t.source().get() + " " + t.host()).containsExactly("pay httproute/checkout pay.example.com");
    }

    @Test
    void aCertificateInAnotherNamespaceNeedsAReferenceGrant() {
        ParentReference edge = parent(null, "edge", null, null);
        Gateway gw = gateway("shop", "edge", Map.of(), "10.0.0.7", https("https", 443, null, "certs/shop-tls", "local-tls"));
        List<HTTPRoute> routes = List.of(web(List.of("shop.example.com"), edge));
        ListenerRef without = discover(routes(WEB), false, routes, List.of(gw), List.of(), Map.of()).get(0).listener().get();
        assertThat(without.certificates()).containsExactly(new SecretRef("shop", "local-tls"));
        assertThat(without.refProblems()).singleElement().asString().contains("certs/shop-tls").contains("ReferenceGrant");
        List<ReferenceGrant> wrongGrants = List.of(grant("certs", "g", "elsewhere", null), grant("certs", "h", "shop", "other-tls"),
                grant("shop", "i", "shop", "shop-tls"));
        assertThat(discover(routes(WEB), false, routes, List.of(gw), wrongGrants, Map.of()).get(0).listener().get().refProblems())
                .hasSize(1);
        for (ReferenceGrant grant : List.of(grant("certs", "g", "shop", "shop-tls"), grant("certs", "g", "shop", null))) {
            ListenerRef with = discover(routes(WEB), false, routes, List.of(gw), List.of(grant), Map.of()).get(0).listener().get();
            assertThat(with.certificates()).containsExactly(new SecretRef("certs", "shop-tls"), new SecretRef("shop", "local-tls"));
            assertThat(with.refProblems()).isEmpty();
        }
    }

    @Test
    void passthroughIsProbedButExpectsNoCertificate() {
        Gateway gw = gateway("shop", "edge", Map.of(), "10.0.0.7", passthrough("tls", 443, "shop.example.com"));
        List<ServiceTarget> targets = discover(List.of(web(List.of(), parent(null, "edge", null, null))), gw);
        assertThat(targets).singleElement().satisfies(t -> {
            assertThat(t.host()).isEqualTo("shop.example.com");
            assertThat(t.listener().get().terminatesTls()).isFalse();
            assertThat(t.listener().get().expectsCertificate()).isFalse();
        });
    }

    @Test
    void gatewaySelectorNarrowsAndRouteSelectorIsIndependentOfTheIngressSelector() {
        ParentReference edge = parent(null, "edge", null, null);
        List<HTTPRoute> routes = List.of(web(List.of("shop.example.com"), edge));
        SecurityBaselineSpec spec = routes(WEB);
        spec.gatewaySelector = new LabelSelectorBuilder().addToMatchLabels("exposure", "public").build();
        assertThat(discover(spec, false, routes, List.of(edge()), List.of(), Map.of())).isEmpty();
        Gateway publicEdge = gateway("shop", "edge", Map.of("exposure", "public"), "10.0.0.7", https("https", 443, null, "t"));
        assertThat(discover(spec, false, routes, List.of(publicEdge), List.of(), Map.of())).hasSize(1);

        SecurityBaselineSpec ingressesOnly = new SecurityBaselineSpec();
        ingressesOnly.selector = new LabelSelectorBuilder().build();
        assertThat(discover(ingressesOnly, false, routes, List.of(edge()), List.of(), Map.of())).as("no routeSelector: no routes").isEmpty();
        assertThat(discover(routes(Map.of("tier", "internal")), false, routes, List.of(edge()), List.of(), Map.of())).isEmpty();
        assertThat(discover(routes(Map.of()), false, routes, List.of(edge()), List.of(), Map.of())).as("empty: all").hasSize(1);
    }

    @Test
    void theBaselinesConnectOverrideStillApplies() {
        SecurityBaselineSpec spec = routes(WEB);
        spec.connect.address = "127.0.0.1";
        spec.connect.httpsPort = 9443;
        spec.connect.httpPort = 9080;
        ServiceTarget t = discover(spec, false, List.of(web(List.of("shop.example.com"), parent(null, "edge", null, null))),
                List.of(edge()), List.of(), Map.of()).get(0);
        assertThat(t.endpoint().connectHost()).contains("127.0.0.1");
        assertThat(t.endpoint().httpsConnectPort()).isEqualTo(9443);
        assertThat(t.endpoint().httpConnectPort()).isEqualTo(9080);
        assertThat(t.endpoint().port()).as("the URL keeps the listener's port").isEqualTo(443);
        assertThat(t.endpoint().connectHost()).isNotEqualTo(Optional.of("10.0.0.7"));
    }
}
