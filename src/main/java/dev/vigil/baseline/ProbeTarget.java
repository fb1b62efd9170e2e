package dev.vigil.baseline;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

public class ProbeTarget {

    @Required
    @Size(max = 2048)
    @Pattern("^https?://[^\\s/]+(/.*)?$")
    @JsonPropertyDescription("URL of the service, e.g. https://billing.example.com/")
    public String url;

    @Size(max = 253)
    @JsonPropertyDescription("IP address or host name to connect to instead of resolving the URL's host.")
    public String connectAddress;
}
