package dev.vigil.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.grade.Grade;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Events come from comparing two statuses: no in-memory grade map, nothing announced twice. */
class BaselineAnnouncerTest {

    static ServiceRow row(String host, String grade) {
        return new ServiceRow("shop", "ingress/" + host, host, false, grade, 90, 4, true, "intermediate", null,
                List.of(new ControlRow("x-frame-options", "fail", "warn", "missing", "add it")), 0, List.of(), null, null, null);
    }

    static ServiceRow pending(String host) {
        return new ServiceRow("shop", "ingress/" + host, host, true, null, null, null, null, null, null, List.of(), 0, List.of(),
                null, null, null);
    }

    static SecurityBaselineStatus status(List<ServiceRow> rows, List<ExceptionStatus> exceptions) {
        SecurityBaselineStatus s = new SecurityBaselineStatus();
        s.services = new ArrayList<>(rows);
        s.exceptions = new ArrayList<>(exceptions);
        return s;
    }

    static List<String> reasons(SecurityBaselineStatus before, SecurityBaselineStatus after) {
        return BaselineAnnouncer.changes("web", before, after, Grade.parse("B").orElseThrow()).stream()
                .map(a -> a.reason() + " " + (a.row() == null ? "baseline" : a.row().host())).toList();
    }

    @Test
    void aFirstGradeBelowTheMinimumIsAnnouncedOnceAndAGoodOneNotAtAll() {
        SecurityBaselineStatus probing = status(List.of(pending("a.test"), pending("b.test")), List.of());
        SecurityBaselineStatus graded = status(List.of(row("a.test", "C"), row("b.test", "A")), List.of());
        assertThat(reasons(probing, graded)).containsExactly("BelowMinimumGrade a.test");
        assertThat(reasons(graded, graded)).as("the same status again says nothing").isEmpty();
    }

    @Test
    void dropsAndRecoveriesAreToldOnTheServicesObject() {
        SecurityBaselineStatus before = status(List.of(row("a.test", "A+"), row("b.test", "D")), List.of());
        SecurityBaselineStatus after = status(List.of(row("a.test", "A-"), row("b.test", "B")), List.of());
        var changes = BaselineAnnouncer.changes("web", before, after, Grade.parse("B").orElseThrow());
        assertThat(changes).extracting(BaselineAnnouncer.Announcement::reason).containsExactly("GradeDropped", "GradeRecovered");
        assertThat(changes.get(0).warning()).isTrue();
        assertThat(changes.get(0).message()).contains("a.test graded A-").contains("(was A+)").contains("failing x-frame-options");
        assertThat(changes.get(1).warning()).isFalse();
        assertThat(changes.get(1).row().source()).isEqualTo("ingress/b.test");
    }

    @Test
    void anExceptionThatExpiresIsAnnouncedOnTheBaselineOnce() {
        ExceptionStatus active = new ExceptionStatus("redirection", List.of("a.test"), "team-shop", "2026-12-01", ExceptionStatus.ACTIVE);
        ExceptionStatus expired = new ExceptionStatus("redirection", List.of("a.test"), "team-shop", "2026-12-01", ExceptionStatus.EXPIRED);
        SecurityBaselineStatus before = status(List.of(row("a.test", "A")), List.of(active));
        SecurityBaselineStatus after = status(List.of(row("a.test", "A")), List.of(expired));
        assertThat(reasons(before, after)).containsExactly("ExceptionExpired baseline");
        assertThat(reasons(after, after)).isEmpty();
    }
}
