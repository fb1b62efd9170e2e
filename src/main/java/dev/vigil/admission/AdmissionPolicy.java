package dev.vigil.admission;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One rendered ValidatingAdmissionPolicy (one rule in one mode) with its binding, as plain data: what the
 * API server would load, read back from the manifest.
 *
 * @param manifest the policy object as the chart renders it, less the chart's labels
 */
public record AdmissionPolicy(String name, Rule rule, Mode mode, String failurePolicy, List<ResourceRule> resourceRules,
        List<NamedExpression> matchConditions, List<NamedExpression> variables, List<Validation> validations,
        Map<String, Object> manifest) {

    public record ResourceRule(List<String> apiGroups, List<String> apiVersions, List<String> operations,
            List<String> resources) {
        boolean matches(AdmissionRequest request) {
            return matches(apiGroups, request.group()) && matches(apiVersions, request.version())
                    && matches(operations, request.operation()) && matches(resources, request.resource());
        }

        private static boolean matches(List<String> allowed, String value) {
            return allowed.contains("*") || allowed.contains(value);
        }
    }

    public record NamedExpression(String name, String expression) {
    }

    public record Validation(String expression, String message, String messageExpression, String reason) {
    }

    /** The binding is named like its policy. */
    public String bindingName() {
        return name;
    }

    public boolean matches(AdmissionRequest request) {
        return resourceRules.stream().anyMatch(r -> r.matches(request));
    }

    /**
     * The ValidatingAdmissionPolicyBinding: the mode's validationActions, and the SecurityBaselines of the
     * request's namespace as parameters; a namespace without one is not checked.
     */
    public Map<String, Object> binding() {
        Map<String, Object> paramRef = new LinkedHashMap<>();
        paramRef.put("selector", Map.of());
        paramRef.put("parameterNotFoundAction", "Allow");
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("policyName", name);
        spec.put("validationActions", mode.validationActions());
        spec.put("paramRef", paramRef);
        Map<String, Object> binding = new LinkedHashMap<>();
        binding.put("apiVersion", "admissionregistration.k8s.io/v1");
        binding.put("kind", "ValidatingAdmissionPolicyBinding");
        binding.put("metadata", Map.of("name", bindingName()));
        binding.put("spec", spec);
        return binding;
    }

    /** Reads a policy manifest; throws IllegalArgumentException naming what is missing. */
    @SuppressWarnings("unchecked")
    static AdmissionPolicy fromManifest(Rule rule, Mode mode, Map<String, Object> manifest) {
        Map<String, Object> metadata = (Map<String, Object>) require(manifest, "metadata");
        Map<String, Object> spec = (Map<String, Object>) require(manifest, "spec");
        Map<String, Object> constraints = (Map<String, Object>) require(spec, "matchConstraints");
        List<ResourceRule> resourceRules = ((List<Map<String, Object>>) require(constraints, "resourceRules")).stream()
                .map(r -> new ResourceRule(strings(r, "apiGroups"), strings(r, "apiVersions"), strings(r, "operations"),
                        strings(r, "resources")))
                .toList();
        return new AdmissionPolicy((String) require(metadata, "name"), rule, mode,
                (String) spec.getOrDefault("failurePolicy", "Fail"), resourceRules,
                named(spec, "matchConditions"), named(spec, "variables"),
                ((List<Map<String, Object>>) spec.getOrDefault("validations", List.of())).stream()
                        .map(v -> new Validation((String) require(v, "expression"), (String) v.get("message"),
                                (String) v.get("messageExpression"), (String) v.get("reason")))
                        .toList(),
                manifest);
    }

    @SuppressWarnings("unchecked")
    private static List<NamedExpression> named(Map<String, Object> spec, String key) {
        return ((List<Map<String, Object>>) spec.getOrDefault(key, List.of())).stream()
                .map(m -> new NamedExpression((String) require(m, "name"), (String) require(m, "expression")))
                .toList();
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Map<String, Object> map, String key) {
        return List.copyOf((List<String>) require(map, key));
    }

    private static Object require(Map<String, Object> map, String key) {
        Object value = map.get(key);
        if (value == null) {
            throw new IllegalArgumentException("policy field " + key + " is missing");
        }
        return value;
    }
}
