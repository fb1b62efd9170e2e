package dev.vigil.baseline;

import dev.vigil.grade.AcceptedRisk;
import dev.vigil.grade.service.CertificateExpectation;
import dev.vigil.grade.service.GradePolicy;
import dev.vigil.grade.service.SecretHygiene;
import dev.vigil.grade.service.ServiceGrade;
import dev.vigil.grade.service.ServiceGrader;
import dev.vigil.probe.ServiceFindings;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers each service's last grade, so a reconcile regrades only what changed: new findings, another policy,
 * another set of active accepted risks, another expected certificate, other secret facts of its namespace, or a new hour (certificate days left are the only thing that moves with
 * time alone). A baseline of 10,000 services is reconciled many times while its probes come in; without this each
 * reconcile would grade all of them again.
 */
final class GradeMemo {

    private record Key(ResourceID baseline, String endpoint) {
    }

    private record Entry(ServiceFindings findings, GradePolicy policy, List<AcceptedRisk> activeRisks,
            CertificateExpectation expectation, SecretHygiene secrets, Instant hour, ServiceGrade grade) {
    }

    private final ServiceGrader grader;
    private final Map<Key, Entry> entries = new ConcurrentHashMap<>();

    GradeMemo(ServiceGrader grader) {
        this.grader = grader;
    }

    ServiceGrade grade(ResourceID baseline, ServiceTarget target, ServiceFindings findings, GradePolicy policy,
            List<AcceptedRisk> risks, CertificateExpectation expectation, SecretHygiene secrets, Instant now) {
        List<AcceptedRisk> active = risks.stream().filter(r -> !r.expired(now)).toList();
        Instant hour = now.truncatedTo(ChronoUnit.HOURS);
        Key key = new Key(baseline, target.key());
        Entry known = entries.get(key);
        if (known != null && known.findings() == findings && known.policy().equals(policy)
                && known.activeRisks().equals(active) && known.expectation().equals(expectation) && known.secrets().equals(secrets) && known.hour().equals(hour)) {
            return known.grade();
        }
        ServiceGrade grade = grader.grade(findings, policy, active, target.host(), expectation, secrets, now);
        entries.put(key, new Entry(findings, policy, active, expectation, secrets, hour, grade));
        return grade;
    }

    void retain(ResourceID baseline, Set<String> endpointKeys) {
        entries.keySet().removeIf(k -> k.baseline().equals(baseline) && !endpointKeys.contains(k.endpoint()));
    }

    void forget(ResourceID baseline) {
        entries.keySet().removeIf(k -> k.baseline().equals(baseline));
    }
}
