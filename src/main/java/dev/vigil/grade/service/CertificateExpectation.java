package dev.vigil.grade.service;

import java.util.List;

/**
 * The certificates a service is configured to serve, as plain data for the grader: the leaf SHA-256 fingerprints
 * of the certificates its configuration references (a Gateway listener's {@code certificateRefs}, a file given to
 * {@code vigil scan --expect-certificate}), and why a reference could not be read. Nothing expected — an Ingress,
 * a URL — is {@link #NONE}, and the {@code certificate-configured} control is then not judged.
 *
 * @param configuredBy what references the certificates, for the status line ("gateway/infra/edge/https")
 * @param fingerprints lower-case hex SHA-256 of each referenced leaf; serving any one of them passes
 * @param problems references that could not be read (missing Secret, no ReferenceGrant, no tls.crt) — never values
 */
public record CertificateExpectation(String configuredBy, List<String> fingerprints, List<String> problems) {

    public static final CertificateExpectation NONE = new CertificateExpectation("", List.of(), List.of());

    public CertificateExpectation {
        fingerprints = List.copyOf(fingerprints);
        problems = List.copyOf(problems);
    }

    /** Whether anything is expected at all. */
    public boolean expects() {
        return !fingerprints.isEmpty() || !problems.isEmpty();
    }
}
