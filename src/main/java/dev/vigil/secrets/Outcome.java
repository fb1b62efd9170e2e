package dev.vigil.secrets;

/** Reason of the Ready condition, also the {@code outcome} label of the decryption counter. */
public enum Outcome {
    Decrypted(true),
    NoMatchingKey(false),
    MacMismatch(false),
    ValueDecryptFailed(false),
    InvalidDocument(false),
    ScopeMismatch(false),
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
