package dev.vigil.grade.tls;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a server must be told to meet a Mozilla level, read from the guideline JSON of one version and shaped for one
 * OpenSSL, the way Mozilla's configuration generator shapes it: protocols, TLS 1.3 suites, TLS ≤ 1.2 ciphers (OpenSSL
 * names, in the guideline's order), key-exchange groups, who orders the ciphers, DH parameters, HSTS, stapling, and
 * the certificate the level accepts. Plain data: the renderers in {@link TlsConfigGenerator} only print it.
 *
 * @param groupsLeftOut guideline groups this OpenSSL cannot offer (a server refuses to start when told to)
 * @param securityLevelZero TLS 1.0/1.1 are allowed and this OpenSSL refuses them at its default security level, so
 *        the cipher string starts with {@code @SECLEVEL=0}
 * @param notes one line per thing this configuration leaves out or needs, printed as comments
 */
public record TlsConfiguration(String guidelines, MozillaLevel level, OpenSslVersion openssl, List<String> protocols,
        List<String> tls13Suites, List<String> ciphers, boolean securityLevelZero, List<String> groups, List<String> groupsLeftOut,
        boolean serverPreferredOrder, Optional<Integer> dhParamSize, boolean usesDhe, Optional<Integer> hstsMaxAge,
        boolean ocspStaple, Certificate certificate, List<String> notes) {

    /** The ML-KEM hybrid groups (IANA names), which OpenSSL offers from 3.5 on. */
    public static final List<String> ML_KEM_GROUPS = List.of("X25519MLKEM768", "SecP256r1MLKEM768", "SecP384r1MLKEM1024");

    /** The certificate a level accepts: key types and curves, issuer signatures, minimum RSA size, lifespan in days. */
    public record Certificate(List<String> types, List<String> curves, List<String> signatures, Optional<Integer> rsaKeySize,
            int maximumLifespanDays, Optional<Integer> recommendedLifespanDays) {
    }

    public TlsConfiguration {
        protocols = List.copyOf(protocols);
        tls13Suites = List.copyOf(tls13Suites);
        ciphers = List.copyOf(ciphers);
        groups = List.copyOf(groups);
        groupsLeftOut = List.copyOf(groupsLeftOut);
        notes = List.copyOf(notes);
    }

    /**
     * The configuration meeting {@code level} under guidelines {@code version} for a server linked against
     * {@code openssl}. Refuses, with a message naming what is known, an unknown guidelines version, a level the
     * version does not define (6.0 has no "old"), and an OpenSSL without TLS 1.3.
     */
    public static TlsConfiguration of(String version, MozillaLevel level, OpenSslVersion openssl) {
        Guidelines guidelines = Guidelines.load(version);
        Guidelines.Level definition = guidelines.level(level).orElseThrow(() -> new IllegalArgumentException(
                "guidelines " + version + " have no " + level.label() + " level (they define " + String.join(", ", guidelines.levels().keySet())
                        + (level == MozillaLevel.OLD ? "; the last old level is in 5.8" : "") + ")"));
        if (!openssl.atLeast(OpenSslVersion.TLS13)) {
            throw new IllegalArgumentException("OpenSSL " + openssl.label() + " has no TLS 1.3, which every level allows; "
                    + "the oldest OpenSSL a configuration is written for is " + OpenSslVersion.TLS13.label());
        }
        List<String> notes = new ArrayList<>();
        List<String> groups = new ArrayList<>();
        List<String> leftOut = new ArrayList<>();
        for (String group : definition.tlsCurves()) {
            if (ML_KEM_GROUPS.contains(group) && !openssl.atLeast(OpenSslVersion.ML_KEM_GROUPS)) {
                leftOut.add(group);
            } else {
                groups.add(group);
            }
        }
        if (!leftOut.isEmpty()) {
            notes.add(String.join(", ", leftOut) + " left out: OpenSSL " + openssl.label() + " has no ML-KEM groups (they need "
                    + OpenSslVersion.ML_KEM_GROUPS.label() + "+, and a server told to offer them refuses to start)");
        } else if (groups.stream().anyMatch(ML_KEM_GROUPS::contains)) {
            notes.add(String.join(", ", groups.stream().filter(ML_KEM_GROUPS::contains).toList()) + " needs OpenSSL "
                    + OpenSslVersion.ML_KEM_GROUPS.label() + "+; with an older OpenSSL the server refuses this group list "
                    + "(generate with --openssl <version>)");
        }
        boolean legacyProtocols = definition.tlsVersions().contains("TLSv1") || definition.tlsVersions().contains("TLSv1.1");
        boolean securityLevelZero = legacyProtocols && openssl.atLeast(OpenSslVersion.SECURITY_LEVEL_REFUSES_TLS10);
        if (securityLevelZero) {
            notes.add("@SECLEVEL=0: OpenSSL " + openssl.label() + " refuses TLS 1.0/1.1 at its default security level");
        }
        List<String> ciphers = definition.opensslCiphers().stream().filter(c -> !c.startsWith("@")).toList();
        boolean usesDhe = ciphers.stream().anyMatch(c -> c.startsWith("DHE-") || c.startsWith("EDH-"));
        if (ciphers.contains("DES-CBC3-SHA")) {
            notes.add("DES-CBC3-SHA is served only where the TLS library still has 3DES (OpenSSL 1.1.0+ builds without "
                    + "enable-weak-ssl-ciphers, such as Debian's, skip it)");
        }
        Certificate certificate = new Certificate(definition.certificateTypes(), definition.certificateCurves(),
                definition.certificateSignatures(), definition.rsaKeySize(), definition.maximumCertificateLifespan(),
                definition.recommendedCertificateLifespan());
        return new TlsConfiguration(guidelines.version(), level, openssl, definition.tlsVersions(), definition.ciphersuites(),
                ciphers, securityLevelZero, groups, leftOut, definition.serverPreferredOrder(), definition.dhParamSize(), usesDhe,
                definition.hstsMinAge(), definition.ocspStaple(), certificate, notes);
    }

    /** The TLS ≤ 1.2 cipher string for an OpenSSL-based server (empty when the level allows only TLS 1.3). */
    public String opensslCipherString() {
        if (ciphers.isEmpty()) {
            return "";
        }
        return (securityLevelZero ? "@SECLEVEL=0:" : "") + String.join(":", ciphers);
    }

    /** Whether only TLS 1.3 is allowed (the TLS ≤ 1.2 cipher list is then empty and left unset). */
    public boolean tls13Only() {
        return protocols.equals(List.of("TLSv1.3"));
    }

    /** The command that prints this configuration again. */
    public String command(Optional<TlsServer> server) {
        return "vigil tls-config --level " + level.label() + " --guidelines " + guidelines
                + (openssl.equals(OpenSslVersion.DEFAULT) ? "" : " --openssl " + openssl.label())
                + server.map(s -> " --server " + s.label()).orElse("");
    }
}
