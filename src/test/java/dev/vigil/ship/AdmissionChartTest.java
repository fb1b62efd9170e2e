package dev.vigil.ship;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import dev.vigil.admission.AdmissionPolicy;
import dev.vigil.admission.Install;
import dev.vigil.admission.Rule;
import dev.vigil.admission.ShippedPolicies;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The chart's admission policies through a real Helm: rendered only when enabled and only for Kubernetes
 * 1.30 or newer, from the same bytes Vigil evaluates, and identical to what {@link ShippedPolicies} renders
 * for the same installation (names, usernames, modes, bindings).
 */
class AdmissionChartTest {

    static List<Map<String, Object>> render(String release, String namespace, String... sets) {
        var template = new Helm(HelmChartTest.CHART).template().withName(release).withNamespace(namespace);
        for (int i = 0; i < sets.length; i += 2) {
            template.set(sets[i], sets[i + 1]);
        }
        List<Map<String, Object>> objects = new ArrayList<>();
        for (String doc : template.call().split("(?m)^---\\s*$")) {
            Object parsed = new Yaml(new SafeConstructor(new LoaderOptions())).load(doc);
            if (parsed instanceof Map<?, ?>) {
                @SuppressWarnings("unchecked")
                Map<String, Object> map = (Map<String, Object>) parsed;
                objects.add(map);
            }
        }
        return objects;
    }

    static List<Map<String, Object>> ofKind(List<Map<String, Object>> objects, String kind) {
        return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
    }

    @Test
    void policiesAreOffByDefault() {
        assertThat(render("vigil", "vigil-system", "kubeVersionOverride", "1.31.0"))
                .noneMatch(o -> String.valueOf(o.get("kind")).startsWith("ValidatingAdmissionPolicy"));
    }

    @Test
    void renderedPoliciesAreWhatVigilEvaluates() {
        List<Map<String, Object>> objects = render("edge", "security", "admission.enabled", "true",
                "kubeVersionOverride", "v1.30.2", "serviceAccount.name", "guard",
                "admission.certManagerUsername", "system:serviceaccount:tls:cert-manager");
        Install install = new Install("edge-vigil", "system:serviceaccount:security:guard", "system:serviceaccount:tls:cert-manager");
        List<AdmissionPolicy> expected = ShippedPolicies.render(install);
        List<Map<String, Object>> policies = ofKind(objects, "ValidatingAdmissionPolicy");
        List<Map<String, Object>> bindings = ofKind(objects, "ValidatingAdmissionPolicyBinding");
        assertThat(policies).hasSize(Rule.values().length * 3).hasSameSizeAs(expected);
        assertThat(bindings).hasSameSizeAs(expected);
        for (AdmissionPolicy policy : expected) {
            assertThat(withoutLabels(byName(policies, policy.name()))).as(policy.name()).isEqualTo(policy.manifest());
            assertThat(withoutLabels(byName(bindings, policy.bindingName()))).as(policy.bindingName()).isEqualTo(policy.binding());
        }
        assertThat(policies.toString()).contains("system:serviceaccount:security:guard", "system:serviceaccount:tls:cert-manager")
                .doesNotContain("__");
    }

    @Test
    void clustersOlderThan130AreRefusedWithAClearMessage() {
        assertThatThrownBy(() -> render("vigil", "vigil-system", "admission.enabled", "true", "kubeVersionOverride", "1.29.4"))
                .hasMessageContaining("admission.enabled=true needs Kubernetes 1.30 or newer")
                .hasMessageContaining("1.29.4");
        assertThat(ofKind(render("vigil", "vigil-system", "admission.enabled", "true", "kubeVersionOverride", "1.30.0-eks-1"),
                "ValidatingAdmissionPolicy")).isNotEmpty();
    }

    @Test
    void valuesSchemaCoversAdmission() {
        assertThatThrownBy(() -> render("vigil", "vigil-system", "admission.enable", "true")).hasMessageContaining("enable");
        // A username reaches a CEL string literal: nothing that could end the quote.
        assertThatThrownBy(() -> render("vigil", "vigil-system", "admission.certManagerUsername", "x' || true || '"))
                .isInstanceOf(RuntimeException.class);
    }

    @Test
    void chartFilesAreTheClasspathPoliciesByteForByte() throws IOException {
        Path dir = HelmChartTest.CHART.resolve("files/admission");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
                    .isEqualTo(Stream.of(Rule.values()).map(Rule::fileName).sorted().toList());
        }
        for (Rule rule : Rule.values()) {
            assertThat(Files.readString(dir.resolve(rule.fileName()))).as(rule.fileName()).isEqualTo(ShippedPolicies.source(rule));
        }
    }

    private static Map<String, Object> byName(List<Map<String, Object>> objects, String name) {
        return objects.stream().filter(o -> name.equals(((Map<?, ?>) o.get("metadata")).get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("not rendered: " + name));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> withoutLabels(Map<String, Object> object) {
        Map<String, Object> copy = new LinkedHashMap<>(object);
        Map<String, Object> metadata = new LinkedHashMap<>((Map<String, Object>) copy.get("metadata"));
        assertThat(metadata.get("labels")).as("chart labels").isNotNull();
        metadata.remove("labels");
        copy.put("metadata", metadata);
        return copy;
    }
}
