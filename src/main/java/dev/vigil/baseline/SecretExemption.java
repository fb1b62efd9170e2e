package dev.vigil.baseline;

import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which Secrets may exist without a SealedSecret: the exemptions of the admission rule {@code secrets-from-git}
 * ({@code src/main/resources/admission/secrets-from-git.yaml}), for Secrets at rest. The one place the runtime
 * {@code secret-source} control decides it; {@code SecretExemptionTest} runs the CEL rule and this over the same
 * Secrets and checks they agree.
 *
 * <p>One difference by nature: admission knows who writes a Secret, a Secret at rest does not say. Vigil's writes are
 * recognised by the SealedSecret that owns the Secret (same name, its UID among the owners: a label can be copied, a
 * UID in an owner reference to another name cannot make Vigil manage it); cert-manager's by its
 * {@code cert-manager.io/certificate-name} annotation, which a tenant could copy onto a hand-made Secret — where the
 * admission rule runs, that Secret is refused at creation.
 */
public final class SecretExemption {

    /** Why a Secret is allowed without a SealedSecret (documented constants, shown in reports). */
    public static final String FROM_SEALED_SECRET = "written by Vigil from its SealedSecret";
    public static final String SERVICE_ACCOUNT_TOKEN = "service-account token";
    public static final String HELM_RELEASE = "Helm release record";
    public static final String CERT_MANAGER = "cert-manager's Secret";
    public static final String EXEMPT_SELECTOR = "matches spec.enforcement.exemptSecrets";

    static final String SERVICE_ACCOUNT_TOKEN_TYPE = "kubernetes.io/service-account-token";
    static final Set<String> SERVICE_ACCOUNT_TOKEN_KEYS = Set.of("token", "ca.crt", "namespace");
    static final String HELM_RELEASE_TYPE = "helm.sh/release.v1";
    static final String HELM_RELEASE_PREFIX = "sh.helm.release.v1.";
    static final String HELM_RELEASE_KEY = "release";
    static final String CERT_MANAGER_ANNOTATION = "cert-manager.io/certificate-name";

    private SecretExemption() {
    }

    /**
     * Why this Secret needs no SealedSecret, or empty when it should come from one.
     *
     * @param sealedSecretUids the UID of each SealedSecret of the Secret's namespace, by name
     * @param exemptSecrets the baseline's {@code spec.enforcement.exemptSecrets}; an empty selector exempts nothing
     */
    public static Optional<String> of(SecretFacts secret, Map<String, String> sealedSecretUids,
            Optional<LabelSelector> exemptSecrets) {
        String owner = sealedSecretUids.get(secret.name());
        if (owner != null && secret.ownerUids().contains(owner)) {
            return Optional.of(FROM_SEALED_SECRET);
        }
        return atRest(secret, exemptSecrets);
    }

    /** The exemptions that do not depend on who wrote the Secret: exactly the admission rule's. */
    static Optional<String> atRest(SecretFacts secret, Optional<LabelSelector> exemptSecrets) {
        if (SERVICE_ACCOUNT_TOKEN_TYPE.equals(secret.type()) && SERVICE_ACCOUNT_TOKEN_KEYS.containsAll(secret.keys())) {
            return Optional.of(SERVICE_ACCOUNT_TOKEN);
        }
        if (HELM_RELEASE_TYPE.equals(secret.type()) && secret.name() != null && secret.name().startsWith(HELM_RELEASE_PREFIX)
                && Set.of(HELM_RELEASE_KEY).containsAll(secret.keys())) {
            return Optional.of(HELM_RELEASE);
        }
        if (secret.annotations().contains(CERT_MANAGER_ANNOTATION)) {
            return Optional.of(CERT_MANAGER);
        }
        if (exemptSecrets.filter(SecretExemption::selectsSomething).map(s -> BaselineScope.matches(s, secret.labels()))
                .orElse(false)) {
            return Optional.of(EXEMPT_SELECTOR);
        }
        return Optional.empty();
    }

    /** As the CRD and the rule: an empty selector would exempt every Secret, so it exempts none. */
    private static boolean selectsSomething(LabelSelector s) {
        return (s.getMatchLabels() != null && !s.getMatchLabels().isEmpty())
                || (s.getMatchExpressions() != null && !s.getMatchExpressions().isEmpty());
    }
}
