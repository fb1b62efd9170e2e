package dev.vigil.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Every Vigil series. Gauges are rows over the operator's own state whose values are read at
 * scrape time; the set of rows is replaced whenever that state changes, so deleted objects vanish.
 * Labels are bounded: namespaces, object names, hosts, key identifiers and fixed enums only.
 */
@ApplicationScoped
public class VigilMetrics {

    private final MeterRegistry registry;
    private final Clock clock;
    private final MultiGauge sealedReady;
    private final MultiGauge sealedLastSuccess;
    private final MultiGauge sealedDocumentAge;
    private final MultiGauge keyInventory;
    private final MultiGauge serviceGrade;
    private final MultiGauge serviceScore;
    private final MultiGauge serviceBelowMinimum;
    private final MultiGauge serviceTlsLevel;
    private final MultiGauge certificateExpiry;
    private final MultiGauge controlFailures;
    private final MultiGauge exceptions;
    private final MultiGauge admissionViolations;
    private final Map<String, List<AdmissionSample>> admissionByBaseline = new ConcurrentHashMap<>();
    private final Timer tlsProbes;
    private final Timer httpProbes;
    private final Map<String, List<ServiceSample>> servicesByBaseline = new ConcurrentHashMap<>();
    private final Map<String, ExceptionCounts> exceptionsByBaseline = new ConcurrentHashMap<>();

    private record ExceptionCounts(Tags tags, int active, int expired) {
    }

    @Inject
    public VigilMetrics(MeterRegistry registry, @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev") String version) {
        this(registry, Clock.systemUTC(), version);
    }

    VigilMetrics(MeterRegistry registry, Clock clock, String version) {
        this.registry = registry;
        this.clock = clock;
        Gauge.builder("vigil.build.info", () -> 1).tag("version", version)
                .description("Vigil build; always 1").register(registry);
        sealedReady = MultiGauge.builder("vigil.sealedsecret.ready")
                .description("1 when the SealedSecret's Secret is up to date with its document").register(registry);
        sealedLastSuccess = MultiGauge.builder("vigil.sealedsecret.last.success.timestamp").baseUnit("seconds")
                .description("Unix time of the last successful decryption").register(registry);
        sealedDocumentAge = MultiGauge.builder("vigil.sealedsecret.document.age").baseUnit("seconds")
                .description("Seconds since the document's sops.lastmodified").register(registry);
        keyInventory = MultiGauge.builder("vigil.decryption.key.sealedsecrets")
                .description("SealedSecrets each decryption key (age recipient or PGP fingerprint) currently opens; retiring=\"true\" for keys whose key Secrets are all labelled vigil.dev/decryption-key-retiring=true")
                .register(registry);
        serviceGrade = MultiGauge.builder("vigil.service.grade")
                .description("Service grade: F=0, D-=1, D=2, D+=3, C-=4, C=5, C+=6, B-=7, B=8, B+=9, A-=10, A=11, A+=12")
                .register(registry);
        serviceScore = MultiGauge.builder("vigil.service.score").description("HTTP Observatory score").register(registry);
        serviceBelowMinimum = MultiGauge.builder("vigil.service.below.minimum")
                .description("1 when the service's grade is below its baseline's minimum or it could not be graded")
                .register(registry);
        serviceTlsLevel = MultiGauge.builder("vigil.service.tls.level")
                .description("Mozilla level met: 0 non-compliant, 1 old, 2 intermediate, 3 modern").register(registry);
        certificateExpiry = MultiGauge.builder("vigil.certificate.expiry.timestamp").baseUnit("seconds")
                .description("Unix time the served certificate expires").register(registry);
        controlFailures = MultiGauge.builder("vigil.control.failures")
                .description("Services currently failing each control").register(registry);
        exceptions = MultiGauge.builder("vigil.exceptions")
                .description("Accepted risks of a baseline by state (active, expired)").register(registry);
        admissionViolations = MultiGauge.builder("vigil.admission.violations")
                .description("Existing objects the admission rules would refuse, warn about or audit, by rule and the baseline's mode")
                .register(registry);
        tlsProbes = probeTimer("tls");
        httpProbes = probeTimer("http");
    }

    private Timer probeTimer(String probe) {
        return Timer.builder("vigil.probe.duration").description("Duration of one probe of a service")
                .tag("probe", probe)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(5))
                .maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry);
    }

    public void probeCompleted(Duration tls, Duration http, Optional<String> errorReason) {
        if (!tls.isZero()) {
            tlsProbes.record(tls);
        }
        if (!http.isZero()) {
            httpProbes.record(http);
        }
        errorReason.ifPresent(reason -> Counter.builder("vigil.probe.errors")
                .description("Probes that could not complete, by reason")
                .tags("probe", "service", "reason", reason)
                .register(registry).increment());
    }

    /** Replaces the rows of one baseline; an empty list removes them. */
    public synchronized void publishServices(String baselineKey, List<ServiceSample> samples, int activeExceptions,
            int expiredExceptions, String namespace, String baseline) {
        if (samples.isEmpty() && activeExceptions == 0 && expiredExceptions == 0) {
            servicesByBaseline.remove(baselineKey);
            exceptionsByBaseline.remove(baselineKey);
        } else {
            servicesByBaseline.put(baselineKey, List.copyOf(samples));
            exceptionsByBaseline.put(baselineKey, new ExceptionCounts(Tags.of("namespace", namespace, "baseline", baseline),
                    activeExceptions, expiredExceptions));
        }
        List<ServiceSample> all = servicesByBaseline.values().stream().flatMap(List::stream).toList();
        serviceGrade.register(all.stream().filter(s -> s.grade().isPresent())
                .map(s -> MultiGauge.Row.of(serviceTags(s), s.grade().getAsInt())).collect(Collectors.toList()), true);
        serviceScore.register(all.stream().filter(s -> s.score().isPresent())
                .map(s -> MultiGauge.Row.of(serviceTags(s), s.score().getAsInt())).collect(Collectors.toList()), true);
        serviceBelowMinimum.register(all.stream()
                .map(s -> MultiGauge.Row.of(serviceTags(s), s.belowMinimum() ? 1 : 0)).collect(Collectors.toList()), true);
        serviceTlsLevel.register(all.stream()
                .map(s -> MultiGauge.Row.of(serviceTags(s), s.tlsLevel())).collect(Collectors.toList()), true);
        certificateExpiry.register(all.stream().filter(s -> s.certificateNotAfter().isPresent())
                .map(s -> MultiGauge.Row.of(serviceTags(s), s.certificateNotAfter().get().getEpochSecond()))
                .collect(Collectors.toList()), true);
        Map<Tags, Long> failures = all.stream()
                .flatMap(s -> s.failingControls().stream().map(c -> Tags.of("namespace", s.namespace(), "control", c)))
                .collect(Collectors.groupingBy(t -> t, Collectors.counting()));
        controlFailures.register(failures.entrySet().stream()
                .map(e -> MultiGauge.Row.of(e.getKey(), e.getValue())).collect(Collectors.toList()), true);
        exceptions.register(exceptionsByBaseline.values().stream().flatMap(e -> Stream.of(
                MultiGauge.Row.of(e.tags().and("state", "active"), e.active()),
                MultiGauge.Row.of(e.tags().and("state", "expired"), e.expired())))
                .collect(Collectors.toList()), true);
    }

    /**
     * Replaces one baseline's background-audit counts (one sample per rule, zeros included, so the series
     * exist before anything violates); an empty list removes them. Rows sum over baselines per namespace,
     * rule and mode: at most 3 rules × 3 modes per namespace.
     */
    public synchronized void publishAdmissionViolations(String baselineKey, List<AdmissionSample> samples) {
        if (samples.isEmpty()) {
            admissionByBaseline.remove(baselineKey);
        } else {
            admissionByBaseline.put(baselineKey, List.copyOf(samples));
        }
        Map<Tags, Integer> rows = admissionByBaseline.values().stream().flatMap(List::stream)
                .collect(Collectors.groupingBy(a -> Tags.of("namespace", a.namespace(), "rule", a.rule(), "mode", a.mode()),
                        Collectors.summingInt(AdmissionSample::violations)));
        admissionViolations.register(rows.entrySet().stream()
                .map(e -> MultiGauge.Row.of(e.getKey(), e.getValue())).collect(Collectors.toList()), true);
    }

    private static Tags serviceTags(ServiceSample s) {
        return Tags.of("namespace", s.namespace(), "baseline", s.baseline(), "host", s.host(), "source", s.source());
    }

    public void sealedSecretDecryption(String namespace, String outcome) {
        Counter.builder("vigil.sealedsecret.decryptions")
                .description("Decryption attempts by outcome")
                .tags("namespace", namespace, "outcome", outcome)
                .register(registry).increment();
    }

    /**
     * Replaces the SealedSecret rows and the key inventory. {@code keys} holds every key the key Secrets hold (age
     * recipient or PGP fingerprint) and whether it is retiring: each is a row, 0 when it opens nothing, so a key that
     * can be removed is visible; keys that opened a document but are held no more are rows with retiring="false".
     */
    public synchronized void publishSealedSecrets(Collection<SealedSecretSample> samples, Map<String, Boolean> keys) {
        sealedReady.register(samples.stream()
                .map(s -> MultiGauge.Row.of(objectTags(s), s.ready() ? 1 : 0))
                .collect(Collectors.toList()), true);
        sealedLastSuccess.register(samples.stream()
                .filter(s -> s.lastSuccess().isPresent())
                .map(s -> MultiGauge.Row.of(objectTags(s), s.lastSuccess().get().getEpochSecond()))
                .collect(Collectors.toList()), true);
        sealedDocumentAge.register(samples.stream()
                .filter(s -> s.lastModified().isPresent())
                .map(s -> MultiGauge.Row.of(objectTags(s), s,
                        x -> (clock.millis() - x.lastModified().get().toEpochMilli()) / 1000.0))
                .collect(Collectors.toList()), true);
        Map<String, Long> perKey = new TreeMap<>(samples.stream()
                .filter(SealedSecretSample::ready)
                .flatMap(s -> s.openedBy().stream().distinct())
                .collect(Collectors.groupingBy(k -> k, Collectors.counting())));
        keys.keySet().forEach(k -> perKey.putIfAbsent(k, 0L));
        keyInventory.register(perKey.entrySet().stream()
                .map(e -> MultiGauge.Row.of(Tags.of("key", keyLabel(e.getKey()),
                        "retiring", Boolean.TRUE.equals(keys.get(e.getKey())) ? "true" : "false"), e.getValue()))
                .collect(Collectors.toList()), true);
    }

    /**
     * A key as a label value: age X25519 recipients (62 characters) and PGP fingerprints as they are; a post-quantum
     * recipient (about 1,950 characters) by its start and end, enough to tell keys apart and find them in a file.
     */
    static String keyLabel(String key) {
        return key.length() <= 80 ? key : key.substring(0, 24) + "…" + key.substring(key.length() - 12);
    }

    private static Tags objectTags(SealedSecretSample s) {
        return Tags.of("namespace", s.namespace(), "name", s.name());
    }

}
