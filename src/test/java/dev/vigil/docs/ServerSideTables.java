package dev.vigil.docs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.baseline.SecurityBaseline;
import dev.vigil.secrets.SealedSecret;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a real API server does for {@code kubectl get}: answer with a meta.k8s.io/v1 Table built from
 * the CRD's additionalPrinterColumns (read from crds/), evaluated on the stored objects.
 */
final class ServerSideTables {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern FILTER = Pattern.compile("^(.*)\\[\\?\\(@\\.(\\w+)==\"([^\"]+)\"\\)\\]\\.(\\w+)$");

    private ServerSideTables() {
    }

    static void serve(KubernetesServer server, KubernetesClient client, String namespace) throws Exception {
        table(server, namespace, "securitybaselines", crd("securitybaselines.vigil.dev-v1.yml"),
                client.resources(SecurityBaseline.class).inNamespace(namespace).list().getItems());
        table(server, namespace, "sealedsecrets", crd("sealedsecrets.vigil.dev-v1.yml"),
                client.resources(SealedSecret.class).inNamespace(namespace).list().getItems());
    }

    private static CustomResourceDefinition crd(String file) throws Exception {
        return Serialization.unmarshal(Files.readString(Path.of("crds", file)), CustomResourceDefinition.class);
    }

    private static void table(KubernetesServer server, String namespace, String plural, CustomResourceDefinition crd,
            List<? extends HasMetadata> objects) {
        List<CustomResourceColumnDefinition> columns = crd.getSpec().getVersions().get(0).getAdditionalPrinterColumns().stream()
                .filter(c -> c.getPriority() == null || c.getPriority() == 0).toList();
        ObjectNode table = JSON.createObjectNode().put("kind", "Table").put("apiVersion", "meta.k8s.io/v1");
        table.putObject("metadata");
        ArrayNode definitions = table.putArray("columnDefinitions");
        definitions.addObject().put("name", "Name").put("type", "string").put("format", "name").put("priority", 0);
        List<CustomResourceColumnDefinition> ordered = columns;
        for (CustomResourceColumnDefinition c : ordered) {
            definitions.addObject().put("name", c.getName()).put("type", c.getType()).put("format", "").put("priority", 0);
        }
        ArrayNode rows = table.putArray("rows");
        for (HasMetadata object : objects) {
            JsonNode json = JSON.valueToTree(object);
            ObjectNode row = rows.addObject();
            ArrayNode cells = row.putArray("cells");
            cells.add(object.getMetadata().getName());
            for (CustomResourceColumnDefinition c : ordered) {
                JsonNode value = evaluate(json, c.getJsonPath());
                if (value == null || value.isMissingNode() || value.isNull()) {
                    cells.addNull();
                } else if ("date".equals(c.getType())) {
                    cells.add(age(java.time.Instant.parse(value.asText())));
                } else {
                    cells.add(value);
                }
            }
            ObjectNode partial = row.putObject("object");
            partial.put("kind", "PartialObjectMetadata").put("apiVersion", "meta.k8s.io/v1");
            partial.set("metadata", json.get("metadata"));
        }
        String path = "/apis/vigil.dev/v1alpha1/namespaces/" + namespace + "/" + plural;
        for (String p : List.of(path, path + "?limit=500")) {
            server.expect().get().withPath(p).andReturn(200, table.toString()).always();
        }
    }

    /** The API server's human-readable date cells ("45s", "3m", "2d"). */
    static String age(java.time.Instant since) {
        long s = Math.max(0, java.time.Duration.between(since, java.time.Instant.now()).getSeconds());
        if (s < 120) {
            return s + "s";
        }
        long m = s / 60;
        if (m < 10) {
            return m + "m" + (s % 60 == 0 ? "" : (s % 60) + "s");
        }
        if (m < 180) {
            return m + "m";
        }
        long h = m / 60;
        return h < 48 ? h + "h" : (h / 24) + "d";
    }

    /** The JSONPath forms the CRDs use: .a.b.c and .a[?(@.k=="v")].f */
    static JsonNode evaluate(JsonNode root, String path) {
        Matcher m = FILTER.matcher(path);
        if (m.matches()) {
            JsonNode list = walk(root, m.group(1));
            if (list != null) {
                for (JsonNode item : list) {
                    if (m.group(3).equals(item.path(m.group(2)).asText())) {
                        return item.get(m.group(4));
                    }
                }
            }
            return null;
        }
        return walk(root, path);
    }

    private static JsonNode walk(JsonNode node, String path) {
        JsonNode current = node;
        for (String part : path.replaceFirst("^\\.", "").split("\\.")) {
            if (current == null) {
                return null;
            }
            current = current.get(part);
        }
        return current;
    }
}
