package dev.vigil.sops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Rekeying every decryptable fixture (genuine sops files and generated vectors) in each store format. */
class SopsRekeyTest {

    static final Pattern ENC_VALUE = Pattern.compile("ENC\\[AES256_GCM,[^\\]]*]");

    static String newIdentity() {
        byte[] scalar = new byte[32];
        new SecureRandom().nextBytes(scalar);
        return Bech32.encode("age-secret-key-", scalar).toUpperCase(Locale.ROOT);
    }

    static Stream<FixtureCasesTest.Case> cases() throws Exception {
        return FixtureCasesTest.cases().filter(FixtureCasesTest.Case::success);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rewrapsForTheNewKeyAndKeepsValuesIvsAndMac(FixtureCasesTest.Case c) throws Exception {
        byte[] original = FixtureCasesTest.resource(c.file());
        SopsKeyring oldKeys = FixtureCasesTest.keyring(c.keys());
        String identity = newIdentity();
        SopsKeyring newKey = SopsKeyring.empty().withAgeIdentities(identity, "new");
        String recipient = newKey.describe().get(0);
        List<SopsRekey.GroupRecipients> before = SopsRekey.recipients(original, c.format());
        List<SopsRekey.GroupChange> changes = new ArrayList<>();
        before.forEach(g -> changes.add(new SopsRekey.GroupChange(List.of(recipient), List.of(), oldKeys.describe())));

        SopsRekey.Result result = SopsRekey.rekey(original, c.format(), oldKeys, changes, Clock.systemUTC());
        byte[] rekeyed = result.document().getBytes(StandardCharsets.UTF_8);

        assertThat(result.added()).contains(recipient);
        assertThat(result.removed()).isNotEmpty();
        DecryptedDocument expected = SopsDecryptor.decrypt(original, c.format(), oldKeys);
        DecryptedDocument withNewKey = SopsDecryptor.decrypt(rekeyed, c.format(), newKey);
        assertThat(CleartextWriter.json(withNewKey)).isEqualTo(CleartextWriter.json(expected));
        assertThat(withNewKey.openedBy()).contains(recipient);
        // Values, IVs, tags and the MAC are the same ciphertexts, in the same order; lastmodified did not move.
        assertThat(encValues(result.document())).isEqualTo(encValues(new String(original, StandardCharsets.UTF_8)));
        assertThat(withNewKey.lastModified()).isEqualTo(expected.lastModified());
        assertThatThrownBy(() -> SopsDecryptor.decrypt(rekeyed, c.format(), oldKeys)).isInstanceOfSatisfying(SopsException.class,
                e -> assertThat(e.errorClass()).isEqualTo(SopsException.ErrorClass.DATA_KEY_UNAVAILABLE));
        assertThat(SopsRekey.recipients(rekeyed, c.format())).hasSameSizeAs(before);
        assertThat(outsideMetadata(result.document(), c.format())).isEqualTo(outsideMetadata(new String(original, StandardCharsets.UTF_8), c.format()));
    }

    @Test
    void noChangeLeavesTheDocumentByteForByte() throws Exception {
        for (FixtureCasesTest.Case c : cases().toList()) {
            byte[] original = FixtureCasesTest.resource(c.file());
            List<SopsRekey.GroupChange> none = new ArrayList<>();
            SopsRekey.recipients(original, c.format()).forEach(g -> none.add(SopsRekey.GroupChange.none()));
            SopsRekey.Result result = SopsRekey.rekey(original, c.format(), FixtureCasesTest.keyring(c.keys()), none, Clock.systemUTC());
            assertThat(result.changed()).isFalse();
            assertThat(result.document()).as(c.name()).isEqualTo(new String(original, StandardCharsets.UTF_8));
        }
    }

    @Test
    void addingKeepsEveryExistingStanzaVerbatimAndOpensForBothKeys() throws Exception {
        byte[] original = FixtureCasesTest.resource("cases/u14-flux-age-k8s-secret/age.yaml");
        String text = new String(original, StandardCharsets.UTF_8);
        SopsKeyring flux = FixtureCasesTest.keyring(List.of("keys/age-flux.txt"));
        String pq = AgeInteropTest.pqRecipient();
        SopsRekey.Result result = SopsRekey.rekey(original, SopsFormat.YAML, flux,
                List.of(new SopsRekey.GroupChange(List.of(pq), List.of(), List.of())), Clock.systemUTC());
        // Everything that was there is still there, in the Flux file's own two-space layout.
        String sopsBefore = text.substring(text.indexOf("\nsops:"));
        String agePart = sopsBefore.substring(0, sopsBefore.indexOf("  lastmodified:"));
        assertThat(result.document()).startsWith(text.substring(0, text.indexOf("\nsops:")) + agePart)
                .contains("\n    - recipient: " + pq + "\n      enc: |\n        -----BEGIN AGE ENCRYPTED FILE-----\n");
        assertThat(result.document().substring(result.document().indexOf("  lastmodified:")))
                .isEqualTo(sopsBefore.substring(sopsBefore.indexOf("  lastmodified:")));
        byte[] rekeyed = result.document().getBytes(StandardCharsets.UTF_8);
        assertThat(SopsDecryptor.decrypt(rekeyed, SopsFormat.YAML, FixtureCasesTest.keyring(List.of("keys/age-pq.txt"))).openedBy()).isEqualTo(pq);
        assertThat(SopsDecryptor.decrypt(rekeyed, SopsFormat.YAML, flux).openedBy()).startsWith("age1l44");
    }

    @Test
    void refusesToRemoveTheLastRecipientOrEmptyAKeyGroup() throws Exception {
        byte[] single = FixtureCasesTest.resource("cases/g01-yaml-age-basic/secret.enc.yaml");
        SopsKeyring dev = FixtureCasesTest.keyring(List.of("keys/age-dev.txt"));
        assertThatThrownBy(() -> SopsRekey.rekey(single, SopsFormat.YAML, dev,
                List.of(new SopsRekey.GroupChange(List.of(), List.of(), dev.describe())), Clock.systemUTC()))
                .hasMessageContaining("last recipient");

        byte[] shamir = FixtureCasesTest.resource("cases/g08-yaml-shamir-2of2/secret.enc.yaml");
        SopsKeyring both = FixtureCasesTest.keyring(List.of("keys/age-dev.txt", "keys/pgp-dev-rsa.sec.asc"));
        assertThatThrownBy(() -> SopsRekey.rekey(shamir, SopsFormat.YAML, both, List.of(SopsRekey.GroupChange.none(),
                new SopsRekey.GroupChange(List.of(), List.of(), List.of("82C6BE951FFC41DF1A2012DA4B472F77F274116B"))), Clock.systemUTC()))
                .hasMessageContaining("key group 2").hasMessageContaining("Shamir threshold of 2");
    }

    @Test
    void needsAKeyThatOpensTheDocument() throws Exception {
        byte[] doc = FixtureCasesTest.resource("cases/g01-yaml-age-basic/secret.enc.yaml");
        SopsKeyring wrong = FixtureCasesTest.keyring(List.of("keys/age-dev-2.txt"));
        assertThatThrownBy(() -> SopsRekey.rekey(doc, SopsFormat.YAML, wrong,
                List.of(new SopsRekey.GroupChange(List.of(AgeInteropTest.pqRecipient()), List.of(), List.of())), Clock.systemUTC()))
                .isInstanceOfSatisfying(SopsException.class, e -> assertThat(e.errorClass()).isEqualTo(SopsException.ErrorClass.DATA_KEY_UNAVAILABLE));
    }

    static List<String> encValues(String document) {
        List<String> out = new ArrayList<>();
        Matcher m = ENC_VALUE.matcher(document);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    /** The document without its sops metadata: what a rekey must not touch at all. */
    static String outsideMetadata(String document, SopsFormat format) {
        return switch (format) {
            case YAML -> document.replaceAll("(?ms)^sops:\\n(?:[ #-].*\\n|\\n)*", "");
            case JSON, BINARY -> document.substring(0, document.indexOf("\"sops\""));
            case DOTENV -> String.join("\n", document.lines().filter(l -> !l.startsWith("sops_")).toList());
            case INI -> document.substring(0, document.indexOf("[sops]"));
        };
    }
}
