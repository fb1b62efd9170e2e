package dev.vigil.admission;

import com.google.protobuf.NullValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates ValidatingAdmissionPolicies the way the API server does, in process: resource rules, then
 * matchConditions (any false skips the policy), then for every SecurityBaseline in the request's namespace
 * (none: the binding's {@code parameterNotFoundAction: Allow}) the variables in order and every validation,
 * with messageExpression falling back to message. An expression that fails to evaluate follows the policy's
 * failurePolicy. Used by the tests, {@code vigil admission check} and the operator's background audit alike.
 */
public final class PolicyEvaluator {

    private record Compiled(AdmissionPolicy policy, List<KubernetesCel.Program> matchConditions,
            List<KubernetesCel.Program> variables, List<KubernetesCel.Program> validations,
            List<KubernetesCel.Program> messageExpressions) {
    }

    private final KubernetesCel cel = KubernetesCel.admission();
    private final List<Compiled> policies = new ArrayList<>();

    /** Compiles every expression up front; throws {@link KubernetesCel.InvalidExpression} naming the policy. */
    public PolicyEvaluator(List<AdmissionPolicy> policies) {
        for (AdmissionPolicy policy : policies) {
            this.policies.add(new Compiled(policy,
                    compile(policy, policy.matchConditions().stream().map(AdmissionPolicy.NamedExpression::expression).toList()),
                    compile(policy, policy.variables().stream().map(AdmissionPolicy.NamedExpression::expression).toList()),
                    compile(policy, policy.validations().stream().map(AdmissionPolicy.Validation::expression).toList()),
                    compile(policy, policy.validations().stream().map(v -> v.messageExpression() == null ? "''" : v.messageExpression())
                            .toList())));
        }
    }

    /** The shipped policies of one installation. */
    public static PolicyEvaluator shipped(Install install) {
        return new PolicyEvaluator(ShippedPolicies.render(install));
    }

    private List<KubernetesCel.Program> compile(AdmissionPolicy policy, List<String> sources) {
        List<KubernetesCel.Program> programs = new ArrayList<>();
        for (String source : sources) {
            try {
                programs.add(cel.compile(source));
            } catch (KubernetesCel.InvalidExpression e) {
                throw new KubernetesCel.InvalidExpression("policy " + policy.name() + ": " + e.getMessage());
            }
        }
        return programs;
    }

    /**
     * @param baselines SecurityBaselines as plain trees; only those in the request's namespace are parameters
     * @param namespaceObject the request's Namespace, or null
     */
    public Verdict evaluate(AdmissionRequest request, List<Map<String, Object>> baselines, Map<String, Object> namespaceObject) {
        List<Map<String, Object>> params = baselines.stream()
                .filter(b -> request.namespace() != null && request.namespace().equals(namespaceOf(b)))
                .toList();
        List<Decision> decisions = new ArrayList<>();
        for (Compiled compiled : policies) {
            AdmissionPolicy policy = compiled.policy();
            if (!policy.matches(request) || params.isEmpty()) {
                continue;
            }
            Map<String, Object> bindings = new HashMap<>();
            bindings.put("object", nullable(KubernetesCel.toCel(request.object())));
            bindings.put("oldObject", nullable(KubernetesCel.toCel(request.oldObject())));
            bindings.put("request", KubernetesCel.toCel(request.toCel()));
            bindings.put("namespaceObject", nullable(KubernetesCel.toCel(namespaceObject)));
            String conditionError = null;
            boolean skipped = false;
            for (int i = 0; i < compiled.matchConditions().size() && !skipped; i++) {
                try {
                    Object result = cel.evaluateConverted(compiled.matchConditions().get(i), bindings);
                    if (Boolean.FALSE.equals(result)) {
                        skipped = true;
                    } else if (!Boolean.TRUE.equals(result)) {
                        conditionError = conditionError != null ? conditionError
                                : "matchCondition " + policy.matchConditions().get(i).name() + " is not a bool";
                    }
                } catch (KubernetesCel.EvaluationError e) {
                    conditionError = conditionError != null ? conditionError
                            : "matchCondition " + policy.matchConditions().get(i).name() + " failed: " + e.getMessage();
                }
            }
            if (skipped) {
                continue;
            }
            for (Map<String, Object> param : params) {
                String baseline = nameOf(param);
                if (conditionError != null) {
                    failure(decisions, policy, baseline, conditionError);
                    continue;
                }
                evaluateWithParam(compiled, bindings, param, baseline, decisions);
            }
        }
        return new Verdict(request, List.copyOf(decisions));
    }

    private void evaluateWithParam(Compiled compiled, Map<String, Object> base, Map<String, Object> param, String baseline,
            List<Decision> decisions) {
        AdmissionPolicy policy = compiled.policy();
        Map<String, Object> bindings = new HashMap<>(base);
        bindings.put("params", KubernetesCel.toCel(param));
        Map<String, Object> variables = new LinkedHashMap<>();
        for (int i = 0; i < compiled.variables().size(); i++) {
            bindings.put("variables", variables);
            try {
                variables.put(policy.variables().get(i).name(), cel.evaluateConverted(compiled.variables().get(i), bindings));
            } catch (KubernetesCel.EvaluationError e) {
                failure(decisions, policy, baseline, "variable " + policy.variables().get(i).name() + " failed: " + e.getMessage());
                return;
            }
        }
        bindings.put("variables", variables);
        for (int i = 0; i < compiled.validations().size(); i++) {
            AdmissionPolicy.Validation validation = policy.validations().get(i);
            Object result;
            try {
                result = cel.evaluateConverted(compiled.validations().get(i), bindings);
            } catch (KubernetesCel.EvaluationError e) {
                failure(decisions, policy, baseline, "expression '" + validation.expression() + "' resulted in error: " + e.getMessage());
                continue;
            }
            if (Boolean.TRUE.equals(result)) {
                continue;
            }
            if (!Boolean.FALSE.equals(result)) {
                failure(decisions, policy, baseline, "expression '" + validation.expression() + "' did not evaluate to a bool");
                continue;
            }
            decisions.add(new Decision(policy.name(), policy.bindingName(), policy.rule(), policy.mode(), baseline,
                    policy.mode().validationActions(), message(compiled.messageExpressions().get(i), validation, bindings), false));
        }
    }

    /** messageExpression when it yields a non-empty single line, else message, else the API server's default. */
    private String message(KubernetesCel.Program messageExpression, AdmissionPolicy.Validation validation, Map<String, Object> bindings) {
        if (validation.messageExpression() != null) {
            try {
                if (cel.evaluateConverted(messageExpression, bindings) instanceof String text && !text.isBlank()
                        && !text.contains("\n")) {
                    return text;
                }
            } catch (KubernetesCel.EvaluationError e) {
                // The API server falls back to message as well.
            }
        }
        if (validation.message() != null && !validation.message().isBlank()) {
            return validation.message();
        }
        return "failed expression: " + validation.expression();
    }

    private static void failure(List<Decision> decisions, AdmissionPolicy policy, String baseline, String message) {
        if ("Fail".equals(policy.failurePolicy())) {
            decisions.add(new Decision(policy.name(), policy.bindingName(), policy.rule(), policy.mode(), baseline,
                    policy.mode().validationActions(), message, true));
        }
    }

    private static Object nullable(Object value) {
        return value == null ? NullValue.NULL_VALUE : value;
    }

    private static String namespaceOf(Map<String, Object> object) {
        return object.get("metadata") instanceof Map<?, ?> m && m.get("namespace") instanceof String s ? s : null;
    }

    private static String nameOf(Map<String, Object> object) {
        return object.get("metadata") instanceof Map<?, ?> m && m.get("name") instanceof String s ? s : "";
    }
}
