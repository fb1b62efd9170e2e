package dev.vigil.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.grade.AcceptedRisk;
import dev.vigil.grade.observatory.HstsPreloadList;
import dev.vigil.grade.service.ServiceGrader;
import dev.vigil.kube.Conditions;
import dev.vigil.probe.ProbeFailure;
import dev.vigil.probe.ServiceEndpoint;
import dev.vigil.probe.ServiceFindings;
import dev.vigil.testsupport.Findings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The status a set of graded services gives, and what a change of status announces. */
class BaselineStatusAggregatorTest {

    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    static final ServiceGrader GRADER = new ServiceGrader(HstsPreloadList.empty());
    static final BaselineStatusAggregator AGGREGATOR = new BaselineStatusAggregator(new BaselineStatusAggregator.Bounds(3, 2));

    static BaselinePolicy policy() {
        return BaselinePolicy.from(BaselinePolicyTest.baseline(new SecurityBaselineSpec()), BaselinePolicyTest.LIMITS, false);
    }

    static GradedService service(String host, List<String> headers, BaselinePolicy policy) {
        ServiceFindings findings = Findings.service(NOW.minusSeconds(5), Findings.tls(host, NOW, b -> b), Findings.https(host, headers));
        return new GradedService(target(host), Optional.of(findings),
                Optional.of(GRADER.grade(findings, policy.grading(), policy.risks(), host, NOW)));
    }

    static GradedService pending(String host) {
        return new GradedService(target(host), Optional.empty(), Optional.empty());
    }

    static GradedService failed(String host, BaselinePolicy policy) {
        ServiceFindings findings = ServiceFindings.failed(NOW, ProbeFailure.TIMEOUT, "no answer within the probe budget of 5s");
        return new GradedService(target(host), Optional.of(findings),
                Optional.of(GRADER.grade(findings, policy.grading(), policy.risks(), host, NOW)));
    }

    static ServiceTarget target(String host) {
        return new ServiceTarget("shop", Optional.of(new ServiceTarget.SourceRef("Ingress", host.split("\\.")[0])),
                new ServiceEndpoint(host, 443, "/", Optional.empty(), 443, 80, dev.vigil.probe.AddressSource.USER));
    }

    @Test
    void rowsAreWorstFirstBoundedAndTheSummaryIsExact() {
        BaselinePolicy policy = policy();
        List<GradedService> services = List.of(
                service("a.test", Findings.PERFECT_HEADERS, policy),
                service("b.test", Findings.perfectWithout("Content-Security-Policy", "Strict-Transport-Security",
                        "X-Content-Type-Options", "X-Frame-Options"), policy),
                pending("c.test"),
                failed("d.test", policy),
                service("e.test", Findings.perfectWithout("Content-Security-Policy"), policy));
        SecurityBaselineStatus status = AGGREGATOR.graded(new SecurityBaselineStatus(), policy, services, 3, NOW);
        assertThat(status.services).extracting(ServiceRow::host).containsExactly("d.test", "b.test", "e.test");
        assertThat(status.servicesOmitted).isEqualTo(2);
        assertThat(status.summary.services()).isEqualTo(5);
        assertThat(status.summary.belowMinimum()).isEqualTo(2);
        assertThat(status.summary.nonCompliant()).isEqualTo(2);
        assertThat(status.summary.worstGrade()).isEqualTo("F");
        assertThat(status.summary.byGrade()).containsEntry("A+", 1).containsEntry("B", 1).containsEntry("D", 1).containsEntry("none", 1);
        assertThat(status.services.get(0).errorReason()).isEqualTo(ProbeFailure.TIMEOUT);
        assertThat(status.services.get(1).failing()).hasSize(2);
        assertThat(status.services.get(1).moreFailing()).isEqualTo(2);
        assertThat(status.services.get(1).algorithm()).isEqualTo(4);
        assertThat(status.observedGeneration).isEqualTo(3);
        assertThat(Conditions.find(status.conditions, "Ready")).hasValueSatisfying(c -> {
            assertThat(c.getStatus()).isEqualTo("False");
            assertThat(c.getReason()).isEqualTo(BaselineReasons.PROBING);
            assertThat(c.getObservedGeneration()).isEqualTo(3);
        });
        assertThat(Conditions.reason(status.conditions, "Compliant")).contains(BaselineReasons.BELOW_MINIMUM);
    }

    @Test
    void theSameWorldGivesTheSameStatus() {
        BaselinePolicy policy = policy();
        List<GradedService> services = List.of(service("a.test", Findings.PERFECT_HEADERS, policy));
        SecurityBaselineStatus first = AGGREGATOR.graded(new SecurityBaselineStatus(), policy, services, 1, NOW);
        SecurityBaselineStatus second = AGGREGATOR.graded(first, policy, services, 1, NOW.plusSeconds(30));
        assertThat(second).isEqualTo(first);
        assertThat(Conditions.reason(second.conditions, "Compliant")).contains(BaselineReasons.ALL_COMPLIANT);
    }

    @Test
    void anInvalidSpecKeepsTheLastRowsAndSaysWhy() {
        BaselinePolicy good = policy();
        SecurityBaselineStatus graded = AGGREGATOR.graded(new SecurityBaselineStatus(), good,
                List.of(service("a.test", Findings.PERFECT_HEADERS, good)), 1, NOW);
        SecurityBaselineSpec spec = new SecurityBaselineSpec();
        spec.requirements.minimumGrade = "E";
        BaselinePolicy bad = BaselinePolicy.from(BaselinePolicyTest.baseline(spec), BaselinePolicyTest.LIMITS, false);
        SecurityBaselineStatus invalid = AGGREGATOR.invalid(graded, bad, 2, NOW);
        assertThat(invalid.services).isEqualTo(graded.services);
        assertThat(Conditions.find(invalid.conditions, "Ready")).hasValueSatisfying(c -> {
            assertThat(c.getReason()).isEqualTo(BaselineReasons.INVALID_SPEC);
            assertThat(c.getMessage()).contains("minimumGrade");
            assertThat(c.getObservedGeneration()).isEqualTo(2);
        });
        assertThat(Conditions.find(invalid.conditions, "Compliant")).map(c -> c.getStatus()).contains("Unknown");
    }

    /** updateErrorStatus: an API error or a bug ends in Ready=False with a reason, and the last rows stay. */
    @Test
    void aFailedReconcileSaysSoAndKeepsTheLastRows() {
        BaselinePolicy policy = policy();
        SecurityBaselineStatus graded = AGGREGATOR.graded(new SecurityBaselineStatus(), policy,
                List.of(service("a.test", Findings.PERFECT_HEADERS, policy)), 1, NOW);
        SecurityBaselineStatus failed = BaselineStatusAggregator.failed(graded, 3L,
                new io.fabric8.kubernetes.client.KubernetesClientException("the server is currently unable to handle the request"), NOW);
        assertThat(failed.services).isEqualTo(graded.services);
        assertThat(failed.summary).isEqualTo(graded.summary);
        assertThat(Conditions.find(failed.conditions, "Ready")).hasValueSatisfying(c -> {
            assertThat(c.getStatus()).isEqualTo("False");
            assertThat(c.getReason()).isEqualTo(BaselineReasons.RECONCILE_FAILED);
            assertThat(c.getMessage()).contains("KubernetesClientException").contains("unable to handle").contains("retrying");
            assertThat(c.getObservedGeneration()).isEqualTo(3);
        });
    }

    @Test
    void exceptionsAreJudgedNow() {
        List<ExceptionStatus> judged = BaselineStatusAggregator.exceptions(List.of(
                new AcceptedRisk(List.of("a.test"), "cookies", "legacy cookie jar", "team", NOW.plusSeconds(1)),
                new AcceptedRisk(List.of("b.test"), "cookies", "legacy cookie jar", "team", NOW)), NOW);
        assertThat(judged).extracting(ExceptionStatus::state).containsExactly("active", "expired");
    }

    @Test
    void announcementsFollowGradeTransitionsAndARestartRepeatsNothing() {
        BaselinePolicy policy = policy();
        List<String> fine = Findings.PERFECT_HEADERS;
        List<String> bad = Findings.perfectWithout("Content-Security-Policy", "Strict-Transport-Security",
                "X-Content-Type-Options", "X-Frame-Options");
        SecurityBaselineStatus empty = new SecurityBaselineStatus();
        SecurityBaselineStatus s1 = AGGREGATOR.graded(empty, policy, List.of(service("a.test", fine, policy), service("b.test", bad, policy)), 1, NOW);
        assertThat(BaselineAnnouncer.changes("web", empty, s1, policy.grading().minimumGrade()))
                .extracting(BaselineAnnouncer.Announcement::reason).containsExactly(BaselineReasons.EVENT_BELOW_MINIMUM);
        // Nothing changed (a restart reads s1 as the previous status): nothing to say.
        assertThat(BaselineAnnouncer.changes("web", s1, s1, policy.grading().minimumGrade())).isEmpty();
        // a.test drops to B (still at the minimum), b.test recovers.
        SecurityBaselineStatus s2 = AGGREGATOR.graded(s1, policy, List.of(
                service("a.test", Findings.perfectWithout("Content-Security-Policy"), policy), service("b.test", fine, policy)), 1, NOW);
        List<BaselineAnnouncer.Announcement> changes = BaselineAnnouncer.changes("web", s1, s2, policy.grading().minimumGrade());
        assertThat(changes).extracting(BaselineAnnouncer.Announcement::reason)
                .containsExactlyInAnyOrder(BaselineReasons.EVENT_GRADE_DROPPED, BaselineReasons.EVENT_GRADE_RECOVERED);
        assertThat(changes).filteredOn(a -> a.reason().equals(BaselineReasons.EVENT_GRADE_DROPPED))
                .singleElement().satisfies(a -> assertThat(a.message()).contains("a.test graded B").contains("was A+"));
    }

    @Test
    void anExpiryIsAnnouncedOnce() {
        SecurityBaselineStatus before = new SecurityBaselineStatus();
        before.exceptions = List.of(new ExceptionStatus("cookies", List.of("a.test"), "team", "2026-11-23T00:00:00Z", "active"));
        SecurityBaselineStatus after = new SecurityBaselineStatus();
        after.exceptions = new ArrayList<>(List.of(new ExceptionStatus("cookies", List.of("a.test"), "team", "2026-11-23T00:00:00Z", "expired")));
        assertThat(BaselineAnnouncer.changes("web", before, after, dev.vigil.grade.Grade.B))
                .singleElement().satisfies(a -> {
                    assertThat(a.reason()).isEqualTo(BaselineReasons.EVENT_EXCEPTION_EXPIRED);
                    assertThat(a.row()).isNull();
                });
        assertThat(BaselineAnnouncer.changes("web", after, after, dev.vigil.grade.Grade.B)).isEmpty();
    }

    static GradedService throughGateway(String host, String gateway, List<String> headers, BaselinePolicy policy) {
        GradedService plain = service(host, headers, policy);
        ServiceTarget target = new ServiceTarget("shop", Optional.of(new ServiceTarget.SourceRef("HTTPRoute", "web")),
                new ServiceEndpoint(host, 443, "/", Optional.of(gateway), 443, 80, dev.vigil.probe.AddressSource.USER),
                Optional.of(new ListenerRef("infra", gateway, "https", 443, "HTTPS", true, List.of(), List.of())));
        return new GradedService(target, plain.findings(), plain.grade());
    }

    @Test
    void aHostServedThroughTwoGatewaysIsTwoRowsAnnouncedApart() {
        BaselinePolicy policy = policy();
        List<String> fine = Findings.PERFECT_HEADERS;
        List<String> bad = Findings.perfectWithout("Content-Security-Policy", "Strict-Transport-Security",
                "X-Content-Type-Options", "X-Frame-Options");
        SecurityBaselineStatus s1 = AGGREGATOR.graded(new SecurityBaselineStatus(), policy, List.of(
                throughGateway("shop.test", "edge", fine, policy), throughGateway("shop.test", "internal", bad, policy)), 1, NOW);
        assertThat(s1.services).extracting(r -> r.source() + " " + r.listener() + " " + r.grade())
                .containsExactly("httproute/web gateway/infra/internal/https D", "httproute/web gateway/infra/edge/https A+");
        // Only the bad entrance is announced, and only on its own change.
        assertThat(BaselineAnnouncer.changes("web", new SecurityBaselineStatus(), s1, policy.grading().minimumGrade()))
                .singleElement().satisfies(a -> assertThat(a.row().listener()).isEqualTo("gateway/infra/internal/https"));
        SecurityBaselineStatus s2 = AGGREGATOR.graded(s1, policy, List.of(
                throughGateway("shop.test", "edge", bad, policy), throughGateway("shop.test", "internal", fine, policy)), 1, NOW);
        assertThat(BaselineAnnouncer.changes("web", s1, s2, policy.grading().minimumGrade()))
                .extracting(a -> a.reason() + " " + a.row().listener()).containsExactlyInAnyOrder(
                        BaselineReasons.EVENT_BELOW_MINIMUM + " gateway/infra/edge/https",
                        BaselineReasons.EVENT_GRADE_RECOVERED + " gateway/infra/internal/https");
    }
}
