package dev.vigil.ship;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.APIGroupBuilder;
import io.fabric8.kubernetes.api.model.APIGroupListBuilder;
import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.APIVersionsBuilder;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscoveryBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Helm installs {@code crds/} once and never upgrades it, so the README's upgrade step is
 * {@code kubectl apply --server-side -f crds/}. Here the real kubectl runs exactly that against the mock API
 * server holding last release's CRDs (a field missing from the schema): kubectl must recognise every file,
 * send each as a server-side apply (no client-side last-applied annotation), and the stored CRDs must then be
 * the repository's. The mock has no server-side apply; an apply of a whole CRD by its one field manager
 * amounts to replacing its spec, which is what the dispatcher here does with it. kubectl runs with
 * --validate=false: the mock serves no OpenAPI document (a real API server validates a CRD when it is applied).
 */
class CrdUpgradeTest {

    static final Path CRDS = Path.of("crds");

    @TempDir
    Path dir;

    @Test
    void kubectlServerSideApplyUpgradesTheInstalledCrds() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/kubectl")), "kubectl is not installed here");
        List<String> requests = new CopyOnWriteArrayList<>();
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
                new ApplyReplacesSpec(responses, requests), false);
        server.init();
        try (KubernetesClient client = server.createClient()) {
            discovery(server);
            List<Path> files;
            try (Stream<Path> list = Files.list(CRDS)) {
                files = list.sorted().toList();
            }
            // last release's CRDs, as helm install left them: every schema without one field
            for (Path file : files) {
                CustomResourceDefinition old = Serialization.unmarshal(Files.readString(file), CustomResourceDefinition.class);
                var properties = old.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema().getProperties().get("spec").getProperties();
                properties.remove(properties.keySet().iterator().next());
                client.resource(old).create();
            }

            Path kubeconfig = Files.writeString(dir.resolve("kubeconfig.yaml"), """
                    apiVersion: v1
                    kind: Config
                    clusters: [{name: mock, cluster: {server: "%s"}}]
                    contexts: [{name: mock, context: {cluster: mock, user: u}}]
                    current-context: mock
                    users: [{name: u, user: {token: t}}]
                    """.formatted(client.getConfiguration().getMasterUrl()));
            // --validate=false: the mock serves no OpenAPI document; a real API server validates CRDs on apply anyway
            Process kubectl = new ProcessBuilder("kubectl", "--kubeconfig", kubeconfig.toString(), "apply", "--server-side",
                    "--validate=false", "-f", CRDS.toString() + "/").redirectErrorStream(true).start();
            String output = new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(kubectl.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(kubectl.exitValue()).as(output).isZero();

            String command = "kubectl apply --server-side -f crds/";
            assertThat(Files.readString(Path.of("README.md"))).as("the README's upgrade step is the command run here").contains(command);
            assertThat(Files.readString(Path.of("helm/vigil/templates/NOTES.txt"))).contains(command);
            for (Path file : files) {
                CustomResourceDefinition wanted = Serialization.unmarshal(Files.readString(file), CustomResourceDefinition.class);
                String name = wanted.getMetadata().getName();
                assertThat(output).contains("customresourcedefinition.apiextensions.k8s.io/" + name + " serverside-applied");
                assertThat(requests).contains("PATCH /apis/apiextensions.k8s.io/v1/customresourcedefinitions/" + name
                        + " application/apply-patch+yaml");
                CustomResourceDefinition stored = client.apiextensions().v1().customResourceDefinitions().withName(name).get();
                assertThat(stored.getSpec()).as(name + " upgraded to the repository's schema").isEqualTo(wanted.getSpec());
                assertThat(stored.getMetadata().getAnnotations() == null ? Map.of() : stored.getMetadata().getAnnotations())
                        .doesNotContainKey("kubectl.kubernetes.io/last-applied-configuration");
            }
        } finally {
            server.destroy();
        }
    }

    /** What kubectl reads before applying: the groups and the CRD resource. */
    static void discovery(KubernetesMockServer server) {
        var gv = new GroupVersionForDiscoveryBuilder().withGroupVersion("apiextensions.k8s.io/v1").withVersion("v1").build();
        Map<String, Object> answers = Map.of(
                "/api", new APIVersionsBuilder().withVersions("v1").build(),
                "/apis", new APIGroupListBuilder().withGroups(new APIGroupBuilder().withName("apiextensions.k8s.io")
                        .withVersions(gv).withPreferredVersion(gv).build()).build(),
                "/api/v1", new APIResourceListBuilder().withGroupVersion("v1").build(),
                "/apis/apiextensions.k8s.io/v1", new APIResourceListBuilder().withGroupVersion("apiextensions.k8s.io/v1")
                        .withResources(new APIResourceBuilder().withName("customresourcedefinitions").withKind("CustomResourceDefinition")
                                .withNamespaced(false).withSingularName("customresourcedefinition").withShortNames("crd")
                                .withVerbs("get", "list", "watch", "create", "update", "patch", "delete").build()).build());
        answers.forEach((path, body) -> {
            for (String p : List.of(path, path + "?timeout=32s")) {
                server.expect().get().withPath(p).andReturn(200, body).always();
            }
        });
    }

    /** Records "METHOD path content-type" and turns a server-side apply of a CRD into a replace of its spec. */
    static final class ApplyReplacesSpec extends KubernetesMixedDispatcher {
        private final List<String> requests;

        ApplyReplacesSpec(Map<ServerRequest, Queue<ServerResponse>> responses, List<String> requests) {
            super(responses);
            this.requests = requests;
        }

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            String type = request.getHeader("Content-Type");
            String path = request.getPath().contains("?") ? request.getPath().substring(0, request.getPath().indexOf('?')) : request.getPath();
            requests.add(request.getMethod() + " " + path + (type == null ? "" : " " + type));
            if ("PATCH".equals(request.getMethod()) && type != null && type.startsWith("application/apply-patch")) {
                JsonNode applied = Serialization.unmarshal(request.getUtf8Body(), JsonNode.class);
                List<Map<String, Object>> ops = new ArrayList<>();
                ops.add(Map.of("op", "replace", "path", "/spec", "value", applied.path("spec")));
                String patch = Serialization.asJson(ops);
                var headers = request.getHeaders().newBuilder().set("Content-Type", "application/json-patch+json").build();
                request = new RecordedRequest(request.getHttpVersion(), request.method(), request.getPath(), headers,
                        new Buffer(patch.getBytes(StandardCharsets.UTF_8)));
            }
            return super.dispatch(request);
        }
    }
}
