package dev.vigil.baseline;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.vigil.grade.Grade;
import dev.vigil.grade.observatory.ObservatoryAlgorithm;
import dev.vigil.grade.service.ControlLevel;
import dev.vigil.grade.tls.GuidelinesVersion;
import dev.vigil.grade.tls.MozillaLevel;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.HashMap;
import java.util.Map;

/**
 * What every covered service must meet. Fields are read leniently (text and numbers) and judged by
 * {@link BaselinePolicy}, which reports a bad value as a condition; the CRD's allowed values are generated
 * from the enums the grader uses ({@code @SchemaFrom}), so the API server and the code agree.
 */
public class Requirements {

    @Default("intermediate")
    @SchemaFrom(type = MozillaLevel.class)
    @JsonPropertyDescription("Mozilla Server Side TLS level required.")
    public String tlsLevel = "intermediate";

    @Default("5.8")
    @SchemaFrom(type = GuidelinesVersion.class)
    @JsonPropertyDescription("Mozilla guidelines version the TLS level is judged by (6.0 has no old level).")
    public String tlsGuidelines = "5.8";

    @Default("14")
    @Min(0)
    @Max(3650)
    @JsonPropertyDescription("Minimum days a certificate must still be valid.")
    public Integer minCertificateDays = 14;

    @Default("4")
    @ValidationRule(value = ObservatoryAlgorithm.CRD_RULE, message = "unknown HTTP Observatory algorithm")
    @JsonPropertyDescription("HTTP Observatory scoring algorithm: 4 (npm 1.4.8), 5 (1.5.0: X-Frame-Options +5) or 6 (COOP/COEP, CSP lines split).")
    public Integer observatoryAlgorithm = 4;

    @Default("B")
    @SchemaFrom(type = Grade.class)
    @JsonPropertyDescription("Lowest acceptable grade.")
    public String minimumGrade = "B";

    @SchemaFrom(type = ControlLevels.class)
    @JsonPropertyDescription("Level per control (fail, warn or ignore), like tests in a suite: a failing 'fail' control makes"
            + " the service non-compliant whatever its grade, 'warn' is reported, 'ignore' drops the control. Controls not"
            + " listed fail when their cap is below minimumGrade and warn otherwise.")
    public Map<String, String> controls = new HashMap<>();

    @JsonPropertyDescription("Secret hygiene of the covered namespaces (secret-rotation, secret-source). Absent: not judged.")
    public SecretRequirements secrets;

    /** Schema of {@link #controls}: control name → level, levels from {@link ControlLevel}. */
    static final class ControlLevels extends HashMap<String, ControlLevel> {
    }
}
