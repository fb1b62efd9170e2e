package dev.vigil.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.admission.AdmissionCases.Case;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shipped ValidatingAdmissionPolicies, evaluated with Google's CEL for Java the way the API server
 * evaluates them (matchConditions, variables, validations, messageExpression; object, oldObject, request,
 * params, namespaceObject bound) against real manifests — every rule × mode × exemption × exception.
 */
class AdmissionPolicyTest {

    static final PolicyEvaluator SHIPPED = PolicyEvaluator.shipped(AdmissionCases.INSTALL);

    static Stream<Case> cases() {
        return AdmissionCases.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void shippedPoliciesDecide(Case c) {
        Verdict verdict = SHIPPED.evaluate(c.request(), c.baselines(), namespace());
        assertThat(verdict.decisions()).as("evaluation errors").noneMatch(Decision::error);
        assertThat(outcome(verdict)).as(verdict.summary()).isEqualTo(c.expected());
        if (!c.expected().equals("allow")) {
            // One failure per baseline that the object violates.
            assertThat(verdict.decisions()).hasSize(c.baselines().size());
            Decision decision = verdict.denied() ? verdict.denials().get(0) : verdict.decisions().get(0);
            assertThat(decision.actions()).isEqualTo(decision.mode().validationActions());
            // The message names the rule, the baseline, the mode and the fix, and never a Secret's value.
            assertThat(decision.message())
                    .contains("vigil rule " + decision.rule().id(), "SecurityBaseline " + decision.baseline(),
                            "mode " + decision.mode(), "Fix:")
                    .doesNotContain("aHVudGVyMg==", "hunter2", "czNjcjN0");
            assertThat(decision.denial()).startsWith("ValidatingAdmissionPolicy 'vigil-" + decision.rule().id() + "-"
                    + decision.mode().suffix() + "' with binding ");
        }
    }

    @Test
    void messagesNameTheHostsAndAnnotations() {
        Verdict tls = SHIPPED.evaluate(AdmissionRequest.of(AdmissionCases.manifest("ingress-admin-without-tls.yaml"), null,
                AdmissionCases.ALICE, "shop"), List.of(AdmissionCases.baseline(Mode.Deny, s -> { })), null);
        assertThat(tls.summary()).isEqualTo("deny: Ingress admin serves admin.shop.example.com without TLS: SecurityBaseline web"
                + " (vigil rule tls-for-every-host, mode Deny) requires every rule host in spec.tls[].hosts. Fix: add the hosts"
                + " to spec.tls with a certificate Secret, or accept the risk with an exception for control https");
        Verdict redirect = SHIPPED.evaluate(AdmissionRequest.of(AdmissionCases.manifest("ingress-ssl-redirect-off.yaml"), null,
                AdmissionCases.ALICE, "shop"), List.of(AdmissionCases.baseline(Mode.Warn, s -> { })), null);
        assertThat(redirect.summary()).startsWith("warn: Ingress checkout turns off the HTTPS redirect"
                + " (nginx.ingress.kubernetes.io/ssl-redirect)");
        assertThat(redirect.warnings().get(0).warning()).startsWith(
                "Validation failed for ValidatingAdmissionPolicy 'vigil-no-downgrade-switches-warn' with binding"
                        + " 'vigil-no-downgrade-switches-warn': Ingress checkout");
    }

    /**
     * Each rule carries its weight: without it, the cases that expect it are let through. And each of its
     * matchConditions (the exemptions) is exercised: dropping one changes some case's outcome.
     */
    @Test
    void everyRuleAndExemptionIsLoadBearing() {
        List<Case> all = AdmissionCases.all().toList();
        for (Rule rule : Rule.values()) {
            List<AdmissionPolicy> without = ShippedPolicies.render(AdmissionCases.INSTALL).stream()
                    .filter(p -> p.rule() != rule).toList();
            List<Case> expecting = all.stream().filter(c -> c.expected().endsWith(":" + rule.id())).toList();
            assertThat(expecting).as(rule.id() + " cases").hasSizeGreaterThanOrEqualTo(3);
            PolicyEvaluator evaluator = new PolicyEvaluator(without);
            for (Case c : expecting) {
                assertThat(outcome(evaluator.evaluate(c.request(), c.baselines(), namespace()))).as(c.name()).isEqualTo("allow");
            }
            AdmissionPolicy sample = ShippedPolicies.render(rule, Mode.Deny, AdmissionCases.INSTALL, ShippedPolicies.source(rule));
            for (int i = 0; i < sample.matchConditions().size(); i++) {
                String condition = sample.matchConditions().get(i).name();
                PolicyEvaluator mutated = new PolicyEvaluator(withoutCondition(rule, i));
                List<String> changed = all.stream()
                        .filter(c -> !outcome(mutated.evaluate(c.request(), c.baselines(), namespace())).equals(c.expected()))
                        .map(Case::name).toList();
                assertThat(changed).as("no case notices when " + rule.id() + " loses matchCondition " + condition).isNotEmpty();
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static List<AdmissionPolicy> withoutCondition(Rule rule, int index) {
        List<AdmissionPolicy> policies = new ArrayList<>();
        for (AdmissionPolicy p : ShippedPolicies.render(AdmissionCases.INSTALL)) {
            if (p.rule() != rule) {
                policies.add(p);
                continue;
            }
            Map<String, Object> manifest = new LinkedHashMap<>(p.manifest());
            Map<String, Object> spec = new LinkedHashMap<>((Map<String, Object>) manifest.get("spec"));
            List<Object> conditions = new ArrayList<>((List<Object>) spec.get("matchConditions"));
            conditions.remove(index);
            spec.put("matchConditions", conditions);
            manifest.put("spec", spec);
            policies.add(AdmissionPolicy.fromManifest(rule, p.mode(), manifest));
        }
        return policies;
    }

    static String outcome(Verdict verdict) {
        if (verdict.decisions().isEmpty()) {
            return "allow";
        }
        Decision first = verdict.decisions().get(0);
        String kind = verdict.denied() ? "deny" : !verdict.warnings().isEmpty() ? "warn" : "audit";
        return kind + ":" + first.rule().id();
    }

    static Map<String, Object> namespace() {
        return Map.of("apiVersion", "v1", "kind", "Namespace", "metadata", Map.of("name", "shop"));
    }
}
