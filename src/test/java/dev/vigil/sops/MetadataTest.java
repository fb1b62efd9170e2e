package dev.vigil.sops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The sops metadata block as decryption reads it (sops-format.md: metadata, key groups, Shamir threshold, and
 * sops' shouldBeEncrypted for the suffix/regex/comment rules), built here as the stores would hand it over.
 */
class MetadataTest {

    static Branch branch(Object... keyValues) {
        Branch b = new Branch();
        for (int i = 0; i < keyValues.length; i += 2) {
            b.put(keyValues[i], keyValues[i + 1]);
        }
        return b;
    }

    static Branch age(String recipient) {
        return branch("recipient", recipient, "enc", "-----BEGIN AGE ENCRYPTED FILE-----");
    }

    static Metadata.EncryptionRules rules(Object... keyValues) throws SopsException {
        return Metadata.EncryptionRules.from(branch(keyValues));
    }

    static boolean leaf(Metadata.EncryptionRules rules, String... path) {
        return rules.encrypted(List.of(path), List.of(), false, BoundedText.Budget.perDocument());
    }

    @Test
    void topLevelKeysMakeOneGroup() throws SopsException {
        Metadata m = Metadata.from(branch("age", List.of(age("age1a"), age("age1b")), "pgp", List.of(branch("fp", "ABCD", "enc", "x")),
                "kms", List.of(branch("arn", "a"), branch("arn", "b")), "hc_vault", List.of(branch("x", "y")),
                "lastmodified", "2024-05-01T10:00:00Z", "mac", "ENC[...]", "version", "3.9.0"));
        assertThat(m.lastModified()).isEqualTo("2024-05-01T10:00:00Z");
        assertThat(m.mac()).contains("ENC[...]");
        assertThat(m.groups()).hasSize(1);
        Metadata.KeyGroup g = m.groups().get(0);
        assertThat(g.age()).containsExactly(new Metadata.AgeStanza("age1a", "-----BEGIN AGE ENCRYPTED FILE-----"),
                new Metadata.AgeStanza("age1b", "-----BEGIN AGE ENCRYPTED FILE-----"));
        assertThat(g.pgp()).containsExactly(new Metadata.PgpStanza("ABCD", "x"));
        assertThat(g.unsupported()).containsExactly("kms", "kms", "hc_vault");
        assertThat(m.shamirThreshold()).isEqualTo(1);
        assertThat(m.macOnlyEncrypted()).isFalse();
        assertThat(m.rules().unencryptedSuffix()).isEqualTo("_unencrypted");
    }

    @Test
    void keyGroupsAndShamirThreshold() throws SopsException {
        Metadata m = Metadata.from(branch("key_groups", List.of(branch("age", List.of(age("age1a"))), branch("pgp",
                List.of(branch("fp", "F1"))), branch("gcp_kms", List.of(branch("id", "k")))), "shamir_threshold", 2L,
                "lastmodified", YamlScalars.resolvePlain("2024-05-01T10:00:00Z"), "mac_only_encrypted", true));
        assertThat(m.groups()).hasSize(3);
        assertThat(m.groups().get(1).pgp()).containsExactly(new Metadata.PgpStanza("F1", ""));
        assertThat(m.groups().get(2).unsupported()).containsExactly("gcp_kms");
        assertThat(m.shamirThreshold()).isEqualTo(2);
        assertThat(m.macOnlyEncrypted()).isTrue();
        // A YAML timestamp is printed back the way Go prints it.
        assertThat(m.lastModified()).isEqualTo("2024-05-01T10:00:00Z");
        assertThat(m.mac()).isEmpty();
        // Without a threshold every group is needed.
        assertThat(Metadata.from(branch("key_groups", List.of(branch("age", List.of(age("a"))), branch("age", List.of(age("b")))),
                "lastmodified", "x")).shamirThreshold()).isEqualTo(2);
        assertThat(Metadata.from(branch("age", List.of(age("a")), "lastmodified", "x", "mac", "")).mac()).isEmpty();
    }

    @Test
    void malformedMetadataIsRefused() {
        assertThatThrownBy(() -> Metadata.from(branch("age", List.of(age("a"))))).hasMessage("sops metadata has no lastmodified");
        assertThatThrownBy(() -> Metadata.from(branch("lastmodified", "x"))).isInstanceOf(SopsException.class)
                .hasMessage("No keys found in file")
                .extracting(e -> ((SopsException) e).errorClass()).isEqualTo(SopsException.ErrorClass.DATA_KEY_UNAVAILABLE);
        assertThatThrownBy(() -> Metadata.from(branch("key_groups", List.of(), "lastmodified", "x"))).hasMessage("No keys found in file");
        assertThatThrownBy(() -> Metadata.from(branch("key_groups", List.of("nope"), "lastmodified", "x")))
                .hasMessage("sops.key_groups holds a non-mapping entry");
        assertThatThrownBy(() -> Metadata.from(branch("age", "not a list", "lastmodified", "x"))).hasMessage("sops.age is not a list");
        assertThatThrownBy(() -> Metadata.from(branch("pgp", List.of("x"), "lastmodified", "x")))
                .hasMessage("sops.pgp holds a non-mapping entry");
        assertThatThrownBy(() -> Metadata.from(branch("age", List.of(age("a")), "lastmodified", "x", "shamir_threshold", "two")))
                .hasMessage("sops.shamir_threshold is not an integer");
        assertThatThrownBy(() -> Metadata.from(branch("age", List.of(age("a")), "lastmodified", "x", "mac_only_encrypted", "maybe")))
                .hasMessage("sops metadata holds a non-boolean where a boolean belongs");
    }

    @Test
    void weakTypesAsGoReadsThem() throws SopsException {
        for (Object yes : new Object[] {true, "1", "t", "T", "true", "TRUE", "True"}) {
            assertThat(Metadata.weakBool(yes)).as(String.valueOf(yes)).isTrue();
        }
        for (Object no : new Object[] {null, false, "", "0", "f", "F", "false", "FALSE", "False"}) {
            assertThat(Metadata.weakBool(no)).as(String.valueOf(no)).isFalse();
        }
        assertThat(Metadata.weakInt(3L, "f")).isEqualTo(3);
        assertThat(Metadata.weakInt(0L, "f")).isZero();
        assertThat(Metadata.weakInt(255L, "f")).isEqualTo(255);
        assertThat(Metadata.weakInt(256L, "f")).isEqualTo(256);
        assertThat(Metadata.weakInt("7", "f")).isEqualTo(7);
        assertThat(Metadata.weakInt("", "f")).isZero();
        assertThat(Metadata.weakInt(-1L, "f")).isEqualTo(-1);
        assertThatThrownBy(() -> Metadata.weakInt(1.5, "shamir_threshold")).hasMessage("sops.shamir_threshold is not an integer");
    }

    @Test
    void suffixRulesAsSopsShouldBeEncrypted() throws SopsException {
        Metadata.EncryptionRules defaults = rules();
        assertThat(leaf(defaults, "db", "password")).isTrue();
        assertThat(leaf(defaults, "db_unencrypted", "password")).isFalse();
        assertThat(leaf(defaults, "db", "note_unencrypted")).isFalse();
        Metadata.EncryptionRules custom = rules("unencrypted_suffix", "_plain");
        assertThat(leaf(custom, "a_unencrypted")).isTrue();
        assertThat(leaf(custom, "a_plain")).isFalse();
        Metadata.EncryptionRules encryptedSuffix = rules("encrypted_suffix", "_secret");
        assertThat(leaf(encryptedSuffix, "password")).isFalse();
        assertThat(leaf(encryptedSuffix, "password_secret")).isTrue();
        assertThat(leaf(encryptedSuffix, "db_secret", "password")).isTrue();
        assertThat(encryptedSuffix.unencryptedSuffix()).isNull();
        assertThat(encryptedSuffix.usesComments()).isFalse();
    }

    @Test
    void regexRulesMatchAnywhereInAPathElement() throws SopsException {
        Metadata.EncryptionRules data = rules("encrypted_regex", "^(data|stringData)$");
        assertThat(leaf(data, "data", "password")).isTrue();
        assertThat(leaf(data, "metadata", "name")).isFalse();
        assertThat(leaf(data, "kind")).isFalse();
        Metadata.EncryptionRules notPublic = rules("unencrypted_regex", "public");
        assertThat(leaf(notPublic, "keys", "my_public_key")).isFalse();
        assertThat(leaf(notPublic, "keys", "private")).isTrue();
    }

    @Test
    void commentRules() throws SopsException {
        Metadata.EncryptionRules enc = rules("encrypted_comment_regex", "sops:enc");
        assertThat(enc.usesComments()).isTrue();
        assertThat(enc.encrypted(List.of("a"), List.of(List.of("sops:enc")), false, BoundedText.Budget.perDocument())).isTrue();
        assertThat(enc.encrypted(List.of("a"), List.of(List.of("other")), false, BoundedText.Budget.perDocument())).isFalse();
        assertThat(enc.encrypted(List.of("a"), List.of(), false, BoundedText.Budget.perDocument())).isFalse();
        // The marker comment itself is not encrypted by being its own marker…
        assertThat(enc.encrypted(List.of("a"), List.of(List.of("sops:enc")), true, BoundedText.Budget.perDocument())).isFalse();
        // …but a later comment under it is, and so is a comment under a marker one level up.
        assertThat(enc.encrypted(List.of("a"), List.of(List.of("sops:enc", "secret")), true, BoundedText.Budget.perDocument())).isTrue();
        assertThat(enc.encrypted(List.of("a", "b"), List.of(List.of("sops:enc"), List.of("secret")), true, BoundedText.Budget.perDocument())).isTrue();
        Metadata.EncryptionRules plain = rules("unencrypted_comment_regex", "sops:plain");
        assertThat(plain.usesComments()).isTrue();
        assertThat(plain.encrypted(List.of("a"), List.of(List.of("x"), List.of("sops:plain")), false, BoundedText.Budget.perDocument())).isFalse();
        assertThat(plain.encrypted(List.of("a"), List.of(List.of("x")), false, BoundedText.Budget.perDocument())).isTrue();
    }

    @Test
    void atMostOneRuleAndSaneExpressions() {
        assertThatThrownBy(() -> rules("encrypted_regex", "a", "unencrypted_suffix", "_u")).hasMessageStartingWith(
                "Cannot use more than one of encrypted_suffix, unencrypted_suffix");
        assertThatThrownBy(() -> rules("encrypted_regex", "(")).hasMessageStartingWith("invalid regular expression in sops metadata: ");
        assertThatThrownBy(() -> rules("encrypted_regex", "a".repeat(1025)))
                .hasMessage("a regular expression in the sops metadata is longer than 1024 characters");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> rules("encrypted_regex", "a".repeat(1024)))).isNull();
    }

    @Test
    void emptyRulesCountAsUnset() throws SopsException {
        Metadata.EncryptionRules r = rules("encrypted_regex", "", "encrypted_suffix", "_s");
        assertThat(r.encryptedRegex()).isNull();
        assertThat(leaf(r, "x_s")).isTrue();
        assertThat(leaf(r, "x")).isFalse();
    }

    @Test
    void aRunawayExpressionIsStoppedNotWaitedFor() throws SopsException {
        Metadata.EncryptionRules evil = rules("encrypted_regex", "^(.*a){12}b$");
        String path = "a".repeat(30);
        assertThatThrownBy(() -> leaf(evil, path)).isInstanceOf(Metadata.EncryptionRules.RegexTooSlow.class)
                .hasMessage("a regular expression of the sops metadata takes too long to match");
        // Each rule kind goes through the same budget.
        Metadata.EncryptionRules evilUnencrypted = rules("unencrypted_regex", "^(.*a){12}b$");
        assertThatThrownBy(() -> leaf(evilUnencrypted, path)).isInstanceOf(Metadata.EncryptionRules.RegexTooSlow.class);
        Metadata.EncryptionRules evilComment = rules("encrypted_comment_regex", "^(.*a){12}b$");
        assertThatThrownBy(() -> evilComment.encrypted(List.of("k"), List.of(List.of(path)), false, BoundedText.Budget.perDocument()))
                .isInstanceOf(Metadata.EncryptionRules.RegexTooSlow.class);
        assertThat(Optional.of(evil.encryptedRegex().pattern())).contains("^(.*a){12}b$");
    }
}
