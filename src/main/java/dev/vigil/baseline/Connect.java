package dev.vigil.baseline;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

public class Connect {

    @JsonPropertyDescription("IP address or host name to connect to for every covered Ingress (e.g. the ingress controller's Service) instead of the Ingress's status.loadBalancer address or DNS.")
    public String address;

    @Default("443")
    @Min(1)
    @Max(65535)
    public Integer httpsPort = 443;

    @Default("80")
    @Min(1)
    @Max(65535)
    public Integer httpPort = 80;
}
