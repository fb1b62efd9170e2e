package dev.vigil.baseline;

import java.util.List;

/**
 * One covered service in a baseline's status: its grade (by Observatory {@code algorithm}), what to fix, and
 * what is accepted. A row waiting for its first probe has {@code pending: true} and nothing else; a row that
 * could not be graded has {@code error} and {@code errorReason} (a {@link dev.vigil.probe.ProbeFailure} reason).
 *
 * @param source the object the service comes from ({@code ingress/storefront}, {@code httproute/web}); absent for
 *        explicit targets
 * @param listener the Gateway listener an HTTPRoute's service is served by ({@code gateway/infra/edge/https}); absent
 *        otherwise
 */
public record ServiceRow(String namespace, String source, String host, Boolean pending, String grade, Integer score,
        Integer algorithm, Boolean compliant, String tlsLevel, String certificateExpires, List<ControlRow> failing,
        Integer moreFailing, List<String> accepted, String error, String errorReason, String listener) {
}
