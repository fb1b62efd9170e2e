package dev.vigil.secrets;

/** The cleartext cannot become a Secret. Messages name keys and paths, never values. */
public class PayloadException extends Exception {

    private final Outcome outcome;

    public PayloadException(Outcome outcome, String message) {
        super(message);
        this.outcome = outcome;
    }

    public Outcome outcome() {
        return outcome;
    }
}
