package dev.vigil.grade.tls;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The OpenSSL a generated configuration is meant for: it decides which key-exchange groups the server can be told
 * to offer (the ML-KEM hybrids need 3.5) and whether TLS 1.0/1.1 need {@code @SECLEVEL=0} (OpenSSL 3 refuses them at
 * its default security level), as Mozilla's generator decides from its "OpenSSL version" field.
 */
public record OpenSslVersion(int major, int minor, int patch) implements Comparable<OpenSslVersion> {

    /** The first OpenSSL with the ML-KEM hybrid groups the 5.8 and 6.0 guidelines list first. */
    public static final OpenSslVersion ML_KEM_GROUPS = new OpenSslVersion(3, 5, 0);
    /** The first OpenSSL whose default security level refuses TLS 1.0/1.1 (SHA-1 handshake signatures). */
    public static final OpenSslVersion SECURITY_LEVEL_REFUSES_TLS10 = new OpenSslVersion(3, 0, 0);
    /** The first OpenSSL with TLS 1.3, which every level of every shipped guideline allows. */
    public static final OpenSslVersion TLS13 = new OpenSslVersion(1, 1, 1);
    /** What a generated configuration targets unless told otherwise: an OpenSSL that has everything the guidelines list. */
    public static final OpenSslVersion DEFAULT = ML_KEM_GROUPS;

    private static final Pattern VERSION = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})(?:\\.(\\d{1,3}))?[a-z]?");

    /** "3.0", "3.5.1" or "1.1.1w"; anything else is empty. */
    public static Optional<OpenSslVersion> parse(String text) {
        Matcher m = VERSION.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new OpenSslVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                m.group(3) == null ? 0 : Integer.parseInt(m.group(3))));
    }

    public boolean atLeast(OpenSslVersion other) {
        return compareTo(other) >= 0;
    }

    @Override
    public int compareTo(OpenSslVersion o) {
        int c = Integer.compare(major, o.major);
        if (c == 0) {
            c = Integer.compare(minor, o.minor);
        }
        return c != 0 ? c : Integer.compare(patch, o.patch);
    }

    public String label() {
        return major + "." + minor + (patch == 0 ? "" : "." + patch);
    }
}
