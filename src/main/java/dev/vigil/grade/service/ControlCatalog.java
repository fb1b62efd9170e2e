package dev.vigil.grade.service;

import dev.vigil.grade.observatory.Observatory;
import java.util.ArrayList;
import java.util.List;

/**
 * The names of every control a service is judged on: the TLS and certificate controls, the Observatory tests, and
 * the secret hygiene controls of its namespace (judged only where the baseline sets {@code requirements.secrets}).
 */
public final class ControlCatalog {

    /** TLS and certificate controls, in report order. */
    public static final List<String> TLS = List.of(TlsControls.HTTPS, TlsControls.CERTIFICATE_TRUST,
            TlsControls.CERTIFICATE_CHAIN, TlsControls.CERTIFICATE_EXPIRY, TlsControls.CERTIFICATE_HOSTNAME,
            TlsControls.CERTIFICATE_CONFIGURED, TlsControls.CERTIFICATE_KEY, TlsControls.CERTIFICATE_SIGNATURE,
            TlsControls.CERTIFICATE_REVOCATION, TlsControls.TLS_PROTOCOLS,
            TlsControls.TLS_CIPHERS, TlsControls.TLS_LEVEL);

    /** Secret hygiene controls, judged on the service's namespace rather than on what the probe saw. */
    public static final List<String> SECRETS = SecretControls.NAMES;

    /** Judged only where the configuration names the certificate to serve (a Gateway listener's certificateRefs). */
    public static final String CERTIFICATE_CONFIGURED = TlsControls.CERTIFICATE_CONFIGURED;

    /** The control failing when a service is below its required Mozilla level (its fix is a generated configuration). */
    public static final String TLS_LEVEL = TlsControls.TLS_LEVEL;

    private ControlCatalog() {
    }

    public static List<String> names() {
        List<String> all = new ArrayList<>(TLS);
        all.addAll(Observatory.TESTS);
        all.addAll(SECRETS);
        return all;
    }

    /** The probed controls (no secret hygiene) a service graded with this Observatory algorithm is judged on (COOP and COEP from algorithm 6). */
    public static List<String> names(dev.vigil.grade.observatory.ObservatoryAlgorithm algorithm) {
        List<String> all = new ArrayList<>(TLS);
        all.addAll(Observatory.TESTS.stream().filter(t -> algorithm == dev.vigil.grade.observatory.ObservatoryAlgorithm.V6
                || !(t.equals("cross-origin-opener-policy") || t.equals("cross-origin-embedder-policy"))).toList());
        return all;
    }

    public static boolean known(String control) {
        return TLS.contains(control) || Observatory.TESTS.contains(control) || SECRETS.contains(control);
    }
}
