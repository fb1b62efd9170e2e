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

/**
 * Creates or updates the Secret of a SealedSecret. Writes nothing when the cleartext's revision and
 * the requested metadata are already in place, so re-encrypting a document changes nothing.
 */
@ApplicationScoped
public class SecretWriter {

    public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY = "vigil";
    public static final String REVISION_ANNOTATION = "vigil.dev/revision";
    public static final String ADOPT_ANNOTATION = "vigil.dev/managed";

    public record Result(String revision, boolean created, boolean changed, List<String> rolledWorkloads) {
    }

    private final KubernetesClient client;
    private final RevisionKey revisionKey;

    public SecretWriter(KubernetesClient client, RevisionKey revisionKey) {
        this.client = client;
        this.revisionKey = revisionKey;
    }

    public Result write(SealedSecret owner, SecretPayload payload) throws PayloadException {
        String namespace = owner.getMetadata().getNamespace();
        String name = owner.getMetadata().getName();
        SecretTemplate template = owner.getSpec().template == null ? new SecretTemplate() : owner.getSpec().template;
        String type = template.type != null ? template.type : payload.type().orElse("Opaque");
        String revision = Revision.of(revisionKey.get(), type, payload.data());

        var resource = client.secrets().inNamespace(namespace).withName(name);
        Secret existing = resource.get();
        if (existing != null && !ownedBy(existing, owner) && !adoptable(existing)) {
            throw new PayloadException(Outcome.SecretNotOwned, "Secret " + name + " exists and is not managed by Vigil; "
                    + "annotate it " + ADOPT_ANNOTATION + "=\"true\" to let Vigil take it over");
        }
        Secret desired = desired(owner, template, type, revision, payload, existing);
        if (existing != null && upToDate(existing, desired)) {
            return new Result(revision, false, false, List.of());
        }
        if (existing == null) {
            client.secrets().inNamespace(namespace).resource(desired).create();
        } else if (Boolean.TRUE.equals(existing.getImmutable()) || !Objects.equals(existing.getType(), type)) {
            // Type and immutable Secrets cannot change in place.
            resource.delete();
            client.secrets().inNamespace(namespace).resource(desired).create();
        } else {
            desired.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
            client.secrets().inNamespace(namespace).resource(desired).update();
        }
        String previousRevision = existing == null ? null : annotation(existing, REVISION_ANNOTATION);
        boolean contentChanged = !revision.equals(previousRevision);
        List<String> rolled = contentChanged && previousRevision != null && owner.getSpec().rolloutEnabled()
                ? WorkloadRollout.roll(client, namespace, name, revision)
                : List.of();
        return new Result(revision, existing == null, true, rolled);
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

    private static boolean upToDate(Secret existing, Secret desired) {
        var meta = existing.getMetadata();
        return Objects.equals(annotation(existing, REVISION_ANNOTATION), annotation(desired, REVISION_ANNOTATION))
                && containsAll(meta.getLabels(), desired.getMetadata().getLabels())
                && containsAll(meta.getAnnotations(), desired.getMetadata().getAnnotations())
                && meta.getOwnerReferences() != null
                && meta.getOwnerReferences().stream().anyMatch(r -> Objects.equals(r.getUid(),
                        desired.getMetadata().getOwnerReferences().get(0).getUid()))
                && Objects.equals(existing.getData(), desired.getData())
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
