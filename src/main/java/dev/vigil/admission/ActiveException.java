package dev.vigil.admission;

import java.util.List;

/**
 * An accepted risk that applies right now, as the operator publishes it in a baseline's
 * {@code status.enforcement.activeExceptions} for the policies to read (CEL has no clock).
 *
 * @param hosts host patterns ({@code *.example.com} matches any name below example.com)
 * @param control the control accepted as failing; the policies honour {@code https} and {@code redirection}
 * @param expires when it stops applying (RFC 3339), for people reading the status
 */
public record ActiveException(List<String> hosts, String control, String expires) {
}
