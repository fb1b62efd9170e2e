package dev.vigil.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import org.junit.jupiter.api.Test;

class PodTemplatesTest {

    @Test
    void envSecretKeyRef() {
        PodSpec spec = new PodSpecBuilder().addNewContainer().withName("c").addNewEnv().withName("P")
                .withNewValueFrom().withNewSecretKeyRef().withName("db").withKey("pw").endSecretKeyRef().endValueFrom()
                .endEnv().endContainer().build();
        assertThat(PodTemplates.usesSecret(spec, "db")).isTrue();
        assertThat(PodTemplates.usesSecret(spec, "other")).isFalse();
    }

    @Test
    void envFromInInitContainer() {
        PodSpec spec = new PodSpecBuilder().addNewContainer().withName("c").endContainer()
                .addNewInitContainer().withName("i").addNewEnvFrom().withNewSecretRef().withName("db").endSecretRef()
                .endEnvFrom().endInitContainer().build();
        assertThat(PodTemplates.usesSecret(spec, "db")).isTrue();
    }

    @Test
    void secretVolume() {
        PodSpec spec = new PodSpecBuilder().addNewVolume().withName("v").withNewSecret().withSecretName("tls")
                .endSecret().endVolume().build();
        assertThat(PodTemplates.usesSecret(spec, "tls")).isTrue();
        assertThat(PodTemplates.usesSecret(spec, "db")).isFalse();
    }

    @Test
    void projectedVolume() {
        PodSpec spec = new PodSpecBuilder().addNewVolume().withName("v").withNewProjected()
                .addNewSource().withNewConfigMap().withName("cm").endConfigMap().endSource()
                .addNewSource().withNewSecret().withName("db").endSecret().endSource()
                .endProjected().endVolume().build();
        assertThat(PodTemplates.usesSecret(spec, "db")).isTrue();
        assertThat(PodTemplates.usesSecret(spec, "cm")).isFalse();
    }

    @Test
    void emptySpec() {
        assertThat(PodTemplates.usesSecret(new PodSpec(), "db")).isFalse();
        assertThat(PodTemplates.usesSecret(null, "db")).isFalse();
    }
}
