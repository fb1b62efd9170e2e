package dev.vigil.docs;

import io.fabric8.kubernetes.api.model.APIGroupBuilder;
import io.fabric8.kubernetes.api.model.APIGroupListBuilder;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.APIVersionsBuilder;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscoveryBuilder;
import dev.vigil.testsupport.GatewayApiDiscovery;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import java.util.List;
import java.util.function.Consumer;

/**
 * Discovery answers for /api, /apis and the groups, so the real kubectl can talk to the mock API server; the Gateway
 * API is installed, so the operator watches HTTPRoutes too.
 */
public class Discovery implements Consumer<KubernetesServer> {

    static final List<String> VERBS = List.of("get", "list", "watch", "create", "update", "patch", "delete");

    /** kubectl asks with a timeout query, which the mock server matches as part of the path. */
    private static void answer(KubernetesServer server, String path, Object body) {
        for (String p : List.of(path, path + "?timeout=32s")) {
            server.expect().get().withPath(p).andReturn(200, body).always();
        }
    }

    @Override
    public void accept(KubernetesServer server) {
        answer(server, "/api", new APIVersionsBuilder().withVersions("v1").build());
        answer(server, "/apis", new APIGroupListBuilder().withGroups(
                group("vigil.dev", "v1alpha1"), group("networking.k8s.io", "v1"), group("apps", "v1"),
                group(GatewayApiDiscovery.GROUP, "v1")).build());
        new GatewayApiDiscovery().accept(server);
        answer(server, "/api/v1", new APIResourceListBuilder().withGroupVersion("v1").withResources(
                resource("namespaces", "Namespace", false, List.of("ns")), resource("secrets", "Secret", true, List.of()),
                resource("events", "Event", true, List.of("ev"))).build());
        answer(server, "/apis/vigil.dev/v1alpha1", new APIResourceListBuilder()
                .withGroupVersion("vigil.dev/v1alpha1").withResources(
                        category(resource("securitybaselines", "SecurityBaseline", true, List.of("sbl"))),
                        category(resource("sealedsecrets", "SealedSecret", true, List.of("vss", "vsealed")))).build());
        answer(server, "/apis/networking.k8s.io/v1", new APIResourceListBuilder()
                .withGroupVersion("networking.k8s.io/v1").withResources(resource("ingresses", "Ingress", true, List.of("ing"))).build());
        answer(server, "/apis/apps/v1", new APIResourceListBuilder()
                .withGroupVersion("apps/v1").withResources(resource("deployments", "Deployment", true, List.of("deploy"))).build());
    }

    private static io.fabric8.kubernetes.api.model.APIGroup group(String name, String version) {
        var gv = new GroupVersionForDiscoveryBuilder().withGroupVersion(name + "/" + version).withVersion(version).build();
        return new APIGroupBuilder().withName(name).withVersions(gv).withPreferredVersion(gv).build();
    }

    private static APIResource resource(String plural, String kind, boolean namespaced, List<String> shortNames) {
        return new APIResourceBuilder().withName(plural).withKind(kind).withNamespaced(namespaced)
                .withSingularName(kind.toLowerCase()).withShortNames(shortNames).withVerbs(VERBS).build();
    }

    private static APIResource category(APIResource resource) {
        resource.setCategories(List.of("vigil"));
        return resource;
    }
}
