package dev.vigil.admission;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the API server hands a policy as {@code request}, {@code object} and {@code oldObject}: the fields
 * Vigil's policies read, with the same names and shapes.
 *
 * @param object the object as stored after the request (null for DELETE)
 * @param oldObject the object before an UPDATE (null for CREATE)
 */
public record AdmissionRequest(String operation, String group, String version, String kind, String resource,
        String namespace, String name, String username, List<String> groups, Map<String, Object> object,
        Map<String, Object> oldObject) {

    /** Kinds whose plural is not just the lower-case kind plus "s". */
    private static final Map<String, String> PLURALS = Map.of("Ingress", "ingresses", "NetworkPolicy", "networkpolicies",
            "IngressClass", "ingressclasses");

    /**
     * A request to create (or, with {@code oldObject}, update) a manifest, made by {@code username}; the
     * namespace is the manifest's, else {@code defaultNamespace}.
     */
    public static AdmissionRequest of(Map<String, Object> object, Map<String, Object> oldObject, String username,
            String defaultNamespace) {
        object = asStored(object);
        oldObject = oldObject == null ? null : asStored(oldObject);
        String apiVersion = string(object.get("apiVersion"), "v1");
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        String version = slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
        String kind = string(object.get("kind"), "");
        Map<?, ?> metadata = object.get("metadata") instanceof Map<?, ?> m ? m : Map.of();
        String namespace = string(metadata.get("namespace"), defaultNamespace);
        String name = string(metadata.get("name"), "");
        return new AdmissionRequest(oldObject == null ? "CREATE" : "UPDATE", group, version, kind, plural(kind),
                namespace, name, username, List.of(), object, oldObject);
    }

    /**
     * The object as admission sees it after the API server decoded it: a v1 Secret's {@code stringData} is
     * merged into {@code data} (base64) and its type defaults to Opaque.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> asStored(Map<String, Object> object) {
        if (!"Secret".equals(object.get("kind")) || !"v1".equals(object.get("apiVersion"))) {
            return object;
        }
        Map<String, Object> stored = new LinkedHashMap<>(object);
        Object stringData = stored.remove("stringData");
        if (stringData instanceof Map<?, ?> plain && !plain.isEmpty()) {
            Map<String, Object> data = stored.get("data") instanceof Map<?, ?> d ? new LinkedHashMap<>((Map<String, Object>) d)
                    : new LinkedHashMap<>();
            plain.forEach((k, v) -> data.put(String.valueOf(k), java.util.Base64.getEncoder()
                    .encodeToString(String.valueOf(v).getBytes(java.nio.charset.StandardCharsets.UTF_8))));
            stored.put("data", data);
        }
        stored.putIfAbsent("type", "Opaque");
        return stored;
    }

    static String plural(String kind) {
        String known = PLURALS.get(kind);
        if (known != null) {
            return known;
        }
        String lower = kind.toLowerCase(Locale.ROOT);
        return lower.endsWith("s") ? lower + "es" : lower.endsWith("y") ? lower.substring(0, lower.length() - 1) + "ies" : lower + "s";
    }

    /** The {@code request} variable (admission.k8s.io/v1 AdmissionRequest fields). */
    public Map<String, Object> toCel() {
        Map<String, Object> kindMap = Map.of("group", group, "version", version, "kind", kind);
        Map<String, Object> resourceMap = Map.of("group", group, "version", version, "resource", resource);
        Map<String, Object> userInfo = new LinkedHashMap<>();
        userInfo.put("username", username);
        userInfo.put("groups", groups);
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("kind", kindMap);
        request.put("resource", resourceMap);
        request.put("requestKind", kindMap);
        request.put("requestResource", resourceMap);
        request.put("name", name);
        request.put("namespace", namespace);
        request.put("operation", operation);
        request.put("userInfo", userInfo);
        request.put("dryRun", false);
        return request;
    }

    /** {@code Kind namespace/name}, for messages. */
    public String describe() {
        return kind + " " + (namespace == null || namespace.isEmpty() ? "" : namespace + "/") + name;
    }

    private static String string(Object value, String fallback) {
        return value instanceof String s && !s.isEmpty() ? s : fallback;
    }
}
