package dev.vigil.secrets;

import java.util.List;
import java.util.Optional;

/**
 * Whether a decrypted document may become the Secret {@code namespace/name}: the one decision the
 * operator and {@code vigil verify --namespace N --name M} share. Pure: plain records in, a verdict out.
 *
 * <p>A binding counts only when it is encrypted: the Sops MAC covers values but not keys (and
 * concatenates values without separators), so a clear-text {@code metadata.namespace} can be renamed
 * away or re-split with its neighbours without breaking the MAC. An encrypted value is authenticated by
 * AES-GCM with its key path as AAD, so it can neither be edited nor moved to another path.
 *
 * <p>Like sealed-secrets' strict scope, a document without such a binding is refused unless every key
 * that opened it is restricted by its key Secret to a list of namespaces (which, since the keyring only
 * holds keys serving the target namespace, includes the target), or the operator allows unbound
 * documents ({@code vigil.sealed-secrets.allow-unbound}, off by default).
 */
public final class ScopeRules {

    private ScopeRules() {
    }

    /** The verdicts; the refusals are also the first word on {@code vigil verify}'s stderr. */
    public enum Verdict {
        /** The encrypted metadata.namespace (and metadata.name, when present) name the target. */
        BOUND(Outcome.Decrypted),
        /** No encrypted namespace, but every key that opened the document serves only the namespaces its key Secret lists. */
        UNBOUND_RESTRICTED_KEY(Outcome.Decrypted),
        /** No encrypted namespace, accepted because the operator (or {@code --allow-unbound}) allows unbound documents. */
        UNBOUND_ALLOWED(Outcome.Decrypted),
        /** The encrypted binding names another namespace or name. */
        SCOPE_MISMATCH(Outcome.ScopeMismatch),
        /** No encrypted namespace, and a key serving every namespace ({@code *}) opened the document. */
        UNBOUND(Outcome.Unbound);

        private final Outcome outcome;

        Verdict(Outcome outcome) {
            this.outcome = outcome;
        }

        public Outcome outcome() {
            return outcome;
        }

        public boolean allowed() {
            return outcome.ready();
        }
    }

    /**
     * The target named by encrypted, MAC-protected values at {@code metadata.namespace}/{@code metadata.name}
     * of a v1 Secret manifest. {@code clearTextPaths} lists binding paths that were present but not encrypted:
     * they are ignored and only mentioned, so the author learns why the document counts as unbound.
     */
    public record Binding(Optional<String> namespace, Optional<String> name, List<String> clearTextPaths) {

        public static final Binding NONE = new Binding(Optional.empty(), Optional.empty(), List.of());
    }

    /** A key that opened the document: where it came from and whether its key Secret restricts it to listed namespaces. */
    public record OpeningKey(String source, boolean restricted) {
    }

    /** The verdict and a message that names only the target and key sources, never the document's binding values. */
    public record Decision(Verdict verdict, String message) {
        public boolean allowed() {
            return verdict.allowed();
        }
    }

    public static Decision decide(Binding binding, List<OpeningKey> openedBy, String namespace, String name,
            boolean allowUnbound) {
        // The decrypted binding is confidential (it is encrypted for a reason): messages name only the target.
        if (binding.name().isPresent() && !binding.name().get().equals(name)) {
            return new Decision(Verdict.SCOPE_MISMATCH, "the document is bound to another Secret name, not " + name);
        }
        if (binding.namespace().isPresent()) {
            if (!binding.namespace().get().equals(namespace)) {
                return new Decision(Verdict.SCOPE_MISMATCH, "the document is bound to another namespace, not " + namespace);
            }
            return new Decision(Verdict.BOUND, "bound to " + namespace + "/" + name);
        }
        String why = binding.clearTextPaths().isEmpty()
                ? "the document names no namespace in an encrypted metadata.namespace"
                : "the document's " + String.join(" and ", binding.clearTextPaths())
                        + " is clear text, which anyone can rename or re-split without breaking the MAC, so it is ignored";
        if (!openedBy.isEmpty() && openedBy.stream().allMatch(OpeningKey::restricted)) {
            return new Decision(Verdict.UNBOUND_RESTRICTED_KEY, why + "; accepted because the key that opened it serves only "
                    + "the namespaces its key Secret lists");
        }
        if (allowUnbound) {
            return new Decision(Verdict.UNBOUND_ALLOWED, why + "; accepted because unbound documents are allowed");
        }
        List<String> unrestricted = openedBy.stream().filter(k -> !k.restricted()).map(OpeningKey::source).toList();
        return new Decision(Verdict.UNBOUND, why + ", and it was opened by " + (unrestricted.isEmpty() ? "a key"
                : String.join(", ", unrestricted)) + ", which serves every namespace; seal it with its binding "
                + "(vigil seal, or sops --encrypted-regex '" + BINDING_RECIPE_REGEX + "') or restrict the key Secret with "
                + KeySecrets.ALLOWED_NAMESPACES);
    }

    /** The encrypted_regex {@code vigil seal} writes, and the recipe for plain sops: data plus the binding. */
    public static final String BINDING_RECIPE_REGEX = "^(data|stringData|name|namespace)$";
}
