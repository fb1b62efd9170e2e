package dev.vigil.admission;

import java.util.Arrays;
import java.util.Optional;

/** Vigil's admission rules; each is one policy file shipped in the chart and on the classpath. */
public enum Rule {
    /** Secrets are written only by Vigil (from a SealedSecret in git), where the baseline asks for it. */
    SECRETS_FROM_GIT("secrets-from-git", "Secret"),
    /** Every host an Ingress serves is listed in its spec.tls. */
    TLS_FOR_EVERY_HOST("tls-for-every-host", "Ingress"),
    /** No ingress-nginx annotation turns the HTTPS redirect off or redirects to plain HTTP. */
    NO_DOWNGRADE_SWITCHES("no-downgrade-switches", "Ingress");

    private final String id;
    private final String kind;

    Rule(String id, String kind) {
        this.id = id;
        this.kind = kind;
    }

    /** The name used in policy names, messages, status and the metric's {@code rule} label. */
    public String id() {
        return id;
    }

    /** The kind of object the rule judges. */
    public String kind() {
        return kind;
    }

    /** File name of the policy, in {@code helm/vigil/files/admission/} and on the classpath under {@code admission/}. */
    public String fileName() {
        return id + ".yaml";
    }

    public static Optional<Rule> byId(String id) {
        return Arrays.stream(values()).filter(r -> r.id.equals(id)).findFirst();
    }
}
