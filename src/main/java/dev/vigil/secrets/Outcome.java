package dev.vigil.secrets;

/** Reason of the Ready condition, also the {@code outcome} label of the decryption counter. */
public enum Outcome {
    Decrypted(true),
    NoMatchingKey(false),
    MacMismatch(false),
    ValueDecryptFailed(false),
    InvalidDocument(false),
    /** The encrypted binding names another namespace or Secret name. */
    ScopeMismatch(false),
    /** No encrypted binding, opened by a key that serves every namespace, and unbound documents are not allowed. */
    Unbound(false),
    /** A mac_only_encrypted document holds Secret content in clear text, which its MAC does not cover. */
    UnprotectedCleartext(false),
    /** spec.template asks for a Secret type or a kubernetes.io / k8s.io label or annotation that is not allowed. */
    TemplateRefused(false),
    SecretNotOwned(false),
    SecretWriteFailed(false);

    private final boolean ready;

    Outcome(boolean ready) {
        this.ready = ready;
    }

    public boolean ready() {
        return ready;
    }
}
