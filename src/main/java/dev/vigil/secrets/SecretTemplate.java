package dev.vigil.secrets;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Map;

public class SecretTemplate {

    @JsonPropertyDescription("Secret type; defaults to the document's own type (Secret manifests) or Opaque.")
    public String type;

    public Map<String, String> labels;

    public Map<String, String> annotations;

    @JsonPropertyDescription("Write an immutable Secret.")
    public Boolean immutable;
}
