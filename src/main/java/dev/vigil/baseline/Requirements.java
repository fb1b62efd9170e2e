package dev.vigil.baseline;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

public class Requirements {

    @Default("intermediate")
    @Pattern("^(modern|intermediate|old)$")
    @JsonPropertyDescription("Mozilla Server Side TLS level required: modern, intermediate or old.")
    public String tlsLevel = "intermediate";

    @Default("5.8")
    @Pattern("^(5\\.7|5\\.8|6\\.0)$")
    @JsonPropertyDescription("Mozilla guidelines version the TLS level is judged by.")
    public String tlsGuidelines = "5.8";

    @Default("14")
    @Min(0)
    @JsonPropertyDescription("Minimum days a certificate must still be valid.")
    public Integer minCertificateDays = 14;

    @Default("4")
    @Min(4)
    @Max(6)
    @JsonPropertyDescription("HTTP Observatory scoring algorithm: 4 (npm 1.4.8) or 6.")
    public Integer observatoryAlgorithm = 4;

    @Default("B")
    @Pattern("^(A\\+|A|A-|B\\+|B|B-|C\\+|C|C-|D\\+|D|D-|F)$")
    @JsonPropertyDescription("Lowest acceptable grade.")
    public String minimumGrade = "B";
}
