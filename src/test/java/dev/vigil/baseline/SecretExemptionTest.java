package dev.vigil.baseline;

import static dev.vigil.admission.AdmissionCases.edit;
import static dev.vigil.admission.AdmissionCases.labels;
import static dev.vigil.admission.AdmissionCases.manifest;
import static dev.vigil.admission.AdmissionCases.meta;
import static dev.vigil.admission.AdmissionCases.spec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.admission.AdmissionRequest;
import dev.vigil.admission.Install;
import dev.vigil.admission.PolicyEvaluator;
import dev.vigil.admission.Verdict;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The runtime {@code secret-source} control and the admission rule {@code secrets-from-git} exempt the same Secrets:
 * each Secret of the table is sent through the shipped CEL rule (Google's CEL, as the API server runs it, with the
 * writer that would create it) and through {@link SecretExemption}, and the answers must agree. The Secrets are the
 * admission tests' manifests ({@code src/test/resources/admission/manifests/}), and the baseline is theirs too.
 */
class SecretExemptionTest {

    static final Install INSTALL = Install.defaults();
    static final String ALICE = "alice@example.com";
    static final PolicyEvaluator RULES = PolicyEvaluator.shipped(INSTALL);
    /** The SealedSecret that owns {@code secret-from-sealedsecret.yaml}'s Secret (its owner reference's UID). */
    static final Map<String, String> SEALED_SECRETS = Map.of("api-token", "6d1c1a57-93a4-4c3e-9d57-0c8d2a1f7e11");

    /** @param writer who creates the Secret: Vigil, cert-manager or a user (admission sees it; a Secret at rest does not) */
    record Row(String name, Map<String, Object> secret, String writer, Map<String, Object> baseline) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Row> table() {
        List<Row> rows = new ArrayList<>();
        Map<String, Object> base = manifest("baseline-deny.yaml");
        rows.add(new Row("hand-made Secret", manifest("secret-by-hand.yaml"), ALICE, base));
        rows.add(new Row("Secret Vigil writes from its SealedSecret", manifest("secret-from-sealedsecret.yaml"),
                INSTALL.vigilUsername(), base));
        rows.add(new Row("service-account token", manifest("secret-service-account-token.yaml"), ALICE, base));
        rows.add(new Row("attack: data smuggled in a service-account token", edit(manifest("secret-service-account-token.yaml"),
                m -> m.put("data", Map.of("token", "dG9r", "password", "aHVudGVyMg=="))), ALICE, base));
        rows.add(new Row("Helm release record", manifest("secret-helm-release.yaml"), ALICE, base));
        rows.add(new Row("attack: Helm release type under another name", edit(manifest("secret-helm-release.yaml"),
                m -> meta(m).put("name", "db-credentials")), ALICE, base));
        rows.add(new Row("attack: Helm release record with extra keys", edit(manifest("secret-helm-release.yaml"),
                m -> m.put("data", Map.of("release", "cmVs", "password", "aHVudGVyMg=="))), ALICE, base));
        rows.add(new Row("cert-manager's TLS Secret", manifest("secret-cert-manager.yaml"), INSTALL.certManagerUsername(), base));
        rows.add(new Row("label-exempt Secret", manifest("secret-exempt-label.yaml"), ALICE, base));
        rows.add(new Row("exempt label with another value", edit(manifest("secret-exempt-label.yaml"),
                m -> labels(m).put("vigil.dev/exempt", "false")), ALICE, base));
        rows.add(new Row("attack: empty exemptSecrets selector exempts nothing", manifest("secret-exempt-label.yaml"), ALICE,
                edit(manifest("baseline-deny.yaml"), b -> enforcement(b).put("exemptSecrets", new LinkedHashMap<>()))));
        rows.add(new Row("exemptSecrets by DoesNotExist", manifest("secret-by-hand.yaml"), ALICE,
                edit(manifest("baseline-deny.yaml"), b -> enforcement(b).put("exemptSecrets", Map.of("matchExpressions",
                        List.of(Map.of("key", "vigil.dev/exempt", "operator", "DoesNotExist")))))));
        rows.add(new Row("exemptSecrets by NotIn, not met", manifest("secret-exempt-label.yaml"), ALICE,
                edit(manifest("baseline-deny.yaml"), b -> enforcement(b).put("exemptSecrets", Map.of("matchExpressions",
                        List.of(Map.of("key", "vigil.dev/exempt", "operator", "NotIn", "values", List.of("true"))))))));
        rows.add(new Row("exemptSecrets by In", manifest("secret-exempt-label.yaml"), ALICE,
                edit(manifest("baseline-deny.yaml"), b -> enforcement(b).put("exemptSecrets", Map.of("matchExpressions",
                        List.of(Map.of("key", "vigil.dev/exempt", "operator", "In", "values", List.of("yes", "true"))))))));
        rows.add(new Row("attack: Vigil's label and an owner reference on a hand-made Secret of another name",
                edit(manifest("secret-from-sealedsecret.yaml"), m -> meta(m).put("name", "borrowed")), ALICE, base));
        return rows.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void theRuntimeControlExemptsExactlyWhatTheAdmissionRuleAllows(Row row) {
        Verdict verdict = RULES.evaluate(AdmissionRequest.of(row.secret(), null, row.writer(), "shop"), List.of(row.baseline()),
                null);
        assertThat(verdict.decisions()).as("evaluation errors").noneMatch(d -> d.error());
        boolean admitted = !verdict.denied();

        Optional<String> exemption = SecretExemption.of(facts(row.secret()), SEALED_SECRETS, exemptSecrets(row.baseline()));

        assertThat(exemption.isPresent()).as("runtime exemption %s vs admission %s", exemption,
                admitted ? "allowed" : verdict.denials()).isEqualTo(admitted);
    }

    @Test
    void theTableCoversEveryExemptionAndRefusals() {
        List<String> reasons = table().map(r -> SecretExemption.of(facts(r.secret()), SEALED_SECRETS, exemptSecrets(r.baseline()))
                .orElse("none")).distinct().toList();
        assertThat(reasons).contains(SecretExemption.FROM_SEALED_SECRET, SecretExemption.SERVICE_ACCOUNT_TOKEN,
                SecretExemption.HELM_RELEASE, SecretExemption.CERT_MANAGER, SecretExemption.EXEMPT_SELECTOR, "none");
    }

    /**
     * The one difference by nature (see {@link SecretExemption}): at rest a Secret does not say who wrote it, so the
     * runtime control takes cert-manager's annotation at its word; the admission rule refuses a user who copies it.
     */
    @Test
    void cert_managersAnnotationCopiedByAUserIsCaughtOnlyAtAdmission() {
        Map<String, Object> copied = manifest("secret-cert-manager.yaml");
        Map<String, Object> base = manifest("baseline-deny.yaml");
        assertThat(RULES.evaluate(AdmissionRequest.of(copied, null, ALICE, "shop"), List.of(base), null).denied()).isTrue();
        assertThat(SecretExemption.of(facts(copied), SEALED_SECRETS, exemptSecrets(base))).contains(SecretExemption.CERT_MANAGER);
    }

    @Test
    void factsKeepNoValue() {
        SecretFacts facts = facts(manifest("secret-by-hand.yaml"));
        Map<String, Object> secret = manifest("secret-by-hand.yaml");
        assertThat(facts.keys()).isNotEmpty();
        for (Object value : ((Map<?, ?>) secret.getOrDefault("stringData", secret.getOrDefault("data", Map.of()))).values()) {
            assertThat(facts.toString()).doesNotContain(String.valueOf(value));
        }
    }

    static SecretFacts facts(Map<String, Object> manifest) {
        return SecretFacts.of(Serialization.unmarshal(Serialization.asJson(manifest), Secret.class));
    }

    static Optional<LabelSelector> exemptSecrets(Map<String, Object> baseline) {
        SecurityBaseline b = Serialization.unmarshal(Serialization.asJson(baseline), SecurityBaseline.class);
        return Optional.ofNullable(b.getSpec().enforcement).map(e -> e.exemptSecrets);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> enforcement(Map<String, Object> baseline) {
        return (Map<String, Object>) spec(baseline).get("enforcement");
    }
}
