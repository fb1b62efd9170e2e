package dev.vigil.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.secrets.SealedSecret;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@code kubectl get vss -o wide}: how old each document in git is and whether only a retiring key still opens it,
 * so a key's last users and the documents due for rotation show without reading statuses one by one.
 */
class WideColumnsTest {

    @Test
    void wideOutputShowsTheDocumentsAgeAndWhetherOnlyARetiringKeyOpensIt() throws Exception {
        CustomResourceDefinition crd = Serialization.unmarshal(Files.readString(Path.of("crds", "sealedsecrets.vigil.dev-v1.yml")),
                CustomResourceDefinition.class);
        Map<String, CustomResourceColumnDefinition> wide = crd.getSpec().getVersions().get(0).getAdditionalPrinterColumns().stream()
                .filter(c -> c.getPriority() != null && c.getPriority() == 1)
                .collect(Collectors.toMap(CustomResourceColumnDefinition::getName, c -> c));
        assertThat(wide).containsKeys("Document", "Key-Retiring");

        SealedSecret sealed = new SealedSecret();
        sealed.getMetadata().setName("db");
        sealed.getStatus().lastModified = Instant.now().minus(Duration.ofDays(120)).toString();
        sealed.getStatus().conditions = List.of(new ConditionBuilder().withType("Ready").withStatus("True").build(),
                new ConditionBuilder().withType("KeyRetiring").withStatus("True").withReason("RetiringKey").build());
        JsonNode json = new ObjectMapper().valueToTree(sealed);

        JsonNode modified = ServerSideTables.evaluate(json, wide.get("Document").getJsonPath());
        assertThat(wide.get("Document").getType()).isEqualTo("date");
        assertThat(ServerSideTables.age(Instant.parse(modified.asText()))).isEqualTo("120d");
        assertThat(ServerSideTables.evaluate(json, wide.get("Key-Retiring").getJsonPath()).asText()).isEqualTo("True");
    }
}
