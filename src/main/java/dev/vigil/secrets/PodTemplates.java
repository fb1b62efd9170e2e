package dev.vigil.secrets;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/** Whether a pod spec consumes a Secret through env, envFrom, volumes or projected volumes. */
public final class PodTemplates {

    private PodTemplates() {
    }

    public static boolean usesSecret(PodSpec spec, String secretName) {
        if (spec == null) {
            return false;
        }
        Stream<Container> containers = Stream.concat(nonNull(spec.getContainers()).stream(),
                nonNull(spec.getInitContainers()).stream());
        return containers.anyMatch(c -> containerUses(c, secretName))
                || nonNull(spec.getVolumes()).stream().anyMatch(v -> volumeUses(v, secretName));
    }

    private static boolean containerUses(Container container, String secretName) {
        for (EnvVar env : nonNull(container.getEnv())) {
            if (env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null
                    && secretName.equals(env.getValueFrom().getSecretKeyRef().getName())) {
                return true;
            }
        }
        for (EnvFromSource from : nonNull(container.getEnvFrom())) {
            if (from.getSecretRef() != null && secretName.equals(from.getSecretRef().getName())) {
                return true;
            }
        }
        return false;
    }

    private static boolean volumeUses(Volume volume, String secretName) {
        if (volume.getSecret() != null && secretName.equals(volume.getSecret().getSecretName())) {
            return true;
        }
        if (volume.getProjected() == null) {
            return false;
        }
        return nonNull(volume.getProjected().getSources()).stream()
                .map(VolumeProjection::getSecret)
                .filter(Objects::nonNull)
                .anyMatch(s -> secretName.equals(s.getName()));
    }

    private static <T> List<T> nonNull(List<T> list) {
        return list == null ? List.of() : list;
    }
}
