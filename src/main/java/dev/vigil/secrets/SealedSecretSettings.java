package dev.vigil.secrets;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "vigil.sealed-secrets")
public interface SealedSecretSettings {

    /**
     * Accept documents without an encrypted metadata.namespace even when a key serving every namespace opened
     * them. Off by default: such a document, copied into another namespace, would open there too.
     */
    @WithDefault("false")
    boolean allowUnbound();

    /** Secret in the operator's namespace holding the per-installation HMAC key for revisions. */
    @WithDefault("vigil-revision-key")
    String revisionKeySecret();
}
