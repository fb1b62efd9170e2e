package dev.vigil.sops;

/**
 * Why a document could not be decrypted. Messages name paths, recipients and fingerprints, never a
 * value or key material.
 */
public class SopsException extends Exception {

    public enum ErrorClass {
        /** No available key unwrapped the data key (or too few Shamir shares). */
        DATA_KEY_UNAVAILABLE,
        /** An encrypted value failed AES-GCM or an encrypted slot holds something else. */
        VALUE_DECRYPT_FAILED,
        /** The computed MAC differs from the stored one, or the MAC is missing or undecryptable. */
        MAC_MISMATCH,
        /** The document cannot be parsed or breaks a limit. */
        INVALID_DOCUMENT,
        /** A key file Vigil cannot read or use (a key type it does not support, a bad encoding, a locked file). */
        KEY_UNSUPPORTED
    }

    private final ErrorClass errorClass;

    public SopsException(ErrorClass errorClass, String message) {
        super(message);
        this.errorClass = errorClass;
    }

    public ErrorClass errorClass() {
        return errorClass;
    }

    static SopsException keyUnsupported(String message) {
        return new SopsException(ErrorClass.KEY_UNSUPPORTED, message);
    }

    static SopsException invalid(String message) {
        return new SopsException(ErrorClass.INVALID_DOCUMENT, message);
    }

    @Override
    public String toString() {
        return errorClass + ": " + getMessage();
    }
}
