package dev.vigil.metrics;

/** Background-audit violations of one rule in one baseline; rule and mode are fixed enums. */
public record AdmissionSample(String namespace, String rule, String mode, int violations) {
}
