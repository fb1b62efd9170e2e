package dev.vigil.grade.service;

import static dev.vigil.testsupport.Findings.PERFECT_HEADERS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.grade.AcceptedRisk;
import dev.vigil.grade.Grade;
import dev.vigil.grade.observatory.HstsPreloadList;
import dev.vigil.probe.ProbeFailure;
import dev.vigil.probe.ServiceFindings;
import dev.vigil.testsupport.Findings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The secret hygiene controls through the one grading path: caps, levels, accepted risks, and absence when not required. */
class SecretControlsTest {

    static final Instant NOW = Instant.parse("2026-11-23T00:00:00Z");
    static final String HOST = "shop.example.com";
    static final ServiceGrader GRADER = new ServiceGrader(HstsPreloadList.empty());
    static final ServiceFindings PERFECT = Findings.service(NOW, Findings.tls(HOST, NOW, b -> b), Findings.https(HOST, PERFECT_HEADERS));
    static final SecretHygiene STALE = new SecretHygiene(Optional.of(new SecretHygiene.Rotation(Duration.ofDays(90), 8,
            List.of("a", "b", "c", "d", "e", "f", "g"))), Optional.empty());
    static final SecretHygiene HAND_MADE = new SecretHygiene(Optional.empty(),
            Optional.of(new SecretHygiene.Source(12, List.of("db-password"), true)));

    ServiceGrade grade(GradePolicy policy, List<AcceptedRisk> risks, SecretHygiene secrets) {
        return GRADER.grade(PERFECT, policy, risks, HOST, CertificateExpectation.NONE, secrets, NOW);
    }

    @Test
    void notRequiredMeansNotJudged() {
        ServiceGrade g = grade(GradePolicy.defaults(), List.of(), SecretHygiene.NONE);
        assertThat(g.controls()).extracting(ControlResult::control).doesNotContainAnyElementsOf(SecretControls.NAMES);
        assertThat(g.grade()).contains(Grade.A_PLUS);
    }

    @Test
    void staleDocumentsCapAtCWithTheFixAndTheCount() {
        ServiceGrade g = grade(GradePolicy.defaults(), List.of(), STALE);
        assertThat(g.grade()).contains(Grade.C);
        assertThat(g.compliant()).isFalse();
        assertThat(g.failing()).singleElement().satisfies(c -> {
            assertThat(c.control()).isEqualTo(SecretControls.SECRET_ROTATION);
            assertThat(c.level()).isEqualTo(ControlLevel.FAIL);
            assertThat(c.detail()).isEqualTo("7 documents older than 90d: a, b, c, d, e and 2 more");
            assertThat(c.remediation()).isEqualTo("re-encrypt (sops updatekeys / vigil rekey) and commit: 7 documents older than 90d");
        });
        assertThat(g.capReasons()).containsExactly("secret documents past their maximum age → C");
    }

    @Test
    void freshDocumentsPass() {
        SecretHygiene fresh = new SecretHygiene(Optional.of(new SecretHygiene.Rotation(Duration.ofHours(2160), 3, List.of())),
                Optional.empty());
        ServiceGrade g = grade(GradePolicy.defaults(), List.of(), fresh);
        assertThat(g.grade()).contains(Grade.A_PLUS);
        assertThat(g.controls()).filteredOn(c -> c.control().equals(SecretControls.SECRET_ROTATION)).singleElement()
                .satisfies(c -> {
                    assertThat(c.state()).isEqualTo(ControlState.PASS);
                    assertThat(c.detail()).isEqualTo("3 documents at most 90d old");
                });
    }

    @Test
    void handMadeSecretsFailSecretSourceAndSayTheListWasCut() {
        ServiceGrade g = grade(GradePolicy.defaults(), List.of(), HAND_MADE);
        assertThat(g.grade()).contains(Grade.C);
        assertThat(g.failing()).singleElement().satisfies(c -> {
            assertThat(c.control()).isEqualTo(SecretControls.SECRET_SOURCE);
            assertThat(c.detail()).isEqualTo("1 Secret not from a SealedSecret: db-password (only the first 12 Secrets checked)");
        });
    }

    @Test
    void levelsAndAcceptedRisksApply() {
        GradePolicy warnOnly = new GradePolicy(GradePolicy.defaults().tlsLevel(), GradePolicy.defaults().guidelines(), 14,
                GradePolicy.defaults().algorithm(), Grade.D, Map.of(SecretControls.SECRET_SOURCE, ControlLevel.IGNORE));
        ServiceGrade ignored = grade(warnOnly, List.of(), HAND_MADE);
        assertThat(ignored.controls()).extracting(ControlResult::control).doesNotContain(SecretControls.SECRET_SOURCE);
        assertThat(ignored.grade()).contains(Grade.A_PLUS);

        ServiceGrade warned = grade(GradePolicy.defaults().withMinimumGrade(Grade.C), List.of(), STALE);
        assertThat(warned.failing()).singleElement().satisfies(c -> assertThat(c.level()).isEqualTo(ControlLevel.WARN));
        assertThat(warned.compliant()).as("C meets a C minimum; the control only warns").isTrue();

        AcceptedRisk risk = new AcceptedRisk(List.of(HOST), SecretControls.SECRET_ROTATION, "rotation scheduled", "team-shop",
                NOW.plus(Duration.ofDays(10)));
        ServiceGrade accepted = grade(GradePolicy.defaults(), List.of(risk), STALE);
        assertThat(accepted.grade()).contains(Grade.A_PLUS);
        assertThat(accepted.acceptedRisks()).singleElement().asString().startsWith("secret-rotation: rotation scheduled");
    }

    @Test
    void judgedEvenWhenTheServiceDidNotAnswer() {
        ServiceFindings failed = ServiceFindings.failed(NOW, ProbeFailure.TIMEOUT, "no answer within the probe budget of 5s");
        ServiceGrade g = GRADER.grade(failed, GradePolicy.defaults(), List.of(), HOST, CertificateExpectation.NONE, STALE, NOW);
        assertThat(g.grade()).isEmpty();
        assertThat(g.failing()).extracting(ControlResult::control).containsExactly(SecretControls.SECRET_ROTATION);
    }

    @Test
    void theCatalogKnowsThem() {
        assertThat(ControlCatalog.known(SecretControls.SECRET_ROTATION)).isTrue();
        assertThat(ControlCatalog.known(SecretControls.SECRET_SOURCE)).isTrue();
        assertThat(ControlCatalog.names()).contains(SecretControls.SECRET_ROTATION, SecretControls.SECRET_SOURCE);
        assertThat(SecretControls.age(Duration.ofDays(90))).isEqualTo("90d");
        assertThat(SecretControls.age(Duration.ofHours(36))).isEqualTo("36h");
    }
}
