package dev.vigil.baseline;

import java.util.List;

/**
 * The Gateway listener a service is reached through, as plain data: which Gateway and section, its protocol, and —
 * for an HTTPS listener that terminates TLS — the TLS Secrets it references (already checked against
 * ReferenceGrants) and the references that could not be followed. Shown in status as
 * {@code gateway/<namespace>/<name>/<section>}.
 *
 * @param certificates Secrets whose {@code tls.crt} the listener is configured to serve; empty when it serves none
 *        Vigil can read (Passthrough, plain HTTP) or every reference was refused (then {@code refProblems} says why)
 */
public record ListenerRef(String gatewayNamespace, String gatewayName, String sectionName, int port, String protocol,
        boolean terminatesTls, List<SecretRef> certificates, List<String> refProblems) {

    /** A TLS Secret a listener references. */
    public record SecretRef(String namespace, String name) {
        @Override
        public String toString() {
            return namespace + "/" + name;
        }
    }

    public ListenerRef {
        certificates = List.copyOf(certificates);
        refProblems = List.copyOf(refProblems);
    }

    /** Whether the certificate served here can be compared with the one configured ({@code certificate-configured}). */
    public boolean expectsCertificate() {
        return terminatesTls && (!certificates.isEmpty() || !refProblems.isEmpty());
    }

    @Override
    public String toString() {
        return "gateway/" + gatewayNamespace + "/" + gatewayName + "/" + sectionName;
    }
}
