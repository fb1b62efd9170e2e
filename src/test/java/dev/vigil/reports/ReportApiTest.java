package dev.vigil.reports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.reports.ReportResult.Outcome;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A report written and read back is the same report; a report anyone edited is read for what parses, no more. */
class ReportApiTest {

    @Test
    void writtenAndReadBackIsTheSameReport() {
        NamespaceReport report = NamespaceReport.EMPTY.replace("shop/web", PolicyReportsTest.mixed("shop/web", "shop", "a.test"), 3);
        for (ReportApi api : List.of(ReportApi.WGPOLICYK8S, ReportApi.OPENREPORTS)) {
            GenericKubernetesResource written = api.toResource("shop", report, 3);
            assertThat(ReportApi.fromResource(written)).isEqualTo(report);
            assertThat(written.getMetadata().getAnnotations()).containsEntry(ReportApi.OMITTED, "2");
        }
    }

    @Test
    void resultsOfAPolicyWithoutAReadableTallyAreDropped() {
        GenericKubernetesResource forged = new GenericKubernetesResource();
        forged.setMetadata(new ObjectMetaBuilder().withName(ReportApi.NAME).withAnnotations(Map.of(ReportApi.TALLIES,
                "{\"shop/web\":{\"pass\":1,\"fail\":0,\"warn\":0,\"error\":0,\"skip\":0},\"other/fake\":{\"pass\":-5}}")).build());
        forged.getAdditionalProperties().put("results", List.of(
                Map.of("policy", "shop/web", "result", "pass", "rule", "https"),
                Map.of("policy", "other/fake", "result", "pass"),
                Map.of("policy", "shop/web", "result", "maybe"),
                Map.of("result", "fail"),
                "junk"));
        NamespaceReport read = ReportApi.fromResource(forged);
        assertThat(read.policies()).containsExactly("shop/web");
        assertThat(read.results()).singleElement().satisfies(r -> {
            assertThat(r.policy()).isEqualTo("shop/web");
            assertThat(r.result()).isEqualTo(Outcome.PASS);
        });

        forged.getMetadata().getAnnotations().put(ReportApi.TALLIES, "not json [");
        assertThat(ReportApi.fromResource(forged)).isEqualTo(NamespaceReport.EMPTY);
    }
}
