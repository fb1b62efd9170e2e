package dev.vigil.ship;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Every PromQL expression of the Grafana dashboard, with Grafana's variables filled in, and the metric names it reads. */
final class DashboardQueries {

    static final Path DASHBOARD = Path.of("grafana/vigil-posture.json");
    private static final Pattern LABEL_VALUES = Pattern.compile("^label_values\\((.*),\\s*\\w+\\)$");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Set<String> KEYWORDS = Set.of("sum", "count", "count_values", "min", "max", "avg", "by", "without",
            "on", "ignoring", "group_left", "group_right", "topk", "bottomk", "sort", "sort_desc", "rate", "increase",
            "histogram_quantile", "time", "vector", "or", "and", "unless", "label_replace", "bool", "offset", "abs");

    /**
     * Metrics the dashboard reads that another branch exports (the admission audit's violations): the end-to-end test
     * checks their panel against a stand-in exporter, and {@code MetricsExpositionTest} fails once the operator exports
     * them, so this list is emptied when that branch is merged.
     */
    static final Set<String> EXPORTED_ELSEWHERE = Set.of("vigil_admission_violations");

    private DashboardQueries() {
    }

    static List<String> expressions() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        List<String> exprs = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                exprs.add(substitute(target.path("expr").asText()));
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            String query = variable.path("query").isObject() ? variable.path("query").path("query").asText() : "";
            Matcher m = LABEL_VALUES.matcher(query);
            if (m.matches()) {
                exprs.add(substitute(m.group(1)));
            }
        }
        return exprs;
    }

    static String substitute(String expr) {
        return expr.replace("$__rate_interval", "5m").replace("$__range", "1h").replace("$namespace", ".*")
                .replace("$baseline", ".*");
    }

    /** Metric names read by the expressions: identifiers outside braces and strings that are not functions or keywords. */
    static Set<String> metricNames() throws IOException {
        Set<String> names = new TreeSet<>();
        for (String expr : expressions()) {
            String stripped = expr.replaceAll("\"[^\"]*\"", "\"\"").replaceAll("\\{[^}]*\\}", "{}")
                    .replaceAll("\\[[^]]*\\]", "[]").replaceAll("(by|without)\\s*\\([^)]*\\)", "");
            Matcher m = IDENTIFIER.matcher(stripped);
            while (m.find()) {
                String id = m.group();
                int after = m.end();
                boolean call = after < stripped.length() && stripped.substring(after).stripLeading().startsWith("(");
                if (!KEYWORDS.contains(id) && !call && !id.matches("\\d.*") && id.startsWith("vigil_")) {
                    names.add(id);
                }
            }
        }
        return names;
    }
}
