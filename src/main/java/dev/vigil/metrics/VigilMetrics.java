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
    private final SeriesGauge sealedReady;
    private final SeriesGauge sealedLastSuccess;
    private final SeriesGauge sealedDocumentAge;
    private final MultiGauge keyInventory;
    private final SeriesGauge serviceGrade;
    private final SeriesGauge serviceScore;
    private final SeriesGauge serviceBelowMinimum;
    private final SeriesGauge serviceTlsLevel;
    private final SeriesGauge certificateExpiry;
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
        sealedReady = new SeriesGauge(MultiGauge.builder("vigil.sealedsecret.ready")
                .description("1 when the SealedSecret's Secret is up to date with its document").register(registry));
        sealedLastSuccess = new SeriesGauge(MultiGauge.builder("vigil.sealedsecret.last.success.timestamp").baseUnit("seconds")
                .description("Unix time of the last successful decryption").register(registry));
        sealedDocumentAge = new SeriesGauge(MultiGauge.builder("vigil.sealedsecret.document.age").baseUnit("seconds")
                .description("Seconds since the document's sops.lastmodified").register(registry));
        keyInventory = MultiGauge.builder("vigil.decryption.key.sealedsecrets")
                .description("SealedSecrets each decryption key (age recipient or PGP fingerprint) currently opens; retiring=\"true\" for keys whose key Secrets are all labelled vigil.dev/decryption-key-retiring=true")
                .register(registry);
        serviceGrade = new SeriesGauge(MultiGauge.builder("vigil.service.grade")
                .description("Service grade: F=0, D-=1, D=2, D+=3, C-=4, C=5, C+=6, B-=7, B=8, B+=9, A-=10, A=11, A+=12")
                .register(registry));
        serviceScore = new SeriesGauge(MultiGauge.builder("vigil.service.score").description("HTTP Observatory score").register(registry));
        serviceBelowMinimum = new SeriesGauge(MultiGauge.builder("vigil.service.below.minimum")
                .description("1 when the service's grade is below its baseline's minimum or it could not be graded")
                .register(registry));
        serviceTlsLevel = new SeriesGauge(MultiGauge.builder("vigil.service.tls.level")
                .description("Mozilla level met: 0 non-compliant, 1 old, 2 intermediate, 3 modern").register(registry));
        certificateExpiry = new SeriesGauge(MultiGauge.builder("vigil.certificate.expiry.timestamp").baseUnit("seconds")
                .description("Unix time the served certificate expires").register(registry));
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
        ExceptionCounts counts = exceptionsByBaseline.get(baselineKey);
        if (samples.equals(servicesByBaseline.getOrDefault(baselineKey, List.of())) && (counts == null
                ? activeExceptions == 0 && expiredExceptions == 0
                : counts.active() == activeExceptions && counts.expired() == expiredExceptions)) {
            // Most reconciles change nothing here; rebuilding every service's series of every baseline is not free.
            return;
        }
        if (samples.isEmpty() && activeExceptions == 0 && expiredExceptions == 0) {
            servicesByBaseline.remove(baselineKey);
            exceptionsByBaseline.remove(baselineKey);
        } else {
            servicesByBaseline.put(baselineKey, List.copyOf(samples));
            exceptionsByBaseline.put(baselineKey, new ExceptionCounts(Tags.of("namespace", namespace, "baseline", baseline),
                    activeExceptions, expiredExceptions));
        }
        List<ServiceSample> all = servicesByBaseline.values().stream().flatMap(List::stream).toList();
        serviceGrade.set(series(all.stream().filter(s -> s.grade().isPresent()), s -> s.grade().getAsInt()));
        serviceScore.set(series(all.stream().filter(s -> s.score().isPresent()), s -> s.score().getAsInt()));
        serviceBelowMinimum.set(series(all.stream(), s -> s.belowMinimum() ? 1 : 0));
        serviceTlsLevel.set(series(all.stream(), ServiceSample::tlsLevel));
        certificateExpiry.set(series(all.stream().filter(s -> s.certificateNotAfter().isPresent()),
                s -> s.certificateNotAfter().get().getEpochSecond()));
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

    private static Map<Tags, java.util.function.DoubleSupplier> series(Stream<ServiceSample> samples,
            java.util.function.ToDoubleFunction<ServiceSample> value) {
        Map<Tags, java.util.function.DoubleSupplier> out = new java.util.HashMap<>();
        samples.forEach(s -> out.put(serviceTags(s), SeriesGauge.value(value.applyAsDouble(s))));
        return out;
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
        Map<Tags, java.util.function.DoubleSupplier> ready = new java.util.HashMap<>();
        Map<Tags, java.util.function.DoubleSupplier> lastSuccess = new java.util.HashMap<>();
        Map<Tags, java.util.function.DoubleSupplier> documentAge = new java.util.HashMap<>();
        for (SealedSecretSample s : samples) {
            Tags tags = objectTags(s);
            ready.put(tags, SeriesGauge.value(s.ready() ? 1 : 0));
            s.lastSuccess().ifPresent(at -> lastSuccess.put(tags, SeriesGauge.value(at.getEpochSecond())));
            s.lastModified().ifPresent(at -> documentAge.put(tags, () -> (clock.millis() - at.toEpochMilli()) / 1000.0));
        }
        sealedReady.set(ready);
        sealedLastSuccess.set(lastSuccess);
        sealedDocumentAge.set(documentAge);
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
