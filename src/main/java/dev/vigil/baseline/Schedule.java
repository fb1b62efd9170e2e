package dev.vigil.baseline;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;

public class Schedule {

    @Default("1h")
    @Pattern("^([0-9]+(ms|s|m|h))+$")
    @JsonPropertyDescription("How often each service is probed, e.g. 1h, 15m.")
    public String interval = "1h";

    @Default("30s")
    @Pattern("^([0-9]+(ms|s|m|h))+$")
    @JsonPropertyDescription("Time budget of one service's probes (TLS and HTTP together).")
    public String timeout = "30s";
}
