package dev.vigil.reports;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An upstream CRD's {@code openAPIV3Schema} applied to an object the way the API server applies a structural
 * schema: type, enum, required, integer format ranges, and — where the server would silently prune it — an
 * unknown field is reported as an error, so a field Vigil writes that the published API lacks cannot go unnoticed.
 */
final class StructuralSchema {

    private final JSONSchemaProps root;

    private StructuralSchema(JSONSchemaProps root) {
        this.root = root;
    }

    static CustomResourceDefinition crd(String resource) throws IOException {
        try (InputStream in = StructuralSchema.class.getResourceAsStream(resource)) {
            return Serialization.unmarshal(in, CustomResourceDefinition.class);
        }
    }

    static StructuralSchema of(CustomResourceDefinition crd, String version) {
        return new StructuralSchema(crd.getSpec().getVersions().stream().filter(v -> v.getName().equals(version)).findFirst()
                .orElseThrow().getSchema().getOpenAPIV3Schema());
    }

    /** Every violation, as {@code path: problem}; empty when the object fits the schema. */
    List<String> violations(Object object) {
        List<String> out = new ArrayList<>();
        check("", root, Serialization.jsonMapper().convertValue(object, Object.class), out);
        return out;
    }

    private static void check(String path, JSONSchemaProps schema, Object value, List<String> out) {
        if (value == null) {
            out.add(path + ": null");
            return;
        }
        String type = schema.getType();
        if (type != null) {
            boolean ok = switch (type) {
                case "object" -> value instanceof Map;
                case "array" -> value instanceof List;
                case "string" -> value instanceof String;
                case "integer" -> value instanceof Integer || value instanceof Long || value instanceof java.math.BigInteger;
                case "number" -> value instanceof Number;
                case "boolean" -> value instanceof Boolean;
                default -> false;
            };
            if (!ok) {
                out.add(path + ": expected " + type + ", got " + value.getClass().getSimpleName());
                return;
            }
        }
        if (schema.getEnum() != null && !schema.getEnum().isEmpty()) {
            List<Object> allowed = schema.getEnum().stream().map(j -> Serialization.jsonMapper().convertValue(j, Object.class)).toList();
            if (!allowed.contains(value)) {
                out.add(path + ": " + value + " is not one of " + allowed);
            }
        }
        if ("integer".equals(type) && "int32".equals(schema.getFormat())) {
            long v = ((Number) value).longValue();
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                out.add(path + ": " + v + " is not an int32");
            }
        }
        if (value instanceof Map<?, ?> map) {
            if (schema.getRequired() != null) {
                for (String r : schema.getRequired()) {
                    if (!map.containsKey(r)) {
                        out.add(path + ": required field " + r + " missing");
                    }
                }
            }
            boolean preserve = Boolean.TRUE.equals(schema.getXKubernetesPreserveUnknownFields());
            Map<String, JSONSchemaProps> properties = schema.getProperties() == null ? Map.of() : schema.getProperties();
            JSONSchemaProps additional = schema.getAdditionalProperties() == null ? null : schema.getAdditionalProperties().getSchema();
            boolean opaque = properties.isEmpty() && additional == null; // metadata: checked by the API server itself
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String key = String.valueOf(e.getKey());
                String child = path + "." + key;
                if (properties.containsKey(key)) {
                    check(child, properties.get(key), e.getValue(), out);
                } else if (additional != null) {
                    check(child, additional, e.getValue(), out);
                } else if (!preserve && !opaque) {
                    out.add(child + ": not in the schema (the API server would prune it)");
                }
            }
        }
        if (value instanceof List<?> list && schema.getItems() != null && schema.getItems().getSchema() != null) {
            for (int i = 0; i < list.size(); i++) {
                check(path + "[" + i + "]", schema.getItems().getSchema(), list.get(i), out);
            }
        }
    }
}
