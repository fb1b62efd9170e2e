package dev.vigil.reports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.reports.ReportResult.Outcome;
import dev.vigil.reports.ReportResult.ResourceRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Several policies share one namespace report; the bound drops passing results first; the summary stays exact. */
class NamespaceReportTest {

    static ReportResult result(String policy, String host, String rule, Outcome outcome) {
        return new ReportResult(policy, rule, outcome, Optional.empty(), "TLS", rule + " " + outcome.label(), true,
                Optional.of(new ResourceRef("networking.k8s.io/v1", "Ingress", "shop", "storefront", null)),
                Map.of("host", host), Instant.parse("2026-11-23T12:00:00Z"));
    }

    static List<ReportResult> results(String policy, int pass, int fail) {
        List<ReportResult> out = new ArrayList<>();
        for (int i = 0; i < pass; i++) {
            out.add(result(policy, "h" + i + ".test", "https", Outcome.PASS));
        }
        for (int i = 0; i < fail; i++) {
            out.add(result(policy, "h" + i + ".test", "tls-level", Outcome.FAIL));
        }
        return out;
    }

    @Test
    void replacingOnePolicyKeepsTheOthers() {
        NamespaceReport report = NamespaceReport.EMPTY
                .replace("shop/web", results("shop/web", 2, 1), 100)
                .replace("vigil-system/edge", results("vigil-system/edge", 1, 1), 100);
        assertThat(report.policies()).containsExactly("shop/web", "vigil-system/edge");
        assertThat(report.summary()).isEqualTo(new Tally(3, 2, 0, 0, 0));

        NamespaceReport next = report.replace("shop/web", results("shop/web", 3, 0), 100);
        assertThat(next.summary()).isEqualTo(new Tally(4, 1, 0, 0, 0));
        assertThat(next.results()).filteredOn(r -> r.policy().equals("vigil-system/edge")).hasSize(2);

        NamespaceReport withdrawn = next.replace("shop/web", List.of(), 100);
        assertThat(withdrawn.policies()).containsExactly("vigil-system/edge");
        assertThat(withdrawn.replace("vigil-system/edge", List.of(), 100).isEmpty()).isTrue();
    }

    @Test
    void longMessagesCannotMakeAReportTooLargeToStore() {
        List<ReportResult> wordy = new ArrayList<>();
        String reason = "x".repeat(5000);
        for (int i = 0; i < 2000; i++) {
            wordy.add(new ReportResult("shop/web", "cookies", Outcome.SKIP, Optional.empty(), "HTTP headers", "accepted: " + reason,
                    false, Optional.of(new ResourceRef("networking.k8s.io/v1", "Ingress", "shop", "storefront", "uid")),
                    Map.of("host", "h" + i + ".test", "reason", reason, "owner", reason, "detail", reason), Instant.EPOCH));
        }
        NamespaceReport report = NamespaceReport.EMPTY.replace("shop/web", wordy, 5000);
        assertThat(report.results()).hasSizeLessThan(2000);
        assertThat(report.summary().skip()).isEqualTo(2000);
        String json = io.fabric8.kubernetes.client.utils.Serialization.asJson(ReportApi.WGPOLICYK8S.toResource("shop", report, 5000));
        assertThat(json.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isLessThan(1_400_000).isGreaterThan(500_000);
    }

    @Test
    void theBoundDropsPassingResultsFirstAndTheSummaryCountsThemAll() {
        NamespaceReport report = NamespaceReport.EMPTY
                .replace("shop/web", results("shop/web", 50, 3), 10)
                .replace("vigil-system/edge", results("vigil-system/edge", 40, 4), 10);
        assertThat(report.results()).hasSize(10);
        assertThat(report.results().subList(0, 7)).allMatch(r -> r.result() == Outcome.FAIL);
        assertThat(report.summary()).isEqualTo(new Tally(90, 7, 0, 0, 0));
        assertThat(report.omitted()).isEqualTo(87);
        // Replacing one policy again is the same report whichever order the writes came in.
        NamespaceReport other = NamespaceReport.EMPTY
                .replace("vigil-system/edge", results("vigil-system/edge", 40, 4), 10)
                .replace("shop/web", results("shop/web", 50, 3), 10);
        assertThat(other).isEqualTo(report);
    }
}
