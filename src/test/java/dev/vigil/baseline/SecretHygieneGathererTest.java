package dev.vigil.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.grade.service.SecretHygiene;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The Secret listing of {@code sealedSecretsOnly} on Fabric8's mock API server: bounded per namespace (and said so),
 * reused for a while across reconciles, read only for the namespaces given, and never keeping a value.
 */
@EnableKubernetesMockClient(crud = true)
class SecretHygieneGathererTest {

    static final Instant T0 = Instant.parse("2026-12-05T06:00:00Z");
    static final SecretRules SEALED_ONLY = new SecretRules(Optional.empty(), true, Optional.empty());

    KubernetesClient client;

    void secret(String namespace, String name) {
        client.resource(new SecretBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .addToStringData("password", "value-of-" + name).build()).create();
    }

    @Test
    void theListingIsBoundedAndTheCutIsSaid() {
        for (String name : List.of("a", "b", "c")) {
            secret("shop", name);
        }
        var gathered = new SecretHygieneGatherer(client, 2).gather(SEALED_ONLY, Set.of("shop"), List.of(), T0);
        SecretHygiene.Source source = gathered.of("shop").source().orElseThrow();
        assertThat(source.checked()).isEqualTo(2);
        assertThat(source.truncated()).isTrue();
        assertThat(gathered.truncated()).containsExactly("shop");
        assertThat(gathered.secretsChecked()).isEqualTo(2);
    }

    @Test
    void aListingServesForAWhileThenIsReadAgain() {
        secret("shop", "a");
        SecretHygieneGatherer gatherer = new SecretHygieneGatherer(client, 500);
        assertThat(gatherer.gather(SEALED_ONLY, Set.of("shop"), List.of(), T0).secretsChecked()).isEqualTo(1);
        secret("shop", "b");
        assertThat(gatherer.gather(SEALED_ONLY, Set.of("shop"), List.of(), T0.plusSeconds(10)).secretsChecked())
                .as("reused within %s", SecretHygieneGatherer.LISTING_REUSE).isEqualTo(1);
        var later = gatherer.gather(SEALED_ONLY, Set.of("shop"), List.of(), T0.plus(SecretHygieneGatherer.LISTING_REUSE));
        assertThat(later.secretsChecked()).isEqualTo(2);
        assertThat(later.of("shop").source().orElseThrow().notFromGit()).containsExactly("a", "b");
        assertThat(later.of("shop").source().orElseThrow().truncated()).isFalse();
    }

    @Test
    void onlyTheGivenNamespacesAreReadAndNoValueIsKept() {
        secret("shop", "mine");
        secret("payments", "theirs");
        var gathered = new SecretHygieneGatherer(client, 500).gather(SEALED_ONLY, Set.of("shop"), List.of(), T0);
        assertThat(gathered.findings()).extracting(SecretHygieneGatherer.Finding::name).containsExactly("mine");
        assertThat(gathered.byNamespace()).containsOnlyKeys("shop");
        assertThat(gathered.toString()).doesNotContain("value-of-");
    }

    @Test
    void nothingRequiredReadsNothing() {
        secret("shop", "a");
        var gathered = new SecretHygieneGatherer(client, 500).gather(SecretRules.NONE, Set.of("shop"), List.of(), T0);
        assertThat(gathered).isSameAs(SecretHygieneGatherer.Gathered.NONE);
        assertThat(Duration.ofSeconds(30)).isEqualTo(SecretHygieneGatherer.LISTING_REUSE);
    }
}
