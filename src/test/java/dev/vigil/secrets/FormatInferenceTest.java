package dev.vigil.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.sops.SopsFormat;
import org.junit.jupiter.api.Test;

class FormatInferenceTest {

    @Test
    void infersEachStore() {
        assertThat(FormatInference.infer("a: ENC[AES256_GCM,...]\nsops:\n  version: 3.9.0\n", null)).isEqualTo(SopsFormat.YAML);
        assertThat(FormatInference.infer("{\n  \"a\": \"x\",\n  \"sops\": {}\n}", null)).isEqualTo(SopsFormat.JSON);
        assertThat(FormatInference.infer("{\"data\": \"ENC[...]\", \"sops\": {}}", "blob")).isEqualTo(SopsFormat.BINARY);
        assertThat(FormatInference.infer("KEY=ENC[...]\nsops_version=3.9.0\nsops_mac=ENC[...]\n", null)).isEqualTo(SopsFormat.DOTENV);
        assertThat(FormatInference.infer("[db]\nuser = ENC[...]\n\n[sops]\nversion = 3.9.0\n", null)).isEqualTo(SopsFormat.INI);
    }
}
