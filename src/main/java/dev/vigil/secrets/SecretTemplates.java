package dev.vigil.secrets;

import java.util.Map;
import java.util.Set;

/**
 * What {@code spec.template} may ask of the Secret Vigil writes. Vigil writes with its own, wide rights,
 * so the template must not reach what a tenant could not create itself or what other controllers act on:
 * a {@code kubernetes.io/service-account-token} Secret makes the token controller mint a token for any
 * ServiceAccount it names (by annotation), {@code bootstrap.kubernetes.io/token} authenticates nodes,
 * and {@code kubernetes.io/} / {@code k8s.io/} labels and annotations (and their subdomains) are read by
 * Kubernetes itself. Two exceptions and one addition: {@code app.kubernetes.io/} holds the recommended
 * labels meant for applications (its {@code managed-by} is Vigil's); Vigil's own {@code vigil.dev/} keys are
 * Vigil's to set.
 */
public final class SecretTemplates {

    /** The Secret types a SealedSecret may produce (from spec.template.type or the document's own type). */
    public static final Set<String> ALLOWED_TYPES = Set.of("Opaque", "kubernetes.io/tls", "kubernetes.io/dockerconfigjson",
            "kubernetes.io/dockercfg", "kubernetes.io/basic-auth", "kubernetes.io/ssh-auth");

    private SecretTemplates() {
    }

    public static String effectiveType(SealedSecretSpec spec, SecretPayload payload) {
        return spec.template != null && spec.template.type != null ? spec.template.type : payload.type().orElse("Opaque");
    }

    public static void check(SealedSecretSpec spec, SecretPayload payload) throws PayloadException {
        String type = effectiveType(spec, payload);
        if (!ALLOWED_TYPES.contains(type)) {
            throw refused("Secret type \"" + printable(type) + "\" is not allowed; allowed: " + String.join(", ",
                    ALLOWED_TYPES.stream().sorted().toList()));
        }
        if (spec.template != null) {
            checkKeys("label", spec.template.labels);
            checkKeys("annotation", spec.template.annotations);
        }
    }

    private static void checkKeys(String kind, Map<String, String> entries) throws PayloadException {
        if (entries == null) {
            return;
        }
        for (String key : entries.keySet()) {
            int slash = key.indexOf('/');
            String domain = slash < 0 ? "" : key.substring(0, slash);
            boolean recommendedAppLabel = domain.equals("app.kubernetes.io") && !key.equals(SecretWriter.MANAGED_BY_LABEL);
            if (!recommendedAppLabel && (reserved(domain, "kubernetes.io") || reserved(domain, "k8s.io") || reserved(domain, "vigil.dev"))) {
                throw refused("spec.template " + kind + " \"" + printable(key) + "\" is in a reserved domain "
                        + "(kubernetes.io, k8s.io, vigil.dev and their subdomains; app.kubernetes.io/ is allowed but managed-by)");
            }
        }
    }

    private static boolean reserved(String domain, String reserved) {
        return domain.equals(reserved) || domain.endsWith("." + reserved);
    }

    private static PayloadException refused(String message) {
        return new PayloadException(Outcome.TemplateRefused, message);
    }

    private static String printable(String text) {
        String cut = text.length() > 100 ? text.substring(0, 100) + "…" : text;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
