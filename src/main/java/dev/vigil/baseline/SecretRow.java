package dev.vigil.baseline;

/**
 * A SealedSecret or Secret failing a secret hygiene control, in a baseline's status: names and a detail, never a value.
 *
 * @param kind {@code SealedSecret} ({@code secret-rotation}) or {@code Secret} ({@code secret-source})
 */
public record SecretRow(String namespace, String kind, String name, String control, String level, String detail,
        String remediation) {
}
