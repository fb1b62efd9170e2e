package dev.vigil.baseline;

import dev.vigil.admission.Mode;
import dev.vigil.admission.Rule;
import dev.vigil.admission.Violation;
import dev.vigil.grade.AcceptedRisk;
import dev.vigil.grade.Grade;
import dev.vigil.grade.service.Cap;
import dev.vigil.grade.service.ControlCatalog;
import dev.vigil.grade.service.ControlLevel;
import dev.vigil.grade.service.ControlResult;
import dev.vigil.grade.service.ServiceGrade;
import dev.vigil.probe.ProbeFailure;
import dev.vigil.reports.ReportApi;
import dev.vigil.reports.ReportResult;
import dev.vigil.reports.ReportResult.Outcome;
import dev.vigil.reports.ReportResult.ResourceRef;
import dev.vigil.reports.ReportResult.Severity;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A baseline's graded services as policy report results, grouped by the namespace each service lives in (a trusted
 * baseline covering team namespaces reports into each team's namespace, never into its own). Policy = the baseline
 * ({@code <namespace>/<name>}); rule = the control, plus {@value #GRADE_RULE} for the grade against the minimum;
 * resource = the object the service comes from (the baseline itself for an explicit target). Services still waiting
 * for their first probe have no results yet. Where the baseline judges secret hygiene, each SealedSecret is a
 * {@code secret-rotation} result and each Secret not from git a {@code secret-source} one, the object as resource
 * (severity {@code high}: both cap at C). Where it sets {@code spec.enforcement}, each object its background audit
 * found against an admission rule is a {@code fail} result of that rule (category {@value #CATEGORY_ADMISSION}). Pure.
 *
 * <p>Results: a passing control is {@code pass}; a failing {@code fail}-level control {@code fail}; a failing
 * {@code warn}-level control {@code warn} (not scored: it counts only through the grade); an accepted risk
 * {@code skip} (owner, reason and expiry in properties); a control that could not be judged {@code error}.
 * Severity comes from the grade a failing control caps the service at: F {@code critical}, D and C {@code high},
 * B and above {@code medium}; an Observatory test (no cap, a score penalty) {@code medium} from 20 points, else
 * {@code low}; the grade rule below the minimum {@code high}. Passing results carry no severity.
 */
final class BaselineReportResults {

    static final String GRADE_RULE = "minimum-grade";
    static final String CATEGORY_TLS = "TLS";
    static final String CATEGORY_CERTIFICATE = "Certificate";
    static final String CATEGORY_HEADERS = "HTTP headers";
    static final String CATEGORY_GRADE = "Grade";
    static final String CATEGORY_SECRETS = "Secrets";
    static final String CATEGORY_ADMISSION = "Admission";
    static final String SEALED_SECRET_API_VERSION = "vigil.dev/v1alpha1";
    /** An Observatory penalty at least this large is a medium-severity finding. */
    static final int MEDIUM_PENALTY = 20;

    private BaselineReportResults() {
    }

    /** The policy name a baseline's results carry. */
    static String policyName(SecurityBaseline baseline) {
        return baseline.getMetadata().getNamespace() + "/" + baseline.getMetadata().getName();
    }

    /** Whether a report's policy is a baseline's ({@code <namespace>/<name>}: one slash, names cannot hold one). */
    static boolean isBaselinePolicy(String policy) {
        int slash = policy.indexOf('/');
        return slash > 0 && slash == policy.lastIndexOf('/') && slash < policy.length() - 1;
    }

    /**
     * @param uids the uid of each source object by {@code kind/namespace/name}, where known
     */
    static Map<String, List<ReportResult>> of(SecurityBaseline baseline, BaselinePolicy policy, List<GradedService> services,
            Map<String, String> uids, Instant now) {
        return of(baseline, policy, services, SecretHygieneGatherer.Gathered.NONE, uids, now);
    }

    /**
     * @param secrets the covered namespaces' secret facts: each SealedSecret judged for {@code secret-rotation} and each
     *     Secret failing {@code secret-source} is a result of its own, the object as its resource
     */
    static Map<String, List<ReportResult>> of(SecurityBaseline baseline, BaselinePolicy policy, List<GradedService> services,
            SecretHygieneGatherer.Gathered secrets, Map<String, String> uids, Instant now) {
        return of(baseline, policy, services, secrets, List.of(), now, uids, now);
    }

    /**
     * @param violations the baseline's last background audit: each object an admission rule would refuse, warn about
     *     or record now is a {@code fail} result whose rule is the admission rule ({@value #CATEGORY_ADMISSION}), the
     *     object as resource and the enforcement mode in {@code properties}, dated by the audit
     */
    static Map<String, List<ReportResult>> of(SecurityBaseline baseline, BaselinePolicy policy, List<GradedService> services,
            SecretHygieneGatherer.Gathered secrets, List<Violation> violations, Instant auditedAt, Map<String, String> uids,
            Instant now) {
        String policyName = policyName(baseline);
        Map<String, List<ReportResult>> byNamespace = new TreeMap<>();
        for (Violation v : violations) {
            byNamespace.computeIfAbsent(v.namespace(), n -> new ArrayList<>()).add(admissionResult(policyName, v, auditedAt));
        }
        for (SecretHygieneGatherer.Finding f : secrets.findings()) {
            ControlLevel level = SecretHygieneGatherer.level(policy.grading(), f.control());
            if (level != ControlLevel.IGNORE) {
                byNamespace.computeIfAbsent(f.namespace(), n -> new ArrayList<>()).add(secretResult(policyName, f, level));
            }
        }
        for (GradedService s : services) {
            if (s.pending()) {
                continue;
            }
            ServiceTarget t = s.target();
            ServiceGrade grade = s.grade().get();
            ResourceRef resource = t.source()
                    .map(src -> new ResourceRef(apiVersion(src.kind()), src.kind(), t.namespace(), src.name(),
                            uids.get(src.kind() + "/" + t.namespace() + "/" + src.name())))
                    .orElse(new ResourceRef(baseline.getApiVersion(), baseline.getKind(), baseline.getMetadata().getNamespace(),
                            baseline.getMetadata().getName(), baseline.getMetadata().getUid()));
            Instant at = s.findings().map(f -> f.probedAt()).orElse(now);
            String target = t.endpoint().host() + ":" + t.endpoint().port() + t.endpoint().path();
            Map<String, String> common = new LinkedHashMap<>();
            common.put("host", t.host());
            common.put("grade", grade.grade().map(Grade::letter).orElse("none"));
            grade.score().ifPresent(score -> common.put("score", String.valueOf(score)));
            common.put("minimumGrade", policy.grading().minimumGrade().letter());
            List<ReportResult> results = byNamespace.computeIfAbsent(t.namespace(), n -> new ArrayList<>());
            for (ControlResult c : grade.controls()) {
                results.add(control(policyName, policy, t.host(), target, resource, common, c, at, now));
            }
            results.add(gradeResult(policyName, target, resource, common, grade, at));
        }
        return byNamespace;
    }

    private static ReportResult control(String policyName, BaselinePolicy policy, String host, String target, ResourceRef resource,
            Map<String, String> common, ControlResult c, Instant at, Instant now) {
        Map<String, String> properties = new LinkedHashMap<>(common);
        properties.put("level", c.level().label());
        properties.put("detail", c.detail());
        Outcome outcome;
        String message;
        switch (c.state()) {
            case PASS -> {
                outcome = Outcome.PASS;
                message = c.detail();
            }
            case ACCEPTED -> {
                outcome = Outcome.SKIP;
                Optional<AcceptedRisk> risk = policy.risks().stream()
                        .filter(r -> !r.expired(now) && r.appliesTo(host, c.control())).findFirst();
                risk.ifPresent(r -> {
                    properties.put("owner", String.valueOf(r.owner()));
                    properties.put("reason", String.valueOf(r.reason()));
                    properties.put("expires", r.expires().toString());
                });
                message = "accepted risk" + risk.map(r -> ": " + r.reason() + " (" + r.owner() + ", until " + r.expires() + ")")
                        .orElse("");
            }
            case ERROR -> {
                outcome = Outcome.ERROR;
                message = fix(c);
            }
            default -> {
                outcome = c.level() == ControlLevel.FAIL ? Outcome.FAIL : Outcome.WARN;
                message = fix(c);
            }
        }
        properties.put(ReportApi.RESULT_ID, id(policyName, resource, target, c.control(), outcome));
        return new ReportResult(policyName, c.control(), outcome, outcome == Outcome.PASS ? Optional.empty() : severity(c),
                category(c.control()), message, c.level() == ControlLevel.FAIL, Optional.of(resource), properties, at);
    }

    private static ReportResult gradeResult(String policyName, String target, ResourceRef resource, Map<String, String> common,
            ServiceGrade grade, Instant at) {
        Map<String, String> properties = new LinkedHashMap<>(common);
        String minimum = common.get("minimumGrade");
        Outcome outcome;
        String message;
        if (grade.grade().isEmpty()) {
            outcome = Outcome.ERROR;
            message = "no grade: " + grade.error().map(ProbeFailure::message).orElse("the site could not be graded");
            grade.error().ifPresent(e -> properties.put("errorReason", e.reason()));
        } else if (grade.belowMinimum()) {
            outcome = Outcome.FAIL;
            message = "graded " + grade.grade().get().letter() + ", below the minimum " + minimum
                    + (grade.capReasons().isEmpty() ? "" : " (capped: " + String.join("; ", grade.capReasons()) + ")");
        } else {
            outcome = Outcome.PASS;
            message = "graded " + grade.grade().get().letter() + ", at or above the minimum " + minimum;
        }
        properties.put(ReportApi.RESULT_ID, id(policyName, resource, target, GRADE_RULE, outcome));
        return new ReportResult(policyName, GRADE_RULE, outcome, outcome == Outcome.PASS ? Optional.empty() : Optional.of(Severity.HIGH),
                CATEGORY_GRADE, message, true, Optional.of(resource), properties, at);
    }

    /**
     * A violation is {@code fail} in every mode, as policy engines report their background scans: the mode says what
     * admission does with the next such change (refuse, warn, record) and is a property; only Deny results are scored.
     */
    private static ReportResult admissionResult(String policyName, Violation v, Instant auditedAt) {
        ResourceRef resource = new ResourceRef(apiVersion(v.kind()), v.kind(), v.namespace(), v.name(),
                v.uid() == null || v.uid().isEmpty() ? null : v.uid());
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("mode", v.mode().name());
        properties.put(ReportApi.RESULT_ID, id(policyName, resource, v.namespace() + "/" + v.name(), v.rule().id(), Outcome.FAIL));
        return new ReportResult(policyName, v.rule().id(), Outcome.FAIL, Optional.of(admissionSeverity(v.rule())),
                CATEGORY_ADMISSION, v.message(), v.mode() == Mode.Deny, Optional.of(resource), properties, auditedAt);
    }

    /** A Secret outside git or a host without TLS exposes data; a switched-off redirect leaves a downgrade open. */
    static Severity admissionSeverity(Rule rule) {
        return switch (rule) {
            case SECRETS_FROM_GIT, TLS_FOR_EVERY_HOST -> Severity.HIGH;
            case NO_DOWNGRADE_SWITCHES -> Severity.MEDIUM;
        };
    }

    private static ReportResult secretResult(String policyName, SecretHygieneGatherer.Finding f, ControlLevel level) {
        ResourceRef resource = new ResourceRef(SecretHygieneGatherer.SEALED_SECRET_KIND.equals(f.kind()) ? SEALED_SECRET_API_VERSION
                : "v1", f.kind(), f.namespace(), f.name(), f.uid());
        Outcome outcome = !f.failing() ? Outcome.PASS : level == ControlLevel.FAIL ? Outcome.FAIL : Outcome.WARN;
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("level", level.label());
        properties.put("detail", f.detail());
        properties.put(ReportApi.RESULT_ID, id(policyName, resource, f.namespace() + "/" + f.name(), f.control(), outcome));
        String message = f.remediation().isEmpty() ? f.detail() : f.detail() + " — " + f.remediation();
        return new ReportResult(policyName, f.control(), outcome, outcome == Outcome.PASS ? Optional.empty()
                : Optional.of(Severity.HIGH), CATEGORY_SECRETS, message, level == ControlLevel.FAIL, Optional.of(resource),
                properties, f.since());
    }

    static Optional<Severity> severity(ControlResult c) {
        Optional<Cap> cap = c.cap();
        if (cap.isPresent()) {
            Grade g = cap.get().grade();
            return Optional.of(g == Grade.F ? Severity.CRITICAL : g.below(Grade.B_MINUS) ? Severity.HIGH : Severity.MEDIUM);
        }
        return Optional.of(-c.penalty() >= MEDIUM_PENALTY ? Severity.MEDIUM : Severity.LOW);
    }

    static String category(String control) {
        if (ControlCatalog.SECRETS.contains(control)) {
            return CATEGORY_SECRETS;
        }
        if (!ControlCatalog.TLS.contains(control)) {
            return CATEGORY_HEADERS;
        }
        return control.startsWith("certificate-") ? CATEGORY_CERTIFICATE : CATEGORY_TLS;
    }

    private static String fix(ControlResult c) {
        return c.remediation().isEmpty() ? c.detail() : c.detail() + " — " + c.remediation();
    }

    private static String apiVersion(String kind) {
        return switch (kind) {
            case ServiceTarget.SourceRef.INGRESS -> "networking.k8s.io/v1";
            case "HTTPRoute" -> "gateway.networking.k8s.io/v1";
            default -> "v1";
        };
    }

    /** Policy Reporter's result identity: one per baseline, object, host and rule, and new when the result changes. */
    static String id(String policyName, ResourceRef resource, String target, String rule, Outcome outcome) {
        String key = String.join("\n", policyName, resource.kind(), resource.namespace(), resource.name(), target, rule,
                outcome.label());
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
