package dev.vigil.baseline;

import java.util.List;

/**
 * An accepted risk as the operator judged it at the last reconcile: {@code active} or {@code expired}. Admission
 * policies read the active ones from here (CEL in the API server has no clock).
 */
public record ExceptionStatus(String control, List<String> hosts, String owner, String expires, String state) {

    public static final String ACTIVE = "active";
    public static final String EXPIRED = "expired";
}
