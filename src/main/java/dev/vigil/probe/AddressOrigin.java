package dev.vigil.probe;

/** Who decided that a probe connects to an address: it decides which addresses the probe may reach. */
public enum AddressOrigin {
    /** An Ingress's {@code status.loadBalancer} address, or the DNS answer for its rule host. */
    INGRESS,
    /** A baseline named it: {@code spec.connect.address}, a {@code targets[].url} host or {@code targets[].connectAddress}. */
    NAMED_BY_BASELINE,
    /** A redirect's {@code Location} to another host: the probed server's choice, not whoever started the probe. */
    REDIRECT,
    /** The command line's user named it, on their own authority ({@code vigil scan URL --connect-to ADDR}). */
    NAMED_BY_USER
}
