package dev.vigil.probe;

/**
 * Why a probe of a service produced no usable answer. {@code reason} is one of the constants below (they
 * are the {@code reason} label of {@code vigil_probe_errors_total} and the row's error reason in status);
 * {@code message} says what happened in words, never with response content.
 */
public record ProbeFailure(String reason, String message) {

    /** The probe did not finish within the baseline's budget. */
    public static final String TIMEOUT = "Timeout";
    /** The host (or the connect address) does not resolve. */
    public static final String DNS_FAILURE = "DnsFailure";
    /** The address is one Vigil never probes (address policy). */
    public static final String ADDRESS_DENIED = "AddressDenied";
    /** Neither TLS nor HTTP answered on the address. */
    public static final String NO_ANSWER = "NoAnswer";
    /** The site answered, but not in a way the Observatory grades (down on the final hop, unexpected status). */
    public static final String UNGRADABLE = "Ungradable";
    /** The probe itself failed unexpectedly (a bug or a resource limit). */
    public static final String PROBE_FAILED = "ProbeFailed";
}
