package dev.vigil.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
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
                .description("SealedSecrets each decryption key (age recipient or PGP fingerprint) currently opens")
                .register(registry);
    }

    public void sealedSecretDecryption(String namespace, String outcome) {
        Counter.builder("vigil.sealedsecret.decryptions")
                .description("Decryption attempts by outcome")
                .tags("namespace", namespace, "outcome", outcome)
                .register(registry).increment();
    }

    public synchronized void publishSealedSecrets(Collection<SealedSecretSample> samples) {
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
                .flatMap(s -> s.openedBy().stream())
                .collect(Collectors.groupingBy(k -> k, Collectors.counting())));
        keyInventory.register(perKey.entrySet().stream()
                .map(e -> MultiGauge.Row.of(Tags.of("key", e.getKey()), e.getValue()))
                .collect(Collectors.toList()), true);
    }

    private static Tags objectTags(SealedSecretSample s) {
        return Tags.of("namespace", s.namespace(), "name", s.name());
    }

}
