package dev.vigil.cli;

import dev.vigil.grade.Grade;
import dev.vigil.grade.observatory.ObservatoryResult;
import dev.vigil.grade.observatory.TestResult;
import dev.vigil.grade.service.ControlCatalog;
import dev.vigil.grade.service.ControlLevel;
import dev.vigil.grade.service.ControlResult;
import dev.vigil.grade.service.ControlState;
import dev.vigil.grade.service.GradePolicy;
import dev.vigil.grade.service.ServiceGrade;
import dev.vigil.grade.tls.Guidelines;
import dev.vigil.grade.tls.MozillaEvaluation;
import dev.vigil.grade.tls.OpenSslVersion;
import dev.vigil.grade.tls.TlsConfiguration;
import dev.vigil.probe.ProbeFailure;
import dev.vigil.probe.ServiceEndpoint;
import dev.vigil.probe.ServiceFindings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What {@code vigil scan} prints: the report (text or JSON) and the baseline's PASS/WARN/FAIL checks. */
final class ScanReport {

    private ScanReport() {
    }

    static Map<String, Object> json(ServiceEndpoint endpoint, ServiceFindings findings, ServiceGrade grade,
            Optional<MozillaEvaluation> mozilla, GradePolicy policy) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("host", endpoint.host());
        doc.put("grade", grade.grade().map(Grade::letter).orElse(null));
        doc.put("score", grade.score().orElse(null));
        doc.put("algorithm", grade.algorithm().version());
        doc.put("minimumGrade", policy.minimumGrade().letter());
        doc.put("compliant", grade.compliant());
        grade.uncapped().filter(u -> !grade.grade().equals(Optional.of(u)))
                .ifPresent(u -> doc.put("observatoryGrade", u.letter()));
        doc.put("caps", grade.capReasons());
        grade.error().ifPresent(e -> {
            doc.put("error", e.message());
            doc.put("errorReason", e.reason());
        });
        List<Map<String, Object>> controls = new ArrayList<>();
        for (ControlResult c : grade.controls()) {
            Map<String, Object> control = new LinkedHashMap<>();
            control.put("control", c.control());
            control.put("state", c.state().label());
            control.put("level", c.level().label());
            control.put("detail", c.detail());
            if (c.failing()) {
                control.put("remediation", c.remediation());
            }
            controls.add(control);
        }
        doc.put("controls", controls);
        doc.put("accepted", grade.acceptedRisks());
        Map<String, Object> tests = new LinkedHashMap<>();
        for (TestResult t : grade.observatory().map(o -> o.tests().values()).orElse(List.of())) {
            Map<String, Object> test = new LinkedHashMap<>();
            test.put("result", t.result());
            test.put("scoreModifier", t.scoreModifier());
            test.put("pass", t.pass());
            if (!t.pass()) {
                test.put("remediation", t.remediation());
            }
            tests.put(t.name(), test);
        }
        doc.put("tests", tests);
        findings.tls().ifPresent(tls -> doc.put("tls", TlsSection.json(tls, mozilla.orElseGet(() ->
                dev.vigil.grade.tls.MozillaEvaluator.evaluate(tls, policy.guidelines().label())))));
        levelFix(grade, policy).ifPresent(config -> doc.put("tlsConfiguration", TlsConfigReport.json(config)));
        return doc;
    }

    /** The configuration meeting the required Mozilla level, when the service fails the {@code tls-level} control. */
    static Optional<TlsConfiguration> levelFix(ServiceGrade grade, GradePolicy policy) {
        boolean below = grade.failing().stream().anyMatch(c -> ControlCatalog.TLS_LEVEL.equals(c.control()));
        return below ? configurationFor(policy) : Optional.empty();
    }

    /** The configuration meeting the policy's level under its guidelines (none where the version lacks the level). */
    static Optional<TlsConfiguration> configurationFor(GradePolicy policy) {
        if (Guidelines.load(policy.guidelines().label()).level(policy.tlsLevel()).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(TlsConfiguration.of(policy.guidelines().label(), policy.tlsLevel(), OpenSslVersion.DEFAULT));
    }

    /** The text block {@code scan} prints for a host below its level: a heading, then every server's configuration. */
    static String levelFixText(TlsConfiguration config) {
        return "\nTLS configuration meeting Mozilla " + config.level().label() + " (guidelines " + config.guidelines() + "; "
                + config.command(Optional.empty()) + " --server nginx|haproxy|envoy|ingress-nginx prints one):\n\n"
                + TlsConfigReport.text(config);
    }

    static String text(ServiceEndpoint endpoint, ServiceFindings findings, ServiceGrade grade,
            Optional<MozillaEvaluation> mozilla, GradePolicy policy) {
        StringBuilder out = new StringBuilder();
        out.append("Host:  ").append(endpoint.host()).append('\n');
        out.append("Score: ").append(grade.score().map(String::valueOf).orElse("-")).append('\n');
        out.append("Grade: ").append(grade.grade().map(Grade::letter).orElse("none"))
                .append(grade.error().map(e -> "  (" + e.message() + ")").orElse(""))
                .append("   (Observatory algorithm ").append(grade.algorithm().version()).append(", minimum ")
                .append(policy.minimumGrade().letter()).append(grade.compliant() ? ", compliant" : ", NOT compliant").append(")\n");
        if (!grade.capReasons().isEmpty()) {
            out.append("Capped: ").append(String.join("; ", grade.capReasons()))
                    .append(grade.uncapped().map(u -> " (Observatory grade " + u.letter() + ")").orElse("")).append('\n');
        }
        Optional<ObservatoryResult> observatory = grade.observatory();
        if (observatory.isPresent()) {
            out.append("Tests passed: ").append(observatory.get().testsPassed()).append('/')
                    .append(observatory.get().tests().size()).append("\n\n");
            for (TestResult t : observatory.get().tests().values()) {
                out.append(String.format("  %-31s %-64s %4s  %s%n", t.name(), t.result(),
                        t.scoreModifier() > 0 ? "+" + t.scoreModifier() : String.valueOf(t.scoreModifier()), t.pass() ? "pass" : "FAIL"));
            }
        }
        List<ControlResult> failing = grade.failing();
        if (!failing.isEmpty()) {
            out.append("\nTo fix:\n");
            failing.forEach(c -> out.append("  ").append(c.control()).append(": ").append(c.remediation()).append('\n'));
        }
        if (!grade.acceptedRisks().isEmpty()) {
            out.append("\nAccepted:\n");
            grade.acceptedRisks().forEach(a -> out.append("  ").append(a).append('\n'));
        }
        List<String> notes = findings.http().map(h -> h.errors()).orElse(List.of());
        if (!notes.isEmpty()) {
            out.append("\nProbe notes:\n");
            notes.forEach(e -> out.append("  ").append(e).append('\n'));
        }
        if (findings.tls().isPresent() && mozilla.isPresent()) {
            out.append(TlsSection.text(findings.tls().get(), mozilla.get(), policy.tlsLevel().label()));
        } else if (findings.tls().isPresent()) {
            out.append(TlsSection.text(findings.tls().get(),
                    dev.vigil.grade.tls.MozillaEvaluator.evaluate(findings.tls().get(), policy.guidelines().label()),
                    policy.tlsLevel().label()));
        }
        levelFix(grade, policy).ifPresent(config -> out.append(levelFixText(config)));
        return out.toString();
    }

    /** A site that answered neither scheme: no grade and no test results, as MDN's Observatory reports it. */
    static Map<String, Object> down(ServiceEndpoint endpoint, ServiceFindings findings, Optional<MozillaEvaluation> mozilla) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("host", endpoint.host());
        doc.put("down", true);
        doc.put("grade", null);
        doc.put("score", null);
        doc.put("error", "The site seems to be down.");
        doc.put("probeErrors", findings.http().map(h -> h.errors()).orElse(List.of()));
        findings.tls().filter(t -> t.tlsAvailable() && mozilla.isPresent())
                .ifPresent(tls -> doc.put("tls", TlsSection.json(tls, mozilla.get())));
        return doc;
    }

    static String downText(ServiceEndpoint endpoint, ServiceFindings findings, Optional<MozillaEvaluation> mozilla,
            GradePolicy policy) {
        var target = endpoint.httpTarget(java.net.InetAddress.getLoopbackAddress());
        StringBuilder out = new StringBuilder();
        out.append("Host:  ").append(endpoint.host()).append('\n');
        out.append("Down:  no answer on ").append(target.httpUrl()).append(" or ").append(target.httpsUrl())
                .append("  (The site seems to be down.)").append('\n');
        findings.http().map(h -> h.errors()).orElse(List.of()).forEach(e -> out.append("  ").append(e).append('\n'));
        findings.failure().ifPresent(f -> out.append("  ").append(f.message()).append('\n'));
        if (findings.tls().isPresent() && findings.tls().get().tlsAvailable() && mozilla.isPresent()) {
            out.append(TlsSection.text(findings.tls().get(), mozilla.get(), policy.tlsLevel().label()));
        }
        return out.toString();
    }

    /** One line per control and one for the grade, like a test run: {@code FAIL: host control: detail — fix}. */
    static String checks(ServiceEndpoint endpoint, ServiceGrade grade, GradePolicy policy) {
        StringBuilder out = new StringBuilder();
        String host = endpoint.host();
        for (ControlResult c : grade.controls()) {
            String verdict;
            if (c.state() == ControlState.PASS) {
                verdict = "PASS";
            } else if (c.state() == ControlState.ACCEPTED) {
                verdict = "PASS";
            } else {
                verdict = c.level() == ControlLevel.FAIL ? "FAIL" : "WARN";
            }
            out.append(verdict).append(": ").append(host).append(' ').append(c.control()).append(": ").append(c.detail());
            if (c.failing() && !c.remediation().isEmpty()) {
                out.append(" — ").append(c.remediation());
            }
            out.append('\n');
        }
        if (grade.grade().isEmpty()) {
            out.append("FAIL: ").append(host).append(" grade: none (")
                    .append(grade.error().map(ProbeFailure::message).orElse("not graded")).append(")\n");
        } else {
            String letter = grade.grade().get().letter();
            out.append(grade.belowMinimum() ? "FAIL: " : "PASS: ").append(host).append(" grade: ").append(letter)
                    .append(grade.belowMinimum() ? " below" : " at or above").append(" minimum ")
                    .append(policy.minimumGrade().letter()).append('\n');
        }
        return out.toString();
    }
}
