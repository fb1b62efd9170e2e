package dev.vigil.testsupport;

import io.fabric8.kubernetes.api.model.APIGroupBuilder;
import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscoveryBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import java.util.List;
import java.util.function.Consumer;

/**
 * The mock API server as a cluster with the Gateway API CRDs installed: discovery answers for
 * gateway.networking.k8s.io v1 (Gateway, GatewayClass, HTTPRoute) and v1beta1 (ReferenceGrant). The objects themselves
 * are served by the CRUD mock.
 */
public class GatewayApiDiscovery implements Consumer<KubernetesServer> {

    public static final String GROUP = "gateway.networking.k8s.io";
    static final List<String> VERBS = List.of("get", "list", "watch", "create", "update", "patch", "delete");

    @Override
    public void accept(KubernetesServer server) {
        install(server.getKubernetesMockServer());
    }

    /** The same answers on a plain Fabric8 mock server. */
    public static void install(KubernetesMockServer server) {
        answer(server, "/apis/" + GROUP, new APIGroupBuilder().withName(GROUP)
                .withVersions(new GroupVersionForDiscoveryBuilder().withGroupVersion(GROUP + "/v1").withVersion("v1").build(),
                        new GroupVersionForDiscoveryBuilder().withGroupVersion(GROUP + "/v1beta1").withVersion("v1beta1").build())
                .withPreferredVersion(new GroupVersionForDiscoveryBuilder().withGroupVersion(GROUP + "/v1").withVersion("v1").build())
                .build());
        answer(server, "/apis/" + GROUP + "/v1", new APIResourceListBuilder().withGroupVersion(GROUP + "/v1").withResources(
                resource("gateways", "Gateway", true), resource("gatewayclasses", "GatewayClass", false),
                resource("httproutes", "HTTPRoute", true)).build());
        answer(server, "/apis/" + GROUP + "/v1beta1", new APIResourceListBuilder().withGroupVersion(GROUP + "/v1beta1")
                .withResources(resource("referencegrants", "ReferenceGrant", true)).build());
    }

    private static void answer(KubernetesMockServer server, String path, Object body) {
        for (String p : List.of(path, path + "?timeout=32s")) {
            server.expect().get().withPath(p).andReturn(200, body).always();
        }
    }

    private static io.fabric8.kubernetes.api.model.APIResource resource(String plural, String kind, boolean namespaced) {
        return new APIResourceBuilder().withName(plural).withKind(kind).withNamespaced(namespaced)
                .withSingularName(kind.toLowerCase()).withVerbs(VERBS).build();
    }
}
