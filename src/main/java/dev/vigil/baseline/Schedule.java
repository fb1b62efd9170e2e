package dev.vigil.baseline;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

public class Schedule {

    @Default("1h")
    @Size(max = 32)
    @Pattern("^([0-9]+(ms|s|m|h))+$")
    @ValidationRule(value = "duration(self) >= duration('1s')", message = "interval must be at least 1s")
    @JsonPropertyDescription("How often each service is probed, e.g. 1h, 15m. The operator raises it to its minimum"
            + " (vigil.baselines.min-interval, 1m by default).")
    public String interval = "1h";

    @Default("30s")
    @Size(max = 32)
    @Pattern("^([0-9]+(ms|s|m|h))+$")
    @ValidationRule(value = "duration(self) >= duration('1s') && duration(self) <= duration('10m')",
            message = "timeout must be between 1s and 10m")
    @JsonPropertyDescription("Time budget of one service's probes (TLS and HTTP together). The operator lowers it to its"
            + " maximum (vigil.baselines.max-timeout, 60s by default).")
    public String timeout = "30s";
}
