package dev.vigil.admission;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The background audit as a unit: existing objects + a baseline → violations, with the author inferred. */
class AuditSweepTest {

    static final AuditSweep SWEEP = new AuditSweep(AdmissionPolicyTest.SHIPPED, AdmissionCases.INSTALL);
    static final String SEALED_UID = "6d1c1a57-93a4-4c3e-9d57-0c8d2a1f7e11";

    @Test
    void existingObjectsAreJudgedAsIfCreatedNow() {
        List<Map<String, Object>> objects = List.of(
                AdmissionCases.manifest("secret-by-hand.yaml"),
                AdmissionCases.manifest("secret-from-sealedsecret.yaml"),
                AdmissionCases.manifest("secret-cert-manager.yaml"),
                AdmissionCases.manifest("secret-helm-release.yaml"),
                AdmissionCases.manifest("secret-service-account-token.yaml"),
                AdmissionCases.manifest("secret-exempt-label.yaml"),
                AdmissionCases.manifest("ingress-tls.yaml"),
                AdmissionCases.manifest("ingress-wildcard.yaml"),
                AdmissionCases.manifest("ingress-admin-without-tls.yaml"),
                AdmissionCases.manifest("ingress-ssl-redirect-off.yaml"));
        List<Violation> violations = SWEEP.sweep(AdmissionCases.baseline(Mode.Warn, s -> { }), objects,
                Map.of("api-token", SEALED_UID));
        assertThat(violations).extracting(v -> v.kind() + "/" + v.name() + " " + v.rule().id() + " " + v.mode())
                .containsExactly("Secret/db-credentials secrets-from-git Warn", "Ingress/admin tls-for-every-host Warn",
                        "Ingress/checkout no-downgrade-switches Warn");
        assertThat(violations).allSatisfy(v -> assertThat(v.baseline()).isEqualTo("web"))
                .allSatisfy(v -> assertThat(v.message()).doesNotContain("aHVudGVyMg==", "czNjcjN0"));
    }

    @Test
    void aManagedByLabelOrAnotherSealedSecretsUidIsNotVigil() {
        Map<String, Object> secret = AdmissionCases.manifest("secret-from-sealedsecret.yaml");
        assertThat(SWEEP.sweep(AdmissionCases.baseline(Mode.Deny, s -> { }), List.of(secret), Map.of())).hasSize(1);
        assertThat(SWEEP.sweep(AdmissionCases.baseline(Mode.Deny, s -> { }), List.of(secret),
                Map.of("api-token", "00000000-0000-0000-0000-000000000000"))).hasSize(1);
        assertThat(SWEEP.sweep(AdmissionCases.baseline(Mode.Deny, s -> { }), List.of(secret), Map.of("api-token", SEALED_UID))).isEmpty();
    }

    @Test
    void secretValuesAreBlankedBeforeEvaluation() {
        Map<String, Object> blanked = AuditSweep.withoutValues(AdmissionCases.manifest("secret-by-hand.yaml"));
        assertThat(blanked.get("data")).isEqualTo(Map.of("password", ""));
    }

    @Test
    void objectsOfOtherNamespacesAndBaselinesWithoutEnforcementYieldNothing() {
        Map<String, Object> elsewhere = AdmissionCases.edit(AdmissionCases.manifest("secret-by-hand.yaml"),
                m -> AdmissionCases.meta(m).put("namespace", "payments"));
        assertThat(SWEEP.sweep(AdmissionCases.baseline(Mode.Deny, s -> { }), List.of(elsewhere), Map.of())).isEmpty();
        assertThat(SWEEP.sweep(AdmissionCases.baseline(Mode.Deny, s -> s.remove("enforcement")),
                List.of(AdmissionCases.manifest("secret-by-hand.yaml")), Map.of())).isEmpty();
    }
}
