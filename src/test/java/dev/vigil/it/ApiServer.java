package dev.vigil.it;

import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import com.fasterxml.jackson.databind.JsonNode;
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
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.Map;
import java.util.Queue;

/**
 * Fabric8's mock API server in CRUD mode, over plain HTTP so {@link Relay}s can read request lines.
 * The packaged operator runs with server-side apply (a build-time setting), which the mock answers
 * with 415; here an apply of a status (the only thing Vigil applies) replaces the whole status, which
 * is what an apply by the status's single field manager amounts to.
 */
final class ApiServer implements AutoCloseable {

    private final KubernetesMockServer server;

    ApiServer() {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        server = new KubernetesMockServer(new Context(), new MockWebServer(), responses, new ApplyAsMergePatch(responses), false);
        server.init();
        // The operator SDK asks, before leader election, whether it may use Leases; answer with what the chart's
        // leader-election Role grants (helm/vigil/templates/rbac.yaml).
        server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
                .andReturn(201, new SelfSubjectRulesReviewBuilder().withNewSpec().withNamespace("vigil-system").endSpec()
                        .withNewStatus().withIncomplete(false).addNewResourceRule().withApiGroups("coordination.k8s.io")
                        .withResources("leases").withVerbs(List.copyOf(chartLeaseVerbs())).endResourceRule().endStatus().build())
                .always();
    }

    /** The verbs on Leases that the chart's leader-election Role grants. */
    static Set<String> chartLeaseVerbs() {
        try {
            String rbac = Files.readString(Path.of("helm/vigil/templates/rbac.yaml"));
            Matcher m = Pattern.compile("resources: \\[\"leases\"\\]\\s+verbs: \\[([^\\]]*)\\]").matcher(rbac);
            if (!m.find()) {
                throw new IllegalStateException("no leases rule in helm/vigil/templates/rbac.yaml");
            }
            Set<String> verbs = new TreeSet<>();
            for (String v : m.group(1).split(",")) {
                verbs.add(v.replace("\"", "").trim());
            }
            return verbs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return server.getPort();
    }

    KubernetesClient client() {
        return server.createClient();
    }

    @Override
    public void close() {
        server.destroy();
    }

    private static final class ApplyAsMergePatch extends KubernetesMixedDispatcher {
        ApplyAsMergePatch(Map<ServerRequest, Queue<ServerResponse>> responses) {
            super(responses);
        }

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            String type = request.getHeader("Content-Type");
            if ("PATCH".equals(request.getMethod()) && type != null && type.startsWith("application/apply-patch")) {
                JsonNode applied = Serialization.unmarshal(request.getUtf8Body(), JsonNode.class);
                String patch = Serialization.asJson(List.of(Map.of("op", "add", "path", "/status", "value", applied.path("status"))));
                var headers = request.getHeaders().newBuilder().set("Content-Type", "application/json-patch+json").build();
                request = new RecordedRequest(request.getHttpVersion(), request.method(), request.getPath(), headers,
                        new Buffer(patch.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            }
            return super.dispatch(request);
        }
    }
}
