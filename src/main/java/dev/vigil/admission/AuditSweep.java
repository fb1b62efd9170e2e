package dev.vigil.admission;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The background audit: existing Secrets and Ingresses of a baseline's namespace judged by the same policies
 * as at admission, as if each were created now. Without a request, the author is inferred from the object:
 * <ul>
 * <li>a Secret is Vigil's when it has an owner reference to the SealedSecret of the same name in its
 * namespace, with that SealedSecret's UID (Vigil writes exactly that; a managed-by label alone, which anyone
 * can set, is not enough, and if a user did forge such a reference Vigil would overwrite the content from
 * git anyway);</li>
 * <li>a Secret with cert-manager's {@code cert-manager.io/certificate-name} annotation, or an Ingress with the
 * HTTP-01 solver label, counts as cert-manager's (the audit cannot tell who wrote it; admission can);</li>
 * <li>anything else was written by somebody else.</li>
 * </ul>
 * Secret values never enter: {@code data} keeps its keys with empty values before anything is evaluated.
 */
public final class AuditSweep {

    /** Stands for "not Vigil, not cert-manager": no rule exempts it. */
    public static final String UNKNOWN_AUTHOR = "vigil:background-audit:unknown-author";
    static final String CERT_MANAGER_ANNOTATION = "cert-manager.io/certificate-name";
    static final String SOLVER_LABEL = "acme.cert-manager.io/http01-solver";

    private final PolicyEvaluator evaluator;
    private final Install install;

    public AuditSweep(PolicyEvaluator evaluator, Install install) {
        this.evaluator = evaluator;
        this.install = install;
    }

    /**
     * @param baseline the baseline as the policies see it ({@code params}, with its active exceptions)
     * @param objects the Secrets and Ingresses of the baseline's namespace, as plain trees
     * @param sealedSecretUids UID of every SealedSecret in the namespace, by name
     */
    public List<Violation> sweep(Map<String, Object> baseline, List<Map<String, Object>> objects, Map<String, String> sealedSecretUids) {
        Map<?, ?> baselineMeta = (Map<?, ?>) baseline.get("metadata");
        String namespace = (String) baselineMeta.get("namespace");
        List<Violation> violations = new ArrayList<>();
        for (Map<String, Object> object : objects) {
            Map<String, Object> judged = withoutValues(object);
            AdmissionRequest request = AdmissionRequest.of(judged, null, authorOf(judged, sealedSecretUids), namespace);
            if (!namespace.equals(request.namespace())) {
                continue;
            }
            Map<?, ?> meta = judged.get("metadata") instanceof Map<?, ?> m ? m : Map.of();
            for (Decision d : evaluator.evaluate(request, List.of(baseline), null).decisions()) {
                violations.add(new Violation(request.kind(), namespace, request.name(), String.valueOf(meta.get("uid")), d.rule(),
                        d.mode(), d.baseline(), d.message()));
            }
        }
        return violations;
    }

    String authorOf(Map<String, Object> object, Map<String, String> sealedSecretUids) {
        Map<?, ?> meta = object.get("metadata") instanceof Map<?, ?> m ? m : Map.of();
        if ("Secret".equals(object.get("kind"))) {
            String uid = sealedSecretUids.get(String.valueOf(meta.get("name")));
            if (uid != null && meta.get("ownerReferences") instanceof List<?> refs && refs.stream().anyMatch(r -> r instanceof Map<?, ?> ref
                    && "SealedSecret".equals(ref.get("kind")) && uid.equals(ref.get("uid")))) {
                return install.vigilUsername();
            }
            if (meta.get("annotations") instanceof Map<?, ?> a && a.containsKey(CERT_MANAGER_ANNOTATION)) {
                return install.certManagerUsername();
            }
        }
        if ("Ingress".equals(object.get("kind")) && meta.get("labels") instanceof Map<?, ?> l && l.containsKey(SOLVER_LABEL)) {
            return install.certManagerUsername();
        }
        return UNKNOWN_AUTHOR;
    }

    /** A Secret with every value blanked (keys kept: the exemptions look at them); other kinds as they are. */
    static Map<String, Object> withoutValues(Map<String, Object> object) {
        if (!"Secret".equals(object.get("kind"))) {
            return object;
        }
        Map<String, Object> copy = new LinkedHashMap<>(object);
        for (String field : List.of("data", "stringData")) {
            if (copy.get(field) instanceof Map<?, ?> values) {
                Map<String, Object> keys = new LinkedHashMap<>();
                values.keySet().forEach(k -> keys.put(String.valueOf(k), ""));
                copy.put(field, keys);
            }
        }
        return copy;
    }
}
