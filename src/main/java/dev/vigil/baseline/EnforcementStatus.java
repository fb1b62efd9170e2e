package dev.vigil.baseline;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.vigil.admission.ActiveException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Admission state of a baseline: what the policies read, and the background audit of existing objects. */
public class EnforcementStatus {

    @JsonPropertyDescription("Exceptions in force now; the admission policies read them here because CEL has no clock."
            + " The operator publishes them again when one expires.")
    public List<ActiveException> activeExceptions = new ArrayList<>();

    @JsonPropertyDescription("Existing Secrets and Ingresses in this namespace that the admission rules would refuse or warn about.")
    public Integer violations;

    @JsonPropertyDescription("Violations per rule.")
    public Map<String, Integer> byRule;

    @JsonPropertyDescription("The first violating objects.")
    public List<ViolationRow> objects = new ArrayList<>();

    @JsonPropertyDescription("Violating objects left out of the list.")
    public Integer objectsOmitted;

    @JsonPropertyDescription("When the existing objects were last checked.")
    public String lastAuditTime;

    /** One violating object. */
    public record ViolationRow(String kind, String name, String rule, String message) {
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EnforcementStatus s
                && Objects.equals(activeExceptions, s.activeExceptions)
                && Objects.equals(violations, s.violations)
                && Objects.equals(byRule, s.byRule)
                && Objects.equals(objects, s.objects)
                && Objects.equals(objectsOmitted, s.objectsOmitted)
                && Objects.equals(lastAuditTime, s.lastAuditTime);
    }

    @Override
    public int hashCode() {
        return Objects.hash(activeExceptions, violations, byRule, objects, objectsOmitted, lastAuditTime);
    }
}
