package dev.vigil.sops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every case of the fixtures' manifest.json: genuine sops files and vectors made with real age/gpg. */
class FixtureCasesTest {

    static final ObjectMapper JSON = new ObjectMapper();

    record Case(String name, String file, SopsFormat format, List<String> keys, boolean success, String errorClass,
            String expected, boolean optional) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() throws IOException {
        JsonNode manifest = JSON.readTree(resource("manifest.json"));
        List<Case> cases = new ArrayList<>();
        for (JsonNode c : manifest.get("cases")) {
            List<String> keys = new ArrayList<>();
            c.get("keys").forEach(k -> keys.add(k.asText()));
            cases.add(new Case(c.get("name").asText(), c.get("file").asText(), SopsFormat.parse(c.get("format").asText()),
                    keys, "success".equals(c.get("expect").asText()),
                    c.get("error_class").isNull() ? null : c.get("error_class").asText(),
                    c.get("expected").asText(), c.path("optional").asBoolean(false)));
        }
        return cases.stream();
    }

    static SopsKeyring keyring(List<String> files) throws Exception {
        SopsKeyring keyring = SopsKeyring.empty();
        for (String file : files) {
            keyring = keyring.withKeyFile(new String(resource(file), StandardCharsets.UTF_8), file);
        }
        return keyring;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decryptsLikeSops(Case c) throws Exception {
        byte[] document = resource(c.file());
        SopsKeyring keys = keyring(c.keys());
        if (!c.success()) {
            assertThatThrownBy(() -> SopsDecryptor.decrypt(document, c.format(), keys))
                    .isInstanceOf(SopsException.class)
                    .satisfies(e -> assertThat(((SopsException) e).errorClass().name()).isEqualTo(c.errorClass()));
            return;
        }
        DecryptedDocument decrypted;
        try {
            decrypted = SopsDecryptor.decrypt(document, c.format(), keys);
        } catch (SopsException e) {
            Assumptions.assumeFalse(c.optional(), "optional feature not supported: " + e.getMessage());
            throw e;
        }
        JsonNode expected = JSON.readTree(resource(c.expected()));
        JsonNode actual = JSON.readTree(CleartextWriter.json(decrypted));
        if (c.format() == SopsFormat.BINARY) {
            assertThat(actual.get("binary_sha256")).isEqualTo(expected.get("binary_sha256"));
            assertThat(actual.get("binary_length")).isEqualTo(expected.get("binary_length"));
            assertThat(decrypted.binary()).isEqualTo(Base64.getDecoder().decode(expected.get("binary_base64").asText()));
        } else {
            assertThat(actual.get("documents")).isEqualTo(expected.get("documents"));
        }
        assertThat(decrypted.openedBy()).isNotBlank();
        assertThat(decrypted.toString()).doesNotContain("documents=[");
    }

    static byte[] resource(String path) throws IOException {
        try (InputStream in = FixtureCasesTest.class.getResourceAsStream("/sops/" + path)) {
            if (in == null) {
                throw new IOException("missing fixture " + path);
            }
            return in.readAllBytes();
        }
    }
}
