package dev.vigil.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code spec.requirements.secrets} read into {@link SecretRules}: ages in days or hours, bad ones a problem, unset not judged. */
class SecretRulesTest {

    static final BaselinePolicy.Limits LIMITS = new BaselinePolicy.Limits(Duration.ofMinutes(1), Duration.ofSeconds(60));

    static BaselinePolicy policy(String maxAge, Boolean sealedOnly) {
        SecurityBaseline b = new SecurityBaseline();
        b.getMetadata().setNamespace("shop");
        b.getMetadata().setName("web");
        b.setSpec(new SecurityBaselineSpec());
        if (maxAge != null || sealedOnly != null) {
            b.getSpec().requirements.secrets = new SecretRequirements();
            b.getSpec().requirements.secrets.maxDocumentAge = maxAge;
            b.getSpec().requirements.secrets.sealedSecretsOnly = sealedOnly;
        }
        b.getSpec().enforcement = new Enforcement();
        b.getSpec().enforcement.exemptSecrets = new LabelSelectorBuilder().addToMatchLabels("vigil.dev/exempt", "true").build();
        return BaselinePolicy.from(b, LIMITS, false);
    }

    @Test
    void unsetJudgesNothing() {
        assertThat(policy(null, null).secrets().judged()).isFalse();
        assertThat(policy(null, false).secrets().judged()).isFalse();
    }

    @Test
    void agesInDaysAndHours() {
        assertThat(policy("90d", null).secrets().maxDocumentAge()).contains(Duration.ofDays(90));
        assertThat(policy("2160h", null).secrets().maxDocumentAge()).contains(Duration.ofDays(90));
        assertThat(policy("1d12h", null).secrets().maxDocumentAge()).contains(Duration.ofHours(36));
        assertThat(policy("90d", null).secrets().sealedSecretsOnly()).isFalse();
    }

    @Test
    void aBadAgeIsAProblem() {
        BaselinePolicy bad = policy("three months", null);
        assertThat(bad.valid()).isFalse();
        assertThat(bad.problems()).containsExactly("requirements.secrets.maxDocumentAge: three months is not an age like 90d, 2160h");
        assertThat(policy("0d", null).valid()).isFalse();
    }

    @Test
    void sealedSecretsOnlyCarriesTheEnforcementExemption() {
        SecretRules rules = policy(null, true).secrets();
        assertThat(rules.judged()).isTrue();
        assertThat(rules.exemptSecrets()).hasValueSatisfying(s -> assertThat(s.getMatchLabels()).containsKey("vigil.dev/exempt"));
    }
}
