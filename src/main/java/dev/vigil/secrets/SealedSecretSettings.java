package dev.vigil.secrets;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "vigil.sealed-secrets")
public interface SealedSecretSettings {

    /** Refuse documents whose MAC-protected cleartext does not name its target namespace and name. */
    @WithDefault("false")
    boolean requireBinding();

    /** Secret in the operator's namespace holding the per-installation HMAC key for revisions. */
    @WithDefault("vigil-revision-key")
    String revisionKeySecret();
}
