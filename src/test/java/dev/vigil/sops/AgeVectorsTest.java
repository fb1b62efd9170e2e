package dev.vigil.sops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The age layer alone, on the vectors from sops' own age tests (X25519, ssh-ed25519, scrypt-protected identity). */
class AgeVectorsTest {

    static JsonNode vectors() throws Exception {
        return new ObjectMapper().readTree(FixtureCasesTest.resource("age-unit/age-vectors.json"));
    }

    @Test
    void x25519() throws Exception {
        JsonNode v = vectors().get("x25519");
        Age.Identity identity = Age.parseIdentity(v.get("identity").asText());
        assertThat(identity.recipient()).isEqualTo(v.get("recipient").asText());
        byte[] clear = Age.decrypt(Age.dearmor(v.get("armored").asText()), List.of(identity));
        assertThat(new String(clear, StandardCharsets.UTF_8)).isEqualTo(v.get("plaintext_utf8").asText());
    }

    @Test
    void sshEd25519() throws Exception {
        JsonNode v = vectors().get("ssh_ed25519");
        SshEd25519Identity identity = SshEd25519Identity.parse(v.get("openssh_private_key").asText());
        assertThat(v.get("recipient").asText()).startsWith(identity.recipient());
        byte[] clear = Age.decrypt(Age.dearmor(v.get("armored").asText()), List.of(identity));
        assertThat(new String(clear, StandardCharsets.UTF_8)).isEqualTo(v.get("plaintext_utf8").asText());
    }

    @Test
    void scryptProtectedIdentityFile() throws Exception {
        JsonNode v = vectors().get("scrypt_encrypted_identity_file");
        byte[] clear = Age.decryptWithPassphrase(Age.dearmor(v.get("armored").asText()), v.get("passphrase").asText().toCharArray());
        assertThat(new String(clear, StandardCharsets.UTF_8)).isEqualTo(v.get("plaintext_utf8").asText());
        SopsKeyring keyring = SopsKeyring.empty().withPassphraseProtectedAgeIdentities(v.get("armored").asText(),
                v.get("passphrase").asText().toCharArray(), "protected");
        assertThat(keyring.describe()).containsExactly(vectors().get("x25519").get("recipient").asText());
        assertThatThrownBy(() -> SopsKeyring.empty().withPassphraseProtectedAgeIdentities(v.get("armored").asText(),
                "wrong".toCharArray(), "protected")).isInstanceOf(SopsException.class).hasMessageNotContaining("passphrase\"");
    }

    @Test
    void otherIdentitiesDoNotOpenIt() throws Exception {
        JsonNode v = vectors();
        List<Age.Identity> others = new java.util.ArrayList<>();
        for (JsonNode other : v.get("other_identities_for_negative_tests")) {
            others.add(Age.parseIdentity(other.asText()));
        }
        assertThat(Age.decrypt(Age.dearmor(v.get("x25519").get("armored").asText()), others)).isNull();
    }
}
