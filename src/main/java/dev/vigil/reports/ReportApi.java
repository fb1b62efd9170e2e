package dev.vigil.reports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.reports.ReportResult.Outcome;
import dev.vigil.reports.ReportResult.ResourceRef;
import dev.vigil.reports.ReportResult.Severity;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The two report APIs Vigil can write, and how a {@link NamespaceReport} is written to and read back from each.
 * Both define the same result fields; OpenReports adds {@code source} and {@code configuration.limits} on the report.
 */
public enum ReportApi {
    /** {@code wgpolicyk8s.io/v1alpha2 PolicyReport}: what Kyverno, Trivy's adapter and Policy Reporter use. */
    WGPOLICYK8S("wgpolicyk8s.io", "v1alpha2", "PolicyReport", "policyreports"),
    /** {@code openreports.io/v1alpha1 Report}: the successor API of newer stacks. */
    OPENREPORTS("openreports.io", "v1alpha1", "Report", "reports"),
    /** No reports. */
    OFF("", "", "", "");

    /** Vigil's report in each namespace. */
    public static final String NAME = "vigil";
    /** Results and reports carry this {@code source}; Policy Reporter groups by it. */
    public static final String SOURCE = "vigil";
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    /** Per-policy exact tallies as JSON, so the next writer keeps the summary exact for results it did not write. */
    public static final String TALLIES = "vigil.dev/tallies";
    /** How many results the summary counts that the report leaves out (passing ones first). */
    public static final String OMITTED = "vigil.dev/results-omitted";
    /** Policy Reporter's property for a result's identity (its default hash would merge two hosts of one Ingress). */
    public static final String RESULT_ID = "resultID";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_TALLIES = 10_000;

    public final String group;
    public final String version;
    public final String kind;
    public final String plural;

    ReportApi(String group, String version, String kind, String plural) {
        this.group = group;
        this.version = version;
        this.kind = kind;
        this.plural = plural;
    }

    public String apiVersion() {
        return group + "/" + version;
    }

    /** Where the API lives, given in full so that no discovery call is needed to address it. */
    public io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext context() {
        return new io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext.Builder().withGroup(group)
                .withVersion(version).withKind(kind).withPlural(plural).withNamespaced(true).build();
    }

    /** The object for a namespace's report. */
    public GenericKubernetesResource toResource(String namespace, NamespaceReport report, int maxResults) {
        GenericKubernetesResource r = new GenericKubernetesResource();
        r.setApiVersion(apiVersion());
        r.setKind(kind);
        Map<String, String> annotations = new TreeMap<>();
        annotations.put(TALLIES, tallies(report));
        if (report.omitted() > 0) {
            annotations.put(OMITTED, String.valueOf(report.omitted()));
        }
        r.setMetadata(new ObjectMetaBuilder().withName(NAME).withNamespace(namespace)
                .withLabels(Map.of(MANAGED_BY, SOURCE)).withAnnotations(annotations).build());
        Map<String, Object> body = r.getAdditionalProperties();
        if (this == OPENREPORTS) {
            body.put("source", SOURCE);
            body.put("configuration", Map.of("limits", Map.of("maxResults", maxResults)));
        }
        Tally s = report.summary();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("pass", s.pass());
        summary.put("fail", s.fail());
        summary.put("warn", s.warn());
        summary.put("error", s.error());
        summary.put("skip", s.skip());
        body.put("summary", summary);
        body.put("results", report.results().stream().map(ReportApi::result).toList());
        return r;
    }

    static Map<String, Object> result(ReportResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", SOURCE);
        m.put("policy", r.policy());
        m.put("rule", r.rule());
        m.put("result", r.result().label());
        r.severity().ifPresent(s -> m.put("severity", s.label()));
        m.put("category", r.category());
        m.put("message", r.message());
        m.put("scored", r.scored());
        r.resource().ifPresent(ref -> {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("apiVersion", ref.apiVersion());
            o.put("kind", ref.kind());
            o.put("namespace", ref.namespace());
            o.put("name", ref.name());
            if (ref.uid() != null) {
                o.put("uid", ref.uid());
            }
            m.put("resources", List.of(o));
        });
        if (!r.properties().isEmpty()) {
            m.put("properties", r.properties());
        }
        m.put("timestamp", Map.of("seconds", r.timestamp().getEpochSecond(), "nanos", r.timestamp().getNano()));
        return m;
    }

    private static String tallies(NamespaceReport report) {
        Map<String, Map<String, Integer>> out = new TreeMap<>();
        report.tallies().forEach((policy, t) -> {
            Map<String, Integer> m = new LinkedHashMap<>();
            m.put("pass", t.pass());
            m.put("fail", t.fail());
            m.put("warn", t.warn());
            m.put("error", t.error());
            m.put("skip", t.skip());
            out.put(policy, m);
        });
        try {
            return JSON.writeValueAsString(out);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The report as stored, read leniently: a report anyone may have edited yields what parses — a policy without
     * a readable tally, and a result without a known outcome or policy, are dropped (and rewritten by their owner).
     */
    public static NamespaceReport fromResource(GenericKubernetesResource r) {
        Map<String, Tally> tallies = new TreeMap<>();
        String text = r.getMetadata() == null || r.getMetadata().getAnnotations() == null ? null
                : r.getMetadata().getAnnotations().get(TALLIES);
        if (text != null) {
            try {
                Map<String, Map<String, Object>> parsed = JSON.readValue(text, new TypeReference<>() {
                });
                parsed.entrySet().stream().limit(MAX_TALLIES).forEach(e -> tally(e.getValue())
                        .ifPresent(t -> tallies.put(e.getKey(), t)));
            } catch (JsonProcessingException | RuntimeException e) {
                // unreadable: no policy's results are kept, each owner writes its own again
            }
        }
        List<ReportResult> results = new ArrayList<>();
        Object raw = r.getAdditionalProperties().get("results");
        if (raw instanceof List<?> list) {
            for (Object item : list) {
                if (item instanceof Map<?, ?> m) {
                    parse(m).filter(x -> tallies.containsKey(x.policy())).ifPresent(results::add);
                }
            }
        }
        results.sort(NamespaceReport.ORDER);
        return new NamespaceReport(tallies, results);
    }

    private static Optional<Tally> tally(Map<String, Object> m) {
        if (m == null) {
            return Optional.empty();
        }
        int[] v = new int[5];
        String[] keys = {"pass", "fail", "warn", "error", "skip"};
        for (int i = 0; i < keys.length; i++) {
            Object n = m.get(keys[i]);
            if (!(n instanceof Integer number) || number < 0) {
                return Optional.empty();
            }
            v[i] = number;
        }
        return Optional.of(new Tally(v[0], v[1], v[2], v[3], v[4]));
    }

    private static Optional<ReportResult> parse(Map<?, ?> m) {
        Optional<Outcome> outcome = Outcome.parse(m.get("result"));
        if (outcome.isEmpty() || !(m.get("policy") instanceof String policy)) {
            return Optional.empty();
        }
        Optional<ResourceRef> resource = Optional.empty();
        if (m.get("resources") instanceof List<?> refs && !refs.isEmpty() && refs.get(0) instanceof Map<?, ?> ref) {
            resource = Optional.of(new ResourceRef(text(ref.get("apiVersion")), text(ref.get("kind")),
                    text(ref.get("namespace")), text(ref.get("name")), text(ref.get("uid"))));
        }
        Map<String, String> properties = new TreeMap<>();
        if (m.get("properties") instanceof Map<?, ?> props) {
            props.forEach((k, v) -> {
                if (k instanceof String key && v instanceof String value) {
                    properties.put(key, value);
                }
            });
        }
        Instant timestamp = Instant.EPOCH;
        if (m.get("timestamp") instanceof Map<?, ?> ts && ts.get("seconds") instanceof Number s) {
            timestamp = Instant.ofEpochSecond(s.longValue(), ts.get("nanos") instanceof Number n ? n.longValue() : 0);
        }
        return Optional.of(new ReportResult(policy, text(m.get("rule")), outcome.get(), Severity.parse(m.get("severity")),
                text(m.get("category")), text(m.get("message")), Boolean.TRUE.equals(m.get("scored")), resource, properties,
                timestamp));
    }

    private static String text(Object o) {
        return o instanceof String s ? s : null;
    }
}
