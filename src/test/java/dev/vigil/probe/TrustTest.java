package dev.vigil.probe;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.testsupport.TestPki;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;

/** The probes' trust: the system store and the configured CA bundles together, as one store. */
class TrustTest {

    private static final TestPki CLUSTER_CA = new TestPki();
    private static final TestPki STRANGER_CA = new TestPki();

    @Test
    void aChainFromAConfiguredCaIsTrustedBesideTheSystemAnchors() {
        X509TrustManager trust = Trust.systemPlus(List.of(CLUSTER_CA.ca()));
        X509Certificate leaf = leaf(CLUSTER_CA);

        assertDoesNotThrow(() -> trust.checkServerTrusted(new X509Certificate[] {leaf, CLUSTER_CA.ca()}, "RSA"));
        List<X509Certificate> anchors = Arrays.asList(trust.getAcceptedIssuers());
        assertTrue(anchors.contains(CLUSTER_CA.ca()), "the configured CA is an anchor");
        assertTrue(anchors.containsAll(Arrays.asList(Trust.systemPlus(List.of()).getAcceptedIssuers())),
                "every system anchor stays an anchor");
    }

    @Test
    void aChainFromAnotherCaIsRejected() {
        X509TrustManager trust = Trust.systemPlus(List.of(CLUSTER_CA.ca()));
        X509Certificate leaf = leaf(STRANGER_CA);

        assertThrows(CertificateException.class,
                () -> trust.checkServerTrusted(new X509Certificate[] {leaf, STRANGER_CA.ca()}, "RSA"));
        assertThrows(CertificateException.class,
                () -> Trust.systemPlus(List.of()).checkServerTrusted(new X509Certificate[] {leaf(CLUSTER_CA), CLUSTER_CA.ca()}, "RSA"),
                "without the bundle the cluster CA is a stranger too");
    }

    private static X509Certificate leaf(TestPki pki) {
        Instant now = Instant.now();
        return pki.leaf(List.of("web.test"), now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(30))).certificate();
    }
}
