package dev.vigil.sops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** age's post-quantum hybrid type (mlkem768x25519) on the X-Wing draft's vector and vectors made by typage. */
class AgeHybridTest {

    static final HexFormat HEX = HexFormat.of();

    static JsonNode typage() throws Exception {
        return new ObjectMapper().readTree(FixtureCasesTest.resource("age-unit/age-pq-typage-vectors.json"));
    }

    @Test
    void xwingMatchesTheDraftVector() throws Exception {
        JsonNode v = new ObjectMapper().readTree(FixtureCasesTest.resource("age-unit/xwing-draft-vectors.json")).get("vectors").get(0);
        AgeHybrid.Identity identity = AgeHybrid.identityFromSeed(HEX.parseHex(v.get("sk").asText()));
        assertThat(HEX.formatHex(identity.publicKey())).isEqualTo(v.get("pk").asText());
        assertThat(HEX.formatHex(identity.decapsulate(HEX.parseHex(v.get("ct").asText())))).isEqualTo(v.get("ss").asText());
        AgeHybrid.Encapsulated encapsulated = AgeHybrid.encapsulate(HEX.parseHex(v.get("pk").asText()), HEX.parseHex(v.get("eseed").asText()));
        assertThat(HEX.formatHex(encapsulated.ciphertext())).isEqualTo(v.get("ct").asText());
        assertThat(HEX.formatHex(encapsulated.shared())).isEqualTo(v.get("ss").asText());
    }

    @Test
    void opensFilesMadeByTheReferenceImplementation() throws Exception {
        JsonNode v = typage();
        AgeHybrid.Identity identity = AgeHybrid.parseIdentity(v.at("/hybrid/identity").asText());
        assertThat(identity.recipient()).isEqualTo(v.at("/hybrid/recipient").asText());
        assertThat(open(v.at("/hybrid/armored").asText(), identity)).isEqualTo(v.at("/hybrid/plaintext_utf8").asText());
        assertThat(open(v.at("/hybrid_two_recipients/armored").asText(), identity))
                .isEqualTo(v.at("/hybrid_two_recipients/plaintext_utf8").asText());
    }

    @Test
    void otherIdentitiesAndTamperedStanzasOpenNothing() throws Exception {
        JsonNode v = typage();
        byte[] file = Age.dearmor(v.at("/hybrid/armored").asText());
        assertThat(Age.decrypt(file, List.of(AgeHybrid.parseIdentity(v.get("other_hybrid_identity").asText())))).isNull();
        assertThat(Age.decrypt(file, List.of(Age.parseIdentity(v.at("/x25519_for_mixing/identity").asText())))).isNull();

        AgeHybrid.Identity identity = AgeHybrid.parseIdentity(v.at("/hybrid/identity").asText());
        Age.Stanza stanza = Age.Header.parse(file).stanzas().get(0);
        assertThat(stanza.type()).isEqualTo("mlkem768x25519");
        assertThat(identity.unwrap(stanza)).hasSize(16);
        byte[] ciphertext = Age.rawBase64(stanza.args().get(0));
        for (int flip : new int[] {0, 1087, 1088, 1119}) { // the ML-KEM part, then the X25519 part
            byte[] tampered = ciphertext.clone();
            tampered[flip] ^= 1;
            assertThat(identity.unwrap(new Age.Stanza(stanza.type(), List.of(Age.rawBase64(tampered)), stanza.body()))).isNull();
        }
        byte[] body = stanza.body().clone();
        body[0] ^= 1;
        assertThat(identity.unwrap(new Age.Stanza(stanza.type(), stanza.args(), body))).isNull();
    }

    @Test
    void wrapsForHybridRecipientsAndRefusesMixingThemWithClassicOnes() throws Exception {
        JsonNode v = typage();
        String armored = Age.encrypt("data key".getBytes(StandardCharsets.UTF_8), List.of(v.at("/hybrid/recipient").asText()));
        assertThat(armored).startsWith(Age.ARMOR_HEADER);
        assertThat(open(armored, AgeHybrid.parseIdentity(v.at("/hybrid/identity").asText()))).isEqualTo("data key");
        assertThatThrownBy(() -> Age.encrypt(new byte[32], List.of(v.at("/hybrid/recipient").asText(),
                v.at("/x25519_for_mixing/recipient").asText()))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AgeHybrid.parseRecipient(v.at("/hybrid/recipient").asText().replace('q', 'p')))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sshEd25519RecipientsAreWrappedAsAgeDoes() throws Exception {
        JsonNode v = AgeVectorsTest.vectors().get("ssh_ed25519");
        SshEd25519Identity identity = SshEd25519Identity.parse(v.get("openssh_private_key").asText());
        String armored = Age.encrypt("ssh wrapped".getBytes(StandardCharsets.UTF_8), List.of(v.get("recipient").asText()));
        assertThat(open(armored, identity)).isEqualTo("ssh wrapped");
    }

    @Test
    void keyringReadsHybridIdentitiesAndNamesWhatItCannotRead() throws Exception {
        JsonNode v = typage();
        SopsKeyring keyring = SopsKeyring.empty().withAgeIdentities("# created\n" + v.at("/hybrid/identity").asText() + "\n"
                + v.at("/x25519_for_mixing/identity").asText() + "\n", "keys.txt");
        assertThat(keyring.describe()).containsExactly(v.at("/hybrid/recipient").asText(), v.at("/x25519_for_mixing/recipient").asText());

        String plugin = "AGE-PLUGIN-YUBIKEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ";
        assertThatThrownBy(() -> SopsKeyring.empty().withAgeIdentities("# yubikey\n" + plugin + "\n", "yk.txt"))
                .isInstanceOfSatisfying(SopsException.class, e -> {
                    assertThat(e.errorClass()).isEqualTo(SopsException.ErrorClass.KEY_UNSUPPORTED);
                    assertThat(e.getMessage()).contains("line 2 of yk.txt").contains("AGE-PLUGIN-YUBIKEY-1…")
                            .doesNotContain("QQQQQQ");
                });
        String broken = v.at("/hybrid/identity").asText();
        String badChecksum = broken.substring(0, broken.length() - 1) + (broken.endsWith("Q") ? "P" : "Q");
        assertThatThrownBy(() -> SopsKeyring.empty().withAgeIdentities(badChecksum, "pq.txt"))
                .isInstanceOfSatisfying(SopsException.class, e -> {
                    assertThat(e.errorClass()).isEqualTo(SopsException.ErrorClass.KEY_UNSUPPORTED);
                    assertThat(e.getMessage()).contains("line 1 of pq.txt").contains("AGE-SECRET-KEY-PQ-1…")
                            .doesNotContain(badChecksum.substring(20));
                });
    }

    private static String open(String armored, Age.Unwrapper identity) throws Exception {
        byte[] clear = Age.decrypt(Age.dearmor(armored), List.of(identity));
        return clear == null ? null : new String(clear, StandardCharsets.UTF_8);
    }
}
