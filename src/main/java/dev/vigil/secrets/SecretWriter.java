package dev.vigil.secrets;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Creates or updates the Secret of a SealedSecret. Whether to write, and whether to roll workloads, is
 * decided from the data itself, never from the revision alone: a new revision key (the old one lost)
 * changes every revision but must neither rewrite a Secret nor roll a workload. The informer cache
 * holds managed Secrets without their data, so the live Secret is read only when a write may be
 * needed: when the cached copy is not the exact version last checked against this revision.
 */
@ApplicationScoped
public class SecretWriter {

    public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY = "vigil";
    public static final String REVISION_ANNOTATION = "vigil.dev/revision";
    public static final String ADOPT_ANNOTATION = "vigil.dev/managed";

    public record Result(String revision, boolean created, boolean changed, List<String> rolledWorkloads) {
    }

    /** A Secret version whose data was found to be this revision's (read live, or just written). */
    private record Verified(String resourceVersion, String revision) {
    }

    private final KubernetesClient client;
    private final RevisionKey revisionKey;
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();

    public SecretWriter(KubernetesClient client, RevisionKey revisionKey) {
        this.client = client;
        this.revisionKey = revisionKey;
    }

    public Result write(SealedSecret owner, SecretPayload payload) throws PayloadException {
        return write(owner, payload, Optional.empty());
    }

    /** @param cached the managed Secret as the informer holds it (metadata, type, immutable; no data), if any */
    public Result write(SealedSecret owner, SecretPayload payload, Optional<Secret> cached) throws PayloadException {
        String namespace = owner.getMetadata().getNamespace();
        String name = owner.getMetadata().getName();
        SecretTemplate template = owner.getSpec().template == null ? new SecretTemplate() : owner.getSpec().template;
        String type = SecretTemplates.effectiveType(owner.getSpec(), payload);
        String revision = Revision.of(revisionKey.get(), namespace, name, type, payload.data());
        String id = namespace + "/" + name;

        Secret desired = desired(owner, template, type, revision, payload, null);
        if (cached.isPresent() && ownedBy(cached.get(), owner) && metadataUpToDate(cached.get(), desired)
                && new Verified(cached.get().getMetadata().getResourceVersion(), revision).equals(verified.get(id))) {
            return new Result(revision, false, false, List.of()); // nothing changed since this version was checked
        }

        var resource = client.secrets().inNamespace(namespace).withName(name);
        Secret existing = resource.get();
        if (existing != null && !ownedBy(existing, owner) && !adoptable(existing)) {
            throw new PayloadException(Outcome.SecretNotOwned, "Secret " + name + " exists and is not managed by Vigil; "
                    + "annotate it " + ADOPT_ANNOTATION + "=\"true\" to let Vigil take it over");
        }
        desired = desired(owner, template, type, revision, payload, existing);
        boolean contentChanged = existing == null || !sameContent(existing, desired);
        if (existing != null && !contentChanged && metadataUpToDate(existing, desired) && ownedBy(existing, owner)) {
            // Same data under another revision (a new revision key) is no change: keep the Secret as it is.
            verified.put(id, new Verified(existing.getMetadata().getResourceVersion(), revision));
            return new Result(revision, false, false, List.of());
        }
        Secret written;
        if (existing == null) {
            written = client.secrets().inNamespace(namespace).resource(desired).create();
        } else if (Boolean.TRUE.equals(existing.getImmutable()) || !Objects.equals(existing.getType(), type)) {
            // Type and immutable Secrets cannot change in place.
            resource.delete();
            written = client.secrets().inNamespace(namespace).resource(desired).create();
        } else {
            desired.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
            written = client.secrets().inNamespace(namespace).resource(desired).update();
        }
        verified.put(id, new Verified(written == null ? null : written.getMetadata().getResourceVersion(), revision));
        List<String> rolled = contentChanged && existing != null && owner.getSpec().rolloutEnabled()
                ? WorkloadRollout.roll(client, namespace, name, revision)
                : List.of();
        return new Result(revision, existing == null, true, rolled);
    }

    /** Forgets what was checked for a SealedSecret that is gone. */
    public void forget(String namespace, String name) {
        verified.remove(namespace + "/" + name);
    }

    private static Secret desired(SealedSecret owner, SecretTemplate template, String type, String revision,
            SecretPayload payload, Secret existing) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (template.labels != null) {
            labels.putAll(template.labels);
        }
        labels.put(MANAGED_BY_LABEL, MANAGED_BY);
        Map<String, String> annotations = new LinkedHashMap<>();
        if (template.annotations != null) {
            annotations.putAll(template.annotations);
        }
        if (existing != null && "true".equals(annotation(existing, ADOPT_ANNOTATION))) {
            annotations.put(ADOPT_ANNOTATION, "true");
        }
        annotations.put(REVISION_ANNOTATION, revision);
        Map<String, String> data = new LinkedHashMap<>();
        payload.data().forEach((k, v) -> data.put(k, Base64.getEncoder().encodeToString(v)));
        return new SecretBuilder()
                .withNewMetadata()
                .withName(owner.getMetadata().getName())
                .withNamespace(owner.getMetadata().getNamespace())
                .withLabels(labels)
                .withAnnotations(annotations)
                .withOwnerReferences(ownerReference(owner))
                .endMetadata()
                .withType(type)
                .withImmutable(Boolean.TRUE.equals(template.immutable) ? Boolean.TRUE : null)
                .withData(data)
                .build();
    }

    /** Data, type and immutability: what the Secret's consumers see. */
    private static boolean sameContent(Secret existing, Secret desired) {
        return Objects.equals(existing.getData() == null ? Map.of() : existing.getData(), desired.getData())
                && Objects.equals(existing.getType(), desired.getType())
                && Objects.equals(Boolean.TRUE.equals(existing.getImmutable()), Boolean.TRUE.equals(desired.getImmutable()));
    }

    /** Labels and annotations asked for (the revision aside), owner and type and immutability: all visible without data. */
    private static boolean metadataUpToDate(Secret existing, Secret desired) {
        var meta = existing.getMetadata();
        Map<String, String> wantedAnnotations = new LinkedHashMap<>(desired.getMetadata().getAnnotations());
        wantedAnnotations.remove(REVISION_ANNOTATION);
        return containsAll(meta.getLabels(), desired.getMetadata().getLabels())
                && containsAll(meta.getAnnotations(), wantedAnnotations)
                && meta.getOwnerReferences() != null
                && meta.getOwnerReferences().stream().anyMatch(r -> Objects.equals(r.getUid(),
                        desired.getMetadata().getOwnerReferences().get(0).getUid()))
                && Objects.equals(existing.getType(), desired.getType())
                && Objects.equals(Boolean.TRUE.equals(existing.getImmutable()), Boolean.TRUE.equals(desired.getImmutable()));
    }

    private static boolean containsAll(Map<String, String> actual, Map<String, String> wanted) {
        return wanted == null || wanted.isEmpty() || (actual != null && actual.entrySet().containsAll(wanted.entrySet()));
    }

    private static OwnerReference ownerReference(SealedSecret owner) {
        return new OwnerReferenceBuilder()
                .withApiVersion(owner.getApiVersion())
                .withKind(owner.getKind())
                .withName(owner.getMetadata().getName())
                .withUid(owner.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build();
    }

    private static boolean ownedBy(Secret secret, SealedSecret owner) {
        List<OwnerReference> refs = secret.getMetadata().getOwnerReferences();
        return refs != null && refs.stream().anyMatch(r -> Objects.equals(r.getUid(), owner.getMetadata().getUid()));
    }

    private static boolean adoptable(Secret secret) {
        return "true".equals(annotation(secret, ADOPT_ANNOTATION));
    }

    private static String annotation(Secret secret, String key) {
        Map<String, String> annotations = secret.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(key);
    }
}
