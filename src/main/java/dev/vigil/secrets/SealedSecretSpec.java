package dev.vigil.secrets;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

@ValidationRule(value = "!has(self.format) || self.format != 'binary' || has(self.binaryKey)",
        message = "binaryKey is required when format is binary")
public class SealedSecretSpec {

    @Required
    @JsonPropertyDescription("The Sops-encrypted document, verbatim as committed to git (the MAC is verified over it).")
    public String document;

    @Pattern("^(yaml|json|dotenv|ini|binary)$")
    @JsonPropertyDescription("Store format of the document: yaml, json, dotenv, ini or binary. Inferred when absent.")
    public String format;

    @JsonPropertyDescription("Secret key that receives the decrypted bytes of a binary document.")
    public String binaryKey;

    @JsonPropertyDescription("Type, labels, annotations and immutability of the Secret that is written.")
    public SecretTemplate template;

    @JsonPropertyDescription("Roll Deployments, StatefulSets and DaemonSets that use the Secret when its content changes (default true).")
    public Boolean rollout;

    public boolean rolloutEnabled() {
        return rollout == null || rollout;
    }
}
