package dev.vigil.secrets;

import dev.vigil.kube.Conditions;
import dev.vigil.metrics.SealedSecretSample;
import dev.vigil.metrics.VigilMetrics;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The last known state of each SealedSecret, published as metrics. */
final class SealedSecretStates {

    private final VigilMetrics metrics;
    private final Map<ResourceID, SealedSecretSample> samples = new ConcurrentHashMap<>();

    SealedSecretStates(VigilMetrics metrics) {
        this.metrics = metrics;
    }

    void decryption(SealedSecret resource, Outcome outcome) {
        metrics.sealedSecretDecryption(resource.getMetadata().getNamespace(), outcome.name());
    }

    void record(SealedSecret resource, SealedSecretStatus status) {
        var sample = new SealedSecretSample(resource.getMetadata().getNamespace(), resource.getMetadata().getName(),
                Conditions.isTrue(status.conditions, SealedSecretReconciler.READY),
                instant(status.lastSuccessTime), instant(status.lastModified), keys(status.openedBy));
        if (!sample.equals(samples.put(ResourceID.fromResource(resource), sample))) {
            metrics.publishSealedSecrets(samples.values());
        }
    }

    void forget(ResourceID id) {
        if (samples.remove(id) != null) {
            metrics.publishSealedSecrets(samples.values());
        }
    }

    private static List<String> keys(String openedBy) {
        return openedBy == null ? List.of() : Arrays.stream(openedBy.split(",")).map(String::trim)
                .filter(s -> !s.isEmpty()).toList();
    }

    private static Optional<Instant> instant(String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(text).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
