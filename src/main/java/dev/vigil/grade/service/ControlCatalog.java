package dev.vigil.grade.service;

import dev.vigil.grade.observatory.Observatory;
import java.util.ArrayList;
import java.util.List;

/** The names of every control a service is judged on: the TLS and certificate controls, then the Observatory tests. */
public final class ControlCatalog {

    /** TLS and certificate controls, in report order. */
    public static final List<String> TLS = List.of(TlsControls.HTTPS, TlsControls.CERTIFICATE_TRUST,
            TlsControls.CERTIFICATE_CHAIN, TlsControls.CERTIFICATE_EXPIRY, TlsControls.CERTIFICATE_HOSTNAME,
            TlsControls.CERTIFICATE_KEY, TlsControls.CERTIFICATE_SIGNATURE, TlsControls.CERTIFICATE_REVOCATION, TlsControls.TLS_PROTOCOLS,
            TlsControls.TLS_CIPHERS, TlsControls.TLS_LEVEL);

    private ControlCatalog() {
    }

    public static List<String> names() {
        List<String> all = new ArrayList<>(TLS);
        all.addAll(Observatory.TESTS);
        return all;
    }

    public static boolean known(String control) {
        return TLS.contains(control) || Observatory.TESTS.contains(control);
    }
}
