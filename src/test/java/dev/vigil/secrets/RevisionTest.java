package dev.vigil.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class RevisionTest {

    static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);

    @Test
    void sameContentSameRevision() {
        assertThat(Revision.of(KEY, "ns", "name", "Opaque", data("a", "1", "b", "2")))
                .isEqualTo(Revision.of(KEY, "ns", "name", "Opaque", data("b", "2", "a", "1")));
    }

    @Test
    void anyChangeChangesTheRevision() {
        String base = Revision.of(KEY, "ns", "name", "Opaque", data("a", "1", "b", "2"));
        assertThat(Revision.of(KEY, "ns", "name", "Opaque", data("a", "1", "b", "3"))).isNotEqualTo(base);
        assertThat(Revision.of(KEY, "ns", "name", "kubernetes.io/tls", data("a", "1", "b", "2"))).isNotEqualTo(base);
        // Length-prefixing keeps key/value boundaries: "ab"="" differs from "a"="b".
        assertThat(Revision.of(KEY, "ns", "name", "Opaque", data("ab", ""))).isNotEqualTo(Revision.of(KEY, "ns", "name", "Opaque", data("a", "b")));
    }

    @Test
    void revisionDependsOnTheInstallationKey() {
        byte[] other = "fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.UTF_8);
        assertThat(Revision.of(KEY, "ns", "name", "Opaque", data("a", "1"))).isNotEqualTo(Revision.of(other, "ns", "name", "Opaque", data("a", "1")));
        assertThat(Revision.of(KEY, "ns", "name", "Opaque", data("a", "1"))).matches("[0-9a-f]{64}");
    }

    @Test
    void equalCleartextInAnotherNamespaceOrNameGivesAnotherRevision() {
        // Otherwise anyone who can seal a guess into their own namespace could compare revisions with another's.
        String base = Revision.of(KEY, "shop", "db", "Opaque", data("password", "1234"));
        assertThat(Revision.of(KEY, "guess", "db", "Opaque", data("password", "1234"))).isNotEqualTo(base);
        assertThat(Revision.of(KEY, "shop", "db2", "Opaque", data("password", "1234"))).isNotEqualTo(base);
        // Length-prefixed: "sho"+"pdb" is not "shop"+"db".
        assertThat(Revision.of(KEY, "sho", "pdb", "Opaque", data("password", "1234"))).isNotEqualTo(base);
    }

    @Test
    void aShortKeyIsRefused() {
        assertThatThrownBy(() -> Revision.of(new byte[16], "ns", "name", "Opaque", data("a", "1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("16 bytes");
    }

    private static Map<String, byte[]> data(String... kv) {
        Map<String, byte[]> map = new TreeMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            map.put(kv[i], kv[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        return map;
    }
}
