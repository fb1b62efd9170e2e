package dev.vigil.baseline;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A plain Secret as the {@code secret-source} control sees it: name, type, labels, annotation names, owner UIDs and
 * the names of its keys. Made as soon as a Secret is read, so no value is ever kept.
 */
public record SecretFacts(String namespace, String name, String uid, String created, String type, Map<String, String> labels,
        Set<String> annotations, Set<String> keys, Set<String> ownerUids) {

    public SecretFacts {
        labels = Map.copyOf(labels);
        annotations = Set.copyOf(annotations);
        keys = Set.copyOf(keys);
        ownerUids = Set.copyOf(ownerUids);
    }

    public static SecretFacts of(Secret secret) {
        ObjectMeta meta = secret.getMetadata();
        Set<String> keys = new TreeSet<>();
        if (secret.getData() != null) {
            keys.addAll(secret.getData().keySet());
        }
        if (secret.getStringData() != null) {
            keys.addAll(secret.getStringData().keySet());
        }
        List<OwnerReference> owners = meta.getOwnerReferences() == null ? List.of() : meta.getOwnerReferences();
        return new SecretFacts(meta.getNamespace(), meta.getName(), meta.getUid(), meta.getCreationTimestamp(),
                secret.getType() == null ? "Opaque" : secret.getType(),
                meta.getLabels() == null ? Map.of() : meta.getLabels(),
                meta.getAnnotations() == null ? Set.of() : meta.getAnnotations().keySet(), keys,
                new TreeSet<>(owners.stream().map(OwnerReference::getUid).filter(u -> u != null).toList()));
    }
}
