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

    @Test
    void iniSectionLinesMayCarrySurroundingBlanks() {
        assertThat(FormatInference.infer("[db]\r\nuser = x\r\n \t[sops]\t \r\nversion = 3\r\n", null)).isEqualTo(SopsFormat.INI);
        assertThat(FormatInference.infer("a: \"[sops] x\"\nsops:\n  version: 3\n", null)).isEqualTo(SopsFormat.YAML);
    }

    @Test
    void aMegabyteOfBlankLinesIsReadOnce() {
        // (?m)^\s*\[sops]\s*$ retried every line start against all the blank lines after it: quadratic.
        // A tenant controls spec.document. The outcome is asserted here; the time shows in how long the suite runs.
        String hostile = "\n \t".repeat(350_000) + "[sops";
        assertThat(FormatInference.infer(hostile, null)).isEqualTo(SopsFormat.YAML);
    }
}
