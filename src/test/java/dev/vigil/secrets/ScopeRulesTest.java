package dev.vigil.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.secrets.ScopeRules.Binding;
import dev.vigil.secrets.ScopeRules.OpeningKey;
import dev.vigil.secrets.ScopeRules.Verdict;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ScopeRulesTest {

    static final List<OpeningKey> EVERY_NAMESPACE_KEY = List.of(new OpeningKey("cluster/key.agekey", false));
    static final List<OpeningKey> TEAM_KEY = List.of(new OpeningKey("team/key.agekey", true));

    static Binding bound(String namespace, String name) {
        return new Binding(Optional.ofNullable(namespace), Optional.ofNullable(name), List.of());
    }

    @Test
    void aBindingMustNameTheTarget() {
        assertThat(ScopeRules.decide(bound("shop", "db"), EVERY_NAMESPACE_KEY, "shop", "db", false).verdict()).isEqualTo(Verdict.BOUND);
        assertThat(ScopeRules.decide(bound("shop", null), EVERY_NAMESPACE_KEY, "shop", "any", false).verdict()).isEqualTo(Verdict.BOUND);
        var otherNamespace = ScopeRules.decide(bound("shop", "db"), TEAM_KEY, "evil", "db", true);
        assertThat(otherNamespace.verdict()).isEqualTo(Verdict.SCOPE_MISMATCH);
        assertThat(otherNamespace.message()).contains("evil").doesNotContain("shop");
        var otherName = ScopeRules.decide(bound("shop", "db"), TEAM_KEY, "shop", "other", true);
        assertThat(otherName.verdict()).isEqualTo(Verdict.SCOPE_MISMATCH);
        assertThat(otherName.message()).doesNotContain("db");
    }

    @Test
    void unboundDocumentsNeedARestrictedKeyOrTheSetting() {
        Binding none = Binding.NONE;
        assertThat(ScopeRules.decide(none, EVERY_NAMESPACE_KEY, "shop", "db", false).verdict()).isEqualTo(Verdict.UNBOUND);
        assertThat(ScopeRules.decide(none, TEAM_KEY, "shop", "db", false).verdict()).isEqualTo(Verdict.UNBOUND_RESTRICTED_KEY);
        assertThat(ScopeRules.decide(none, EVERY_NAMESPACE_KEY, "shop", "db", true).verdict()).isEqualTo(Verdict.UNBOUND_ALLOWED);
        // Shamir: every key that opened a share must be restricted.
        List<OpeningKey> mixed = List.of(TEAM_KEY.get(0), EVERY_NAMESPACE_KEY.get(0));
        assertThat(ScopeRules.decide(none, mixed, "shop", "db", false).verdict()).isEqualTo(Verdict.UNBOUND);
        assertThat(ScopeRules.decide(none, List.of(), "shop", "db", false).verdict()).isEqualTo(Verdict.UNBOUND);
        // A name-only binding still leaves the namespace open.
        assertThat(ScopeRules.decide(bound(null, "db"), EVERY_NAMESPACE_KEY, "shop", "db", false).verdict()).isEqualTo(Verdict.UNBOUND);
    }

    @Test
    void clearTextBindingIsNamedInTheUnboundMessage() {
        var decision = ScopeRules.decide(new Binding(Optional.empty(), Optional.empty(), List.of("metadata.namespace")),
                EVERY_NAMESPACE_KEY, "shop", "db", false);
        assertThat(decision.verdict()).isEqualTo(Verdict.UNBOUND);
        assertThat(decision.verdict().outcome()).isEqualTo(Outcome.Unbound);
        assertThat(decision.message()).contains("metadata.namespace is clear text").contains("cluster/key.agekey")
                .contains(ScopeRules.BINDING_RECIPE_REGEX);
    }
}
