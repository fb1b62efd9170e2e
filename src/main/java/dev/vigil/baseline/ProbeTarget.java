package dev.vigil.baseline;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

public class ProbeTarget {

    @Required
    @Pattern("^https?://[^\\s/]+(/.*)?$")
    @JsonPropertyDescription("URL of the service, e.g. https://billing.example.com/")
    public String url;

    @JsonPropertyDescription("IP address or host name to connect to instead of resolving the URL's host.")
    public String connectAddress;
}
