package dev.vigil.secrets;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.function.Function;

/**
 * Rolls the Deployments, StatefulSets and DaemonSets that use a Secret by writing the Secret's
 * revision into their pod template annotations, which makes their controllers replace the pods.
 */
final class WorkloadRollout {

    private WorkloadRollout() {
    }

    static String annotationKey(String secretName) {
        return secretName + ".secrets.vigil.dev/revision";
    }

    /** Returns {@code kind/name} of every workload whose template was changed. */
    static List<String> roll(KubernetesClient client, String namespace, String secretName, String revision) {
        List<String> rolled = new ArrayList<>();
        rolled.addAll(roll("deployment", client.apps().deployments(), namespace, secretName, revision,
                d -> d.getSpec().getTemplate()));
        rolled.addAll(roll("statefulset", client.apps().statefulSets(), namespace, secretName, revision,
                s -> s.getSpec().getTemplate()));
        rolled.addAll(roll("daemonset", client.apps().daemonSets(), namespace, secretName, revision,
                d -> d.getSpec().getTemplate()));
        return rolled;
    }

    private static <T extends HasMetadata, L extends KubernetesResourceList<T>, R extends Resource<T>> List<String> roll(
            String kind, MixedOperation<T, L, R> operation, String namespace, String secretName, String revision,
            Function<T, PodTemplateSpec> template) {
        String key = annotationKey(secretName);
        List<String> rolled = new ArrayList<>();
        for (T workload : operation.inNamespace(namespace).list().getItems()) {
            PodTemplateSpec spec = template.apply(workload);
            if (spec == null || !PodTemplates.usesSecret(spec.getSpec(), secretName)) {
                continue;
            }
            var annotations = spec.getMetadata() == null ? null : spec.getMetadata().getAnnotations();
            if (annotations != null && revision.equals(annotations.get(key))) {
                continue;
            }
            operation.inNamespace(namespace).withName(workload.getMetadata().getName()).edit(w -> {
                PodTemplateSpec t = template.apply(w);
                if (t.getMetadata() == null) {
                    t.setMetadata(new ObjectMeta());
                }
                var updated = new HashMap<String, String>();
                if (t.getMetadata().getAnnotations() != null) {
                    updated.putAll(t.getMetadata().getAnnotations());
                }
                updated.put(key, revision);
                t.getMetadata().setAnnotations(updated);
                return w;
            });
            rolled.add(kind + "/" + workload.getMetadata().getName());
        }
        return rolled;
    }

}
