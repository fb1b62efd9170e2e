package dev.vigil.baseline;

import static dev.vigil.baseline.BaselineStatusAggregatorTest.GRADER;
import static dev.vigil.baseline.BaselineStatusAggregatorTest.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.admission.Mode;
import dev.vigil.admission.Rule;
import dev.vigil.admission.Violation;
import dev.vigil.grade.service.ControlLevel;
import dev.vigil.probe.ProbeFailure;
import dev.vigil.probe.ServiceEndpoint;
import dev.vigil.probe.ServiceFindings;
import dev.vigil.probe.tls.TlsProtocol;
import dev.vigil.reports.ReportApi;
import dev.vigil.reports.ReportResult;
import dev.vigil.reports.ReportResult.Outcome;
import dev.vigil.reports.ReportResult.Severity;
import dev.vigil.testsupport.Findings;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** A baseline's graded services as report results: one per control and service, plus the grade, by namespace. */
class BaselineReportResultsTest {

    static SecurityBaseline baseline(String namespace, SecurityBaselineSpec spec) {
        SecurityBaseline b = BaselinePolicyTest.baseline(spec);
        b.getMetadata().setNamespace(namespace);
        b.getMetadata().setName("web");
        b.getMetadata().setUid("baseline-uid");
        return b;
    }

    static GradedService graded(String namespace, String ingress, String host, BaselinePolicy policy,
            UnaryOperator<Findings.TlsBuilder> tls, List<String> headers) {
        ServiceFindings findings = Findings.service(NOW.minusSeconds(5), Findings.tls(host, NOW, tls), Findings.https(host, headers));
        ServiceTarget target = new ServiceTarget(namespace,
                ingress == null ? Optional.empty() : Optional.of(new ServiceTarget.SourceRef("Ingress", ingress)),
                new ServiceEndpoint(host, 443, "/", Optional.empty(), 443, 80, dev.vigil.probe.AddressSource.USER));
        return new GradedService(target, Optional.of(findings), Optional.of(GRADER.grade(findings, policy.grading(), policy.risks(), host, NOW)));
    }

    static ReportResult find(List<ReportResult> results, String host, String rule) {
        return results.stream().filter(r -> r.rule().equals(rule) && r.properties().get("host").equals(host)).findFirst().orElseThrow();
    }

    @Test
    void everyControlAndTheGradeBecomeResultsInTheServicesNamespace() {
        SecurityBaselineSpec spec = new SecurityBaselineSpec();
        spec.requirements = new Requirements();
        spec.requirements.controls = Map.of("content-security-policy", "fail");
        AcceptedRiskSpec risk = new AcceptedRiskSpec();
        risk.hosts = List.of("blog.test");
        risk.control = "x-frame-options";
        risk.reason = "embedded by the partner portal";
        risk.owner = "team-blog";
        risk.expires = "2099-09-30";
        spec.exceptions = List.of(risk);
        SecurityBaseline baseline = baseline("vigil-system", spec);
        BaselinePolicy policy = BaselinePolicy.from(baseline, BaselinePolicyTest.LIMITS, true);
        List<GradedService> services = List.of(
                graded("shop", "storefront", "shop.test", policy, b -> b, Findings.PERFECT_HEADERS),
                graded("shop", "storefront", "cdn.test", policy, b -> b.expired(true), Findings.perfectWithout("Content-Security-Policy")),
                graded("blog", "blog", "blog.test", policy, b -> b.offering(TlsProtocol.TLSv1), Findings.perfectWithout("X-Frame-Options",
                        "Content-Security-Policy")),
                BaselineStatusAggregatorTest.pending("later.test"),
                new GradedService(new ServiceTarget("shop", Optional.empty(), new ServiceEndpoint("gone.test", 8443, "/app", Optional.empty(), 8443, 80, dev.vigil.probe.AddressSource.USER)),
                        Optional.of(ServiceFindings.failed(NOW, ProbeFailure.TIMEOUT, "no answer within 5s")),
                        Optional.of(GRADER.grade(ServiceFindings.failed(NOW, ProbeFailure.TIMEOUT, "no answer within 5s"),
                                policy.grading(), policy.risks(), "gone.test", NOW))));

        Map<String, List<ReportResult>> byNamespace = BaselineReportResults.of(baseline, policy, services,
                Map.of("Ingress/shop/storefront", "uid-storefront"), NOW);

        assertThat(byNamespace).containsOnlyKeys("shop", "blog");
        List<ReportResult> shop = byNamespace.get("shop");
        assertThat(shop).allSatisfy(r -> assertThat(r.policy()).isEqualTo("vigil-system/web"));
        int controls = services.get(0).grade().get().controls().size();
        assertThat(shop.stream().filter(r -> "shop.test".equals(r.properties().get("host")))).hasSize(controls + 1);
        assertThat(shop).noneMatch(r -> "later.test".equals(r.properties().get("host")));

        ReportResult passing = find(shop, "shop.test", "strict-transport-security");
        assertThat(passing.result()).isEqualTo(Outcome.PASS);
        assertThat(passing.severity()).isEmpty();
        assertThat(passing.resource()).hasValueSatisfying(ref -> {
            assertThat(ref.kind()).isEqualTo("Ingress");
            assertThat(ref.apiVersion()).isEqualTo("networking.k8s.io/v1");
            assertThat(ref.namespace()).isEqualTo("shop");
            assertThat(ref.name()).isEqualTo("storefront");
            assertThat(ref.uid()).isEqualTo("uid-storefront");
        });
        assertThat(passing.properties()).containsEntry("grade", "A+").containsEntry("minimumGrade", "B").containsKey("score");
        assertThat(find(shop, "shop.test", BaselineReportResults.GRADE_RULE).result()).isEqualTo(Outcome.PASS);

        ReportResult expired = find(shop, "cdn.test", "certificate-expiry");
        assertThat(expired.result()).isEqualTo(Outcome.FAIL);
        assertThat(expired.severity()).contains(Severity.CRITICAL);
        assertThat(expired.scored()).isTrue();
        assertThat(expired.category()).isEqualTo(BaselineReportResults.CATEGORY_CERTIFICATE);
        assertThat(expired.message()).contains("renew");
        ReportResult csp = find(shop, "cdn.test", "content-security-policy");
        assertThat(csp.result()).as("csp is a fail-level control here").isEqualTo(Outcome.FAIL);
        assertThat(csp.severity()).contains(Severity.MEDIUM);
        ReportResult grade = find(shop, "cdn.test", BaselineReportResults.GRADE_RULE);
        assertThat(grade.result()).isEqualTo(Outcome.FAIL);
        assertThat(grade.severity()).contains(Severity.HIGH);
        assertThat(grade.message()).contains("graded F", "below the minimum B");

        ReportResult ungraded = find(shop, "gone.test", BaselineReportResults.GRADE_RULE);
        assertThat(ungraded.result()).isEqualTo(Outcome.ERROR);
        assertThat(ungraded.message()).contains("no answer within 5s");
        assertThat(ungraded.resource()).hasValueSatisfying(ref -> {
            assertThat(ref.kind()).isEqualTo("SecurityBaseline");
            assertThat(ref.name()).isEqualTo("web");
            assertThat(ref.uid()).isEqualTo("baseline-uid");
        });

        List<ReportResult> blog = byNamespace.get("blog");
        ReportResult accepted = find(blog, "blog.test", "x-frame-options");
        assertThat(accepted.result()).isEqualTo(Outcome.SKIP);
        assertThat(accepted.properties()).containsEntry("owner", "team-blog")
                .containsEntry("reason", "embedded by the partner portal").containsEntry("expires", "2099-10-01T00:00:00Z");
        ReportResult protocols = find(blog, "blog.test", "tls-protocols");
        assertThat(protocols.result()).as("TLS 1.0 caps at B, not below the minimum: a warn-level control").isEqualTo(Outcome.WARN);
        assertThat(protocols.scored()).isFalse();
        assertThat(protocols.properties()).containsEntry("level", ControlLevel.WARN.label());
        assertThat(protocols.message()).contains("—");
        assertThat(protocols.severity()).contains(Severity.MEDIUM);
        assertThat(protocols.category()).isEqualTo(BaselineReportResults.CATEGORY_TLS);
        assertThat(protocols.timestamp()).isEqualTo(NOW.minusSeconds(5));
    }

    @Test
    void twoHostsOfOneIngressKeepDistinctResultIdentities() {
        SecurityBaseline baseline = baseline("shop", new SecurityBaselineSpec());
        BaselinePolicy policy = BaselinePolicy.from(baseline, BaselinePolicyTest.LIMITS, false);
        List<String> headers = Findings.perfectWithout("X-Frame-Options");
        List<ReportResult> results = BaselineReportResults.of(baseline, policy, List.of(
                graded("shop", "storefront", "a.test", policy, b -> b, headers),
                graded("shop", "storefront", "b.test", policy, b -> b, headers)), Map.of(), NOW).get("shop");
        ReportResult a = find(results, "a.test", "x-frame-options");
        ReportResult b = find(results, "b.test", "x-frame-options");
        // Same policy, rule, result, category, object and message: Policy Reporter's default hash would merge them.
        assertThat(a.message()).isEqualTo(b.message());
        assertThat(a.properties().get(ReportApi.RESULT_ID)).isNotEqualTo(b.properties().get(ReportApi.RESULT_ID));
        assertThat(results.stream().map(r -> r.properties().get(ReportApi.RESULT_ID)).distinct()).hasSize(results.size());
    }

    @Test
    void severityFollowsTheCapThenThePenalty() {
        SecurityBaseline baseline = baseline("shop", new SecurityBaselineSpec());
        BaselinePolicy policy = BaselinePolicy.from(baseline, BaselinePolicyTest.LIMITS, false);
        List<ReportResult> results = BaselineReportResults.of(baseline, policy, List.of(
                graded("shop", "s", "s.test", policy, b -> b.suite("TLS_RSA_WITH_3DES_EDE_CBC_SHA"),
                        Findings.perfectWithout("X-Content-Type-Options"))), Map.of(), NOW).get("shop");
        assertThat(find(results, "s.test", "tls-ciphers").severity()).as("3DES caps at C").contains(Severity.HIGH);
        assertThat(find(results, "s.test", "x-content-type-options").severity()).as("a 5-point penalty").contains(Severity.LOW);
    }

    @Test
    void admissionAuditViolationsAreFailResultsOfTheirRuleInTheObjectsNamespace() {
        SecurityBaselineSpec spec = new SecurityBaselineSpec();
        spec.enforcement = new Enforcement();
        SecurityBaseline baseline = baseline("shop", spec);
        BaselinePolicy policy = BaselinePolicy.from(baseline, BaselinePolicyTest.LIMITS, false);
        java.time.Instant audited = NOW.minusSeconds(120);
        List<Violation> violations = List.of(
                new Violation("Secret", "shop", "db-credentials", "uid-db", Rule.SECRETS_FROM_GIT, Mode.Warn, "web",
                        "Secret db-credentials was not written by Vigil (mode Warn)"),
                new Violation("Ingress", "shop", "checkout", "uid-checkout", Rule.NO_DOWNGRADE_SWITCHES, Mode.Deny, "web",
                        "Ingress checkout turns off the HTTPS redirect (mode Deny)"),
                new Violation("HTTPRoute", "shop", "api", "", Rule.TLS_FOR_EVERY_HOST, Mode.Audit, "web",
                        "host api.test is served only by the HTTP listener"));

        List<ReportResult> results = BaselineReportResults.of(baseline, policy, List.of(), SecretHygieneGatherer.Gathered.NONE,
                violations, audited, Map.of(), NOW).get("shop");

        assertThat(results).hasSize(3).allSatisfy(r -> {
            assertThat(r.policy()).isEqualTo("shop/web");
            assertThat(r.result()).isEqualTo(Outcome.FAIL);
            assertThat(r.category()).isEqualTo("Admission");
            assertThat(r.timestamp()).isEqualTo(audited);
            assertThat(r.properties()).containsKey(ReportApi.RESULT_ID);
        });
        assertThat(results).extracting(r -> r.rule() + " " + r.resource().get().apiVersion() + " " + r.resource().get().kind() + "/"
                + r.resource().get().name() + " " + r.properties().get("mode") + " " + r.scored() + " " + r.severity().get())
                .containsExactly("secrets-from-git v1 Secret/db-credentials Warn false HIGH",
                        "no-downgrade-switches networking.k8s.io/v1 Ingress/checkout Deny true MEDIUM",
                        "tls-for-every-host gateway.networking.k8s.io/v1 HTTPRoute/api Audit false HIGH");
        assertThat(results.get(0).resource().get().uid()).isEqualTo("uid-db");
        assertThat(results.get(2).resource().get().uid()).as("a route whose uid is unknown").isNull();
        assertThat(results.get(0).message()).isEqualTo("Secret db-credentials was not written by Vigil (mode Warn)");
    }
}
