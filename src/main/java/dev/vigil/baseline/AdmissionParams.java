package dev.vigil.baseline;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.vigil.admission.ActiveExceptions;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A SecurityBaseline as the admission policies see it ({@code params}): the object as a plain tree, with
 * the active exceptions the operator publishes in its status, worked out for {@code now} from its spec.
 * The operator (background audit, status) and {@code vigil admission check} both come through here.
 */
public final class AdmissionParams {

    private AdmissionParams() {
    }

    /** The exceptions in force at {@code now}, and when the next one expires. */
    public static ActiveExceptions.Published exceptions(SecurityBaseline baseline, Instant now) {
        BaselinePolicy policy = BaselinePolicy.from(baseline, new BaselinePolicy.Limits(Duration.ZERO, Duration.ofDays(1)), true);
        return ActiveExceptions.at(policy.risks(), now);
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> of(SecurityBaseline baseline, Instant now) {
        Map<String, Object> tree = Serialization.jsonMapper().convertValue(baseline, new TypeReference<Map<String, Object>>() {
        });
        Map<String, Object> status = tree.get("status") instanceof Map<?, ?> s ? new LinkedHashMap<>((Map<String, Object>) s)
                : new LinkedHashMap<>();
        Map<String, Object> enforcement = status.get("enforcement") instanceof Map<?, ?> e
                ? new LinkedHashMap<>((Map<String, Object>) e) : new LinkedHashMap<>();
        List<Object> active = Serialization.jsonMapper().convertValue(exceptions(baseline, now).active(),
                new TypeReference<List<Object>>() {
                });
        enforcement.put("activeExceptions", active);
        status.put("enforcement", enforcement);
        tree.put("status", status);
        return tree;
    }
}
