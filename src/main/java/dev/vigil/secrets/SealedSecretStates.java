package dev.vigil.secrets;

import dev.vigil.kube.Conditions;
import dev.vigil.kube.Timestamps;
import dev.vigil.metrics.SealedSecretSample;
import dev.vigil.metrics.VigilMetrics;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The last known state of each SealedSecret and the decryption keys held, published as metrics. */
final class SealedSecretStates {

    private final VigilMetrics metrics;
    private final Map<ResourceID, SealedSecretSample> samples = new ConcurrentHashMap<>();
    /** Each key held (recipient or fingerprint) and whether it is retiring; replaced when a key Secret changes. */
    private volatile Map<String, Boolean> keyInventory = Map.of();
    /** The key Secrets' names and resourceVersions the inventory was read from, so unchanged Secrets are not parsed again. */
    private volatile List<String> inventoryVersions = List.of();

    SealedSecretStates(VigilMetrics metrics) {
        this.metrics = metrics;
    }

    void decryption(SealedSecret resource, Outcome outcome) {
        metrics.sealedSecretDecryption(resource.getMetadata().getNamespace(), outcome.name());
    }

    void record(SealedSecret resource, SealedSecretStatus status) {
        var sample = new SealedSecretSample(resource.getMetadata().getNamespace(), resource.getMetadata().getName(),
                Conditions.isTrue(status.conditions, SealedSecretReconciler.READY),
                Timestamps.instant(status.lastSuccessTime), Timestamps.instant(status.lastModified), openingKeys(status.openedBy));
        if (!sample.equals(samples.put(ResourceID.fromResource(resource), sample))) {
            metrics.publishSealedSecrets(samples.values(), keyInventory);
        }
    }

    /** Reads the keys the key Secrets hold when those Secrets changed, so keys that open nothing show as 0. */
    synchronized void keySecrets(Collection<Secret> keySecrets) {
        List<String> versions = keySecrets.stream()
                .map(s -> s.getMetadata().getName() + "@" + s.getMetadata().getResourceVersion()).sorted().toList();
        if (versions.equals(inventoryVersions)) {
            return;
        }
        inventoryVersions = versions;
        Map<String, Boolean> inventory = KeySecrets.inventory(keySecrets);
        if (!inventory.equals(keyInventory)) {
            keyInventory = Map.copyOf(inventory);
            metrics.publishSealedSecrets(samples.values(), keyInventory);
        }
    }

    void forget(ResourceID id) {
        if (samples.remove(id) != null) {
            metrics.publishSealedSecrets(samples.values(), keyInventory);
        }
    }

    /** The keys named by a status's openedBy (comma separated, one per key group that opened the document). */
    static List<String> openingKeys(String openedBy) {
        return openedBy == null ? List.of() : Arrays.stream(openedBy.split(",")).map(String::trim)
                .filter(s -> !s.isEmpty()).toList();
    }
}
