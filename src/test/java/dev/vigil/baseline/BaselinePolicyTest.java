package dev.vigil.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.grade.Grade;
import dev.vigil.grade.observatory.ObservatoryAlgorithm;
import dev.vigil.grade.service.ControlLevel;
import dev.vigil.grade.tls.GuidelinesVersion;
import dev.vigil.grade.tls.MozillaLevel;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BaselinePolicyTest {

    static final BaselinePolicy.Limits LIMITS = new BaselinePolicy.Limits(Duration.ofMinutes(1), Duration.ofSeconds(60));

    static SecurityBaseline baseline(SecurityBaselineSpec spec) {
        SecurityBaseline b = new SecurityBaseline();
        b.getMetadata().setName("web");
        b.getMetadata().setNamespace("shop");
        b.setSpec(spec);
        return b;
    }

    @Test
    void anEmptySpecGetsEveryDefault() {
        BaselinePolicy policy = BaselinePolicy.from(baseline(null), LIMITS, false);
        assertThat(policy.valid()).isTrue();
        assertThat(policy.grading().tlsLevel()).isEqualTo(MozillaLevel.INTERMEDIATE);
        assertThat(policy.grading().guidelines()).isEqualTo(GuidelinesVersion.V5_8);
        assertThat(policy.grading().algorithm()).isEqualTo(ObservatoryAlgorithm.V4);
        assertThat(policy.grading().minimumGrade()).isEqualTo(Grade.B);
        assertThat(policy.grading().minCertificateDays()).isEqualTo(14);
        assertThat(policy.interval()).isEqualTo(Duration.ofHours(1));
        assertThat(policy.timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(policy.connection().httpsPort()).isEqualTo(443);
        assertThat(policy.scope().selector()).isEmpty();
    }

    @Test
    void valuesTheCodeCannotUseAreProblemsNotExceptions() {
        SecurityBaselineSpec spec = new SecurityBaselineSpec();
        spec.requirements.observatoryAlgorithm = 7;
        spec.requirements.tlsLevel = "paranoid";
        spec.requirements.minimumGrade = "E";
        spec.requirements.controls = Map.of("no-such-control", "fail", "cookies", "sometimes");
        spec.schedule.interval = "1d";
        ProbeTarget target = new ProbeTarget();
        target.url = "ftp://files.example.com/";
        spec.targets = List.of(target);
        AcceptedRiskSpec risk = new AcceptedRiskSpec();
        risk.hosts = List.of("a.example.com");
        risk.control = "cookies";
        risk.reason = "legacy cookie, fixed next quarter";
        risk.owner = "team";
        risk.expires = "2026-13-45";
        spec.exceptions = List.of(risk);
        BaselinePolicy policy = BaselinePolicy.from(baseline(spec), LIMITS, false);
        assertThat(policy.valid()).isFalse();
        assertThat(String.join("\n", policy.problems()))
                .contains("requirements.observatoryAlgorithm: unknown value 7")
                .contains("requirements.tlsLevel: unknown value paranoid")
                .contains("requirements.minimumGrade: unknown value E")
                .contains("unknown control no-such-control")
                .contains("requirements.controls.cookies: sometimes is not fail, warn or ignore")
                .contains("schedule.interval: 1d")
                .contains("targets: ftp://files.example.com/")
                .contains("exceptions[0].expires: 2026-13-45");
    }

    @Test
    void guidelines60HaveNoOldLevel() {
        SecurityBaselineSpec spec = new SecurityBaselineSpec();
        spec.requirements.tlsLevel = "old";
        spec.requirements.tlsGuidelines = "6.0";
        assertThat(BaselinePolicy.from(baseline(spec), LIMITS, false).problems()).singleElement().asString().contains("no old level");
    }

    @Test
    void aTenantCannotProbeInALoopOrHoldThePool() {
        SecurityBaselineSpec spec = new SecurityBaselineSpec();
        spec.schedule.interval = "1ms";
        spec.schedule.timeout = "10m";
        BaselinePolicy policy = BaselinePolicy.from(baseline(spec), LIMITS, false);
        assertThat(policy.valid()).isTrue();
        assertThat(policy.interval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(policy.timeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(policy.adjustments()).hasSize(2);
    }

    @Test
    void onlyTrustedNamespacesReachIntoOthers() {
        SecurityBaselineSpec spec = new SecurityBaselineSpec();
        spec.selector = new LabelSelectorBuilder().build();
        spec.namespaceSelector = new LabelSelectorBuilder().addToMatchLabels("team", "shop").build();
        BaselinePolicy untrusted = BaselinePolicy.from(baseline(spec), LIMITS, false);
        assertThat(untrusted.scope().namespaceSelector()).isEmpty();
        assertThat(untrusted.scope().watches("other")).isFalse();
        assertThat(untrusted.adjustments()).singleElement().asString().contains("namespaceSelector ignored");
        BaselinePolicy trusted = BaselinePolicy.from(baseline(spec), LIMITS, true);
        assertThat(trusted.scope().watches("other")).isTrue();
        assertThat(trusted.adjustments()).isEmpty();
    }

    @Test
    void controlLevelsAndRisksAreRead() {
        SecurityBaselineSpec spec = new SecurityBaselineSpec();
        spec.requirements.controls = Map.of("content-security-policy", "fail", "x-frame-options", "ignore");
        AcceptedRiskSpec risk = new AcceptedRiskSpec();
        risk.hosts = List.of("*.example.com");
        risk.control = "cookies";
        risk.reason = "legacy cookie, fixed next quarter";
        risk.owner = "team";
        risk.expires = "2026-09-30";
        spec.exceptions = List.of(risk);
        BaselinePolicy policy = BaselinePolicy.from(baseline(spec), LIMITS, false);
        assertThat(policy.grading().controls()).containsEntry("content-security-policy", ControlLevel.FAIL)
                .containsEntry("x-frame-options", ControlLevel.IGNORE);
        // A date is the end of that day in UTC.
        assertThat(policy.risks()).singleElement().satisfies(r -> {
            assertThat(r.expires()).isEqualTo(Instant.parse("2026-10-01T00:00:00Z"));
            assertThat(r.expired(Instant.parse("2026-09-30T23:59:59Z"))).isFalse();
            assertThat(r.expired(Instant.parse("2026-10-01T00:00:00Z"))).isTrue();
        });
    }

    @Test
    void explicitTargetsKeepTheirPortAndPath() {
        SecurityBaselineSpec spec = new SecurityBaselineSpec();
        ProbeTarget target = new ProbeTarget();
        target.url = "https://Billing.Example.com:8443/health";
        target.connectAddress = "10.0.0.7";
        spec.targets = List.of(target);
        BaselinePolicy policy = BaselinePolicy.from(baseline(spec), LIMITS, false);
        assertThat(policy.targets()).containsExactly(new BaselinePolicy.ExplicitTarget("billing.example.com", 8443, "/health",
                java.util.Optional.of("10.0.0.7")));
    }
}
