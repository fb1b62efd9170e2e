package dev.vigil.baseline;

import static dev.vigil.baseline.BaselineReasons.EVENT_BELOW_MINIMUM;
import static dev.vigil.baseline.BaselineReasons.EVENT_EXCEPTION_EXPIRED;
import static dev.vigil.baseline.BaselineReasons.EVENT_GRADE_DROPPED;
import static dev.vigil.baseline.BaselineReasons.EVENT_GRADE_RECOVERED;

import dev.vigil.grade.Grade;
import dev.vigil.grade.service.ControlResult;
import dev.vigil.grade.service.ServiceGrade;
import dev.vigil.grade.tls.MozillaLevel;
import dev.vigil.kube.EventRecorder;
import dev.vigil.metrics.ServiceSample;
import dev.vigil.metrics.VigilMetrics;
import io.fabric8.kubernetes.api.model.HasMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Tells people and Prometheus what changed, by comparing the previous status with the next one: Events on the
 * Ingress when a service falls below the minimum, drops or recovers, an Event on the baseline when an accepted
 * risk expires, and the metrics of every service. Nothing is remembered in memory, so a restart — whose first
 * "previous" is the stored status — repeats nothing. Events follow the status rows, so services beyond the row
 * cap (the best ones, rows being worst first) are announced only through metrics.
 */
@ApplicationScoped
public class BaselineAnnouncer {

    private final EventRecorder events;
    private final VigilMetrics metrics;

    public BaselineAnnouncer(EventRecorder events, VigilMetrics metrics) {
        this.events = events;
        this.metrics = metrics;
    }

    /**
     * An Event to record: on the object a row's service comes from ({@code row} set), or on the baseline itself.
     * Plain data, so what is announced is tested without an API server.
     */
    record Announcement(ServiceRow row, boolean warning, String reason, String message) {
    }

    /** @param sources finds the object a row's service comes from (for its Events), if it still exists */
    void announce(SecurityBaseline baseline, SecurityBaselineStatus previous, SecurityBaselineStatus next, Grade minimum,
            Function<ServiceRow, Optional<? extends HasMetadata>> sources) {
        for (Announcement a : changes(baseline.getMetadata().getName(), previous, next, minimum)) {
            Optional<? extends HasMetadata> target = a.row() == null ? Optional.of(baseline) : sources.apply(a.row());
            target.ifPresent(object -> {
                if (a.warning()) {
                    events.warning(object, a.reason(), a.message());
                } else {
                    events.normal(object, a.reason(), a.message());
                }
            });
        }
    }

    /** What changed between two statuses that people should hear about. */
    static List<Announcement> changes(String baselineName, SecurityBaselineStatus previous, SecurityBaselineStatus next,
            Grade minimum) {
        List<Announcement> out = new ArrayList<>();
        Map<String, ServiceRow> before = new HashMap<>();
        for (ServiceRow row : previous.services == null ? List.<ServiceRow>of() : previous.services) {
            before.put(identity(row), row);
        }
        for (ServiceRow row : next.services) {
            if (Boolean.TRUE.equals(row.pending()) || row.source() == null) {
                continue;
            }
            ServiceRow old = before.get(identity(row));
            boolean hadResult = old != null && !Boolean.TRUE.equals(old.pending());
            Optional<Grade> oldGrade = hadResult ? BaselineStatusAggregator.gradeOf(old) : Optional.empty();
            Optional<Grade> newGrade = BaselineStatusAggregator.gradeOf(row);
            boolean wasBelow = hadResult && oldGrade.map(g -> g.below(minimum)).orElse(true);
            boolean isBelow = newGrade.map(g -> g.below(minimum)).orElse(true);
            boolean dropped = oldGrade.isPresent() && newGrade.isPresent() && newGrade.get().compareTo(oldGrade.get()) < 0;
            String gradeText = newGrade.map(Grade::letter).orElse("no grade (" + Optional.ofNullable(row.error()).orElse("error") + ")");
            String fixes = row.failing().stream().limit(3).map(ControlRow::control).collect(Collectors.joining(", "));
            String message = baselineName + ": " + row.host() + " graded " + gradeText + (fixes.isEmpty() ? "" : "; failing " + fixes);
            if (isBelow && !wasBelow) {
                out.add(new Announcement(row, true, EVENT_BELOW_MINIMUM, message + " (minimum " + minimum.letter() + ")"));
            } else if (dropped) {
                out.add(new Announcement(row, true, EVENT_GRADE_DROPPED, message + " (was " + oldGrade.get().letter() + ")"));
            } else if (wasBelow && !isBelow) {
                out.add(new Announcement(row, false, EVENT_GRADE_RECOVERED, message));
            }
        }
        Set<String> expiredBefore = new HashSet<>();
        for (ExceptionStatus e : previous.exceptions == null ? List.<ExceptionStatus>of() : previous.exceptions) {
            if (ExceptionStatus.EXPIRED.equals(e.state())) {
                expiredBefore.add(identity(e));
            }
        }
        for (ExceptionStatus e : next.exceptions) {
            if (ExceptionStatus.EXPIRED.equals(e.state()) && !expiredBefore.contains(identity(e))) {
                out.add(new Announcement(null, true, EVENT_EXCEPTION_EXPIRED, "exception for " + e.control() + " on "
                        + String.join(", ", e.hosts()) + " (" + e.owner() + ") expired " + e.expires() + " and no longer applies"));
            }
        }
        return out;
    }

    /** A service's identity across statuses: the same host may be served through two Gateways. */
    private static String identity(ServiceRow row) {
        return row.namespace() + "/" + row.host() + (row.listener() == null ? "" : "@" + row.listener());
    }

    private static String identity(ExceptionStatus e) {
        return e.control() + "|" + e.hosts() + "|" + e.expires();
    }

    /**
     * Every service's series (all of them, not only the rows the status keeps), labelled with the object it comes
     * from ({@code ingress/shop}, {@code httproute/web}, {@code securitybaseline/<name>} for a URL of spec.targets). A
     * host one route serves through two Gateways is one series, its worst entrance: users may reach either.
     */
    void publish(SecurityBaseline baseline, List<GradedService> services, int activeExceptions, int expiredExceptions) {
        String namespace = baseline.getMetadata().getNamespace();
        String name = baseline.getMetadata().getName();
        Map<String, ServiceSample> samples = new java.util.LinkedHashMap<>();
        for (GradedService s : services) {
            if (s.pending()) {
                continue;
            }
            ServiceGrade grade = s.grade().get();
            String source = s.target().source().map(Object::toString).orElse("securitybaseline/" + name);
            ServiceSample sample = new ServiceSample(s.target().namespace(), name, s.target().host(), source,
                    grade.grade().map(g -> OptionalInt.of(g.value())).orElse(OptionalInt.empty()),
                    grade.score().map(OptionalInt::of).orElse(OptionalInt.empty()),
                    grade.belowMinimum(), MozillaLevel.rank(grade.tlsLevel()), grade.certificateNotAfter(),
                    grade.failing().stream().map(ControlResult::control).toList());
            samples.merge(sample.namespace() + "/" + sample.host() + "|" + source, sample, ServiceSample::worstOf);
        }
        metrics.publishServices(namespace + "/" + name, new ArrayList<>(samples.values()), activeExceptions, expiredExceptions,
                namespace, name);
    }

    void forget(String namespace, String name) {
        metrics.publishServices(namespace + "/" + name, List.of(), 0, 0, namespace, name);
    }
}
