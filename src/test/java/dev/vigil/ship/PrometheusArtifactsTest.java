package dev.vigil.ship;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The alert rules and every dashboard query through the real promtool. */
class PrometheusArtifactsTest {

    static final Path ALERTS = Path.of("helm/vigil/files/vigil-alerts.yaml");

    @Test
    void alertRulesAreValidAndTheirUnitTestsPass(@TempDir Path dir) throws Exception {
        Files.copy(ALERTS, dir.resolve("vigil-alerts.yaml"));
        Files.copy(Path.of("src/test/resources/prometheus/vigil-alerts.test.yaml"), dir.resolve("vigil-alerts.test.yaml"));
        Promtool.Result check = Promtool.run(dir, null, "check", "rules", "vigil-alerts.yaml");
        assertThat(check.exit()).as(check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS: 7 rules found");
        Promtool.Result test = Promtool.run(dir, null, "test", "rules", "vigil-alerts.test.yaml");
        assertThat(test.exit()).as(test.output()).isZero();
    }

    @Test
    void everyDashboardQueryParses(@TempDir Path dir) throws Exception {
        List<String> exprs = DashboardQueries.expressions();
        assertThat(exprs).hasSizeGreaterThan(12);
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        for (int i = 0; i < exprs.size(); i++) {
            rules.append("      - record: dashboard:query").append(i).append("\n        expr: '")
                    .append(exprs.get(i).replace("'", "''")).append("'\n");
        }
        Files.writeString(dir.resolve("dashboard.yaml"), rules);
        Promtool.Result check = Promtool.run(dir, null, "check", "rules", "dashboard.yaml");
        assertThat(check.exit()).as(check.output() + "\n" + rules).isZero();
    }

    @Test
    void theLexerFindsTheMetricNames() throws Exception {
        assertThat(DashboardQueries.metricNames()).contains("vigil_service_grade", "vigil_probe_duration_seconds_bucket",
                "vigil_sealedsecret_decryptions_total", "vigil_decryption_key_sealedsecrets")
                .noneMatch(n -> n.equals("sum") || n.equals("namespace") || n.equals("le"));
    }
}
