package dev.vigil.baseline;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** One entry of {@code spec.exceptions}: a control accepted as failing on some hosts, by someone, until a date. */
@ValidationRule(value = "self.reason.size() >= 10", message = "reason must explain the accepted risk (at least 10 characters)")
public class AcceptedRiskSpec {

    @Required
    @Size(min = 1, max = 100)
    @JsonPropertyDescription("Hosts the exception applies to; '*' as the first label matches any subdomain.")
    public List<String> hosts;

    @Required
    @Size(max = 64)
    @JsonPropertyDescription("Control accepted as failing, e.g. content-security-policy, tls-level, certificate-expiry.")
    public String control;

    @Required
    @Size(max = 1024)
    public String reason;

    @Required
    @Size(max = 253)
    @JsonPropertyDescription("Who accepted the risk.")
    public String owner;

    @Required
    @Pattern("^[0-9]{4}-[0-9]{2}-[0-9]{2}(T.*)?$")
    @JsonPropertyDescription("Date (YYYY-MM-DD, end of day UTC) or RFC 3339 time after which the exception no longer applies.")
    public String expires;
}
