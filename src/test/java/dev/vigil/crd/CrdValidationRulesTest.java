package dev.vigil.crd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.admission.AdmissionPolicy;
import dev.vigil.admission.Install;
import dev.vigil.admission.KubernetesCel;
import dev.vigil.admission.ShippedPolicies;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The CEL rules in the checked-in CRDs ({@code x-kubernetes-validations}), compiled with the same CEL as the
 * admission policies and run on valid and invalid custom resources, the way the API server applies them
 * (each rule with {@code self} bound to the node it sits on). Every rule must have a valid example and an
 * invalid one that trips exactly it, so a new rule without examples fails here. And the admission policies
 * may only read SecurityBaseline fields the CRD has: the API server type-checks {@code params} against it.
 */
class CrdValidationRulesTest {

    static final KubernetesCel CEL = KubernetesCel.crdRules();

    record Site(String crd, String path, String rule, String message) {
    }

    record Example(String crd, String message, String valid, String invalid) {
    }

    static final List<Example> EXAMPLES = List.of(
            new Example("sealedsecrets.vigil.dev-v1.yml", "binaryKey is required when format is binary", """
                    apiVersion: vigil.dev/v1alpha1
                    kind: SealedSecret
                    metadata: {name: tls-bundle, namespace: shop}
                    spec: {document: "{}", format: binary, binaryKey: bundle.p12}
                    """, """
                    apiVersion: vigil.dev/v1alpha1
                    kind: SealedSecret
                    metadata: {name: tls-bundle, namespace: shop}
                    spec: {document: "{}", format: binary}
                    """),
            new Example("securitybaselines.vigil.dev-v1.yml", "reason must explain the accepted risk (at least 10 characters)", """
                    apiVersion: vigil.dev/v1alpha1
                    kind: SecurityBaseline
                    metadata: {name: web, namespace: shop}
                    spec:
                      exceptions:
                        - {hosts: [blog.example.com], control: cookies, reason: legacy CMS session cookie, owner: blog, expires: "2099-01-01"}
                    """, """
                    apiVersion: vigil.dev/v1alpha1
                    kind: SecurityBaseline
                    metadata: {name: web, namespace: shop}
                    spec:
                      exceptions:
                        - {hosts: [blog.example.com], control: cookies, reason: legacy CMS session cookie, owner: blog, expires: "2099-01-01"}
                        - {hosts: [www.example.com], control: cookies, reason: "n/a", owner: blog, expires: "2099-01-01"}
                    """),
            new Example("securitybaselines.vigil.dev-v1.yml",
                    "exemptSecrets must select by at least one label; an empty selector would exempt every Secret", """
                    apiVersion: vigil.dev/v1alpha1
                    kind: SecurityBaseline
                    metadata: {name: web, namespace: shop}
                    spec:
                      enforcement:
                        secrets: SealedSecretsOnly
                        exemptSecrets: {matchExpressions: [{key: team, operator: Exists}]}
                    """, """
                    apiVersion: vigil.dev/v1alpha1
                    kind: SecurityBaseline
                    metadata: {name: web, namespace: shop}
                    spec:
                      enforcement:
                        secrets: SealedSecretsOnly
                        exemptSecrets: {matchLabels: {}}
                    """),
            new Example("securitybaselines.vigil.dev-v1.yml", "unknown HTTP Observatory algorithm", """
                    apiVersion: vigil.dev/v1alpha1
                    kind: SecurityBaseline
                    metadata: {name: web, namespace: shop}
                    spec: {requirements: {observatoryAlgorithm: 6}}
                    """, """
                    apiVersion: vigil.dev/v1alpha1
                    kind: SecurityBaseline
                    metadata: {name: web, namespace: shop}
                    spec: {requirements: {observatoryAlgorithm: 3}}
                    """),
            new Example("securitybaselines.vigil.dev-v1.yml", "interval must be at least 1s", """
                    apiVersion: vigil.dev/v1alpha1
                    kind: SecurityBaseline
                    metadata: {name: web, namespace: shop}
                    spec: {schedule: {interval: 1h30m}}
                    """, """
                    apiVersion: vigil.dev/v1alpha1
                    kind: SecurityBaseline
                    metadata: {name: web, namespace: shop}
                    spec: {schedule: {interval: 500ms}}
                    """),
            new Example("securitybaselines.vigil.dev-v1.yml", "timeout must be between 1s and 10m", """
                    apiVersion: vigil.dev/v1alpha1
                    kind: SecurityBaseline
                    metadata: {name: web, namespace: shop}
                    spec: {schedule: {timeout: 45s}}
                    """, """
                    apiVersion: vigil.dev/v1alpha1
                    kind: SecurityBaseline
                    metadata: {name: web, namespace: shop}
                    spec: {schedule: {timeout: 1h}}
                    """));

    @Test
    void everyCrdRuleCompilesAndHasAValidAndAnInvalidExample() throws IOException {
        List<Site> sites = sites();
        assertThat(sites).hasSizeGreaterThanOrEqualTo(3);
        for (Site site : sites) {
            CEL.compile(site.rule());
            assertThat(EXAMPLES).as("examples for " + site)
                    .anyMatch(e -> e.crd().equals(site.crd()) && e.message().equals(site.message()));
        }
        for (Example example : EXAMPLES) {
            Map<String, Object> schema = schema(example.crd());
            assertThat(violations(schema, load(example.valid()), "")).as("valid example for " + example.message()).isEmpty();
            assertThat(violations(schema, load(example.invalid()), "")).as("invalid example")
                    .containsExactly(example.message());
        }
    }

    /** {@code params.a.b.c} chains in the shipped policies name fields the SecurityBaseline schema has. */
    @Test
    void policiesReadOnlyBaselineFieldsTheCrdDeclares() throws IOException {
        Map<String, Object> schema = schema("securitybaselines.vigil.dev-v1.yml");
        Pattern chain = Pattern.compile("params((?:\\.[A-Za-z][A-Za-z0-9]*)+)");
        List<String> unknown = new ArrayList<>();
        int checked = 0;
        for (AdmissionPolicy policy : ShippedPolicies.render(Install.defaults())) {
            List<String> sources = new ArrayList<>();
            policy.matchConditions().forEach(c -> sources.add(c.expression()));
            policy.variables().forEach(v -> sources.add(v.expression()));
            policy.validations().forEach(v -> {
                sources.add(v.expression());
                sources.add(v.messageExpression());
            });
            for (String source : sources) {
                Matcher m = chain.matcher(source == null ? "" : source);
                while (m.find()) {
                    checked++;
                    String fields = m.group(1).substring(1);
                    if (m.end() < source.length() && source.charAt(m.end()) == '(') {
                        fields = fields.contains(".") ? fields.substring(0, fields.lastIndexOf('.')) : ""; // a method call
                    }
                    if (!declared(schema, fields.split("\\."))) {
                        unknown.add(policy.name() + ": params" + m.group(1));
                    }
                }
            }
        }
        assertThat(checked).isGreaterThan(20);
        assertThat(unknown).isEmpty();
    }

    @SuppressWarnings("unchecked")
    static boolean declared(Map<String, Object> schema, String[] path) {
        Map<String, Object> node = schema;
        for (String field : path) {
            if (field.equals("metadata") && node == schema) {
                return true; // ObjectMeta: name, namespace, labels … are always there
            }
            Map<String, Object> properties = (Map<String, Object>) node.get("properties");
            if (properties == null || !properties.containsKey(field)) {
                return false;
            }
            node = (Map<String, Object>) properties.get(field);
        }
        return true;
    }

    static List<Site> sites() throws IOException {
        List<Site> sites = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("crds"))) {
            for (Path file : files.sorted().toList()) {
                collect(file.getFileName().toString(), schema(file.getFileName().toString()), "", sites);
            }
        }
        return sites;
    }

    @SuppressWarnings("unchecked")
    private static void collect(String crd, Map<String, Object> schema, String path, List<Site> sites) {
        for (Map<String, Object> rule : (List<Map<String, Object>>) schema.getOrDefault("x-kubernetes-validations", List.of())) {
            sites.add(new Site(crd, path, (String) rule.get("rule"), (String) rule.get("message")));
        }
        ((Map<String, Map<String, Object>>) schema.getOrDefault("properties", Map.of()))
                .forEach((name, child) -> collect(crd, child, path + "." + name, sites));
        if (schema.get("items") instanceof Map<?, ?> items) {
            collect(crd, (Map<String, Object>) items, path + "[]", sites);
        }
        if (schema.get("additionalProperties") instanceof Map<?, ?> values) {
            collect(crd, (Map<String, Object>) values, path + "{}", sites);
        }
    }

    /** Applies every rule of the schema to the matching nodes of the value; returns the messages of failed rules. */
    @SuppressWarnings("unchecked")
    static List<String> violations(Map<String, Object> schema, Object value, String path) {
        List<String> failed = new ArrayList<>();
        if (value == null) {
            return failed;
        }
        for (Map<String, Object> rule : (List<Map<String, Object>>) schema.getOrDefault("x-kubernetes-validations", List.of())) {
            Map<String, Object> bindings = new LinkedHashMap<>();
            bindings.put("self", value);
            try {
                if (!Boolean.TRUE.equals(CEL.evaluate(CEL.compile((String) rule.get("rule")), bindings))) {
                    failed.add((String) rule.get("message"));
                }
            } catch (KubernetesCel.EvaluationError e) {
                failed.add(path + ": " + e.getMessage());
            }
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Map<String, Object>> properties = (Map<String, Map<String, Object>>) schema.getOrDefault("properties", Map.of());
            properties.forEach((name, child) -> failed.addAll(violations(child, map.get(name), path + "." + name)));
            if (schema.get("additionalProperties") instanceof Map<?, ?> values) {
                map.forEach((k, v) -> failed.addAll(violations((Map<String, Object>) values, v, path + "." + k)));
            }
        }
        if (value instanceof List<?> list && schema.get("items") instanceof Map<?, ?> items) {
            for (int i = 0; i < list.size(); i++) {
                failed.addAll(violations((Map<String, Object>) items, list.get(i), path + "[" + i + "]"));
            }
        }
        return failed;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> schema(String crdFile) throws IOException {
        Map<String, Object> crd = load(Files.readString(Path.of("crds", crdFile)));
        Map<String, Object> spec = (Map<String, Object>) crd.get("spec");
        Map<String, Object> version = ((List<Map<String, Object>>) spec.get("versions")).get(0);
        return (Map<String, Object>) ((Map<String, Object>) version.get("schema")).get("openAPIV3Schema");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> load(String yaml) {
        return (Map<String, Object>) new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
    }
}
