package dev.vigil.grade.tls;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Mozilla's Server Side TLS guidelines as shipped with Vigil (5.7, 5.8, 6.0; 6.0 has no "old"). */
public record Guidelines(String version, Map<String, Level> levels) {

    public static final List<String> VERSIONS = GuidelinesVersion.labels();
    public static final String DEFAULT_VERSION = GuidelinesVersion.DEFAULT.label();
    private static final Map<String, Guidelines> CACHE = new ConcurrentHashMap<>();

    /** One configuration level, fields as in the JSON. */
    public record Level(String name, List<String> tlsVersions, List<String> ciphersuites, List<String> ciphers,
            List<String> tlsCurves, List<String> certificateTypes, List<String> certificateCurves,
            List<String> certificateSignatures, Optional<Integer> rsaKeySize, Optional<Integer> dhParamSize,
            Optional<Integer> ecdhParamSize, int maximumCertificateLifespan, boolean ocspStaple, boolean serverPreferredOrder,
            List<String> opensslCiphers, Optional<Integer> hstsMinAge, Optional<Integer> recommendedCertificateLifespan) {
    }

    /** The level's definition, or empty where this version has none (6.0 has no "old"). */
    public Optional<Level> level(MozillaLevel level) {
        return Optional.ofNullable(levels.get(level.label()));
    }

    public static Guidelines load(String version) {
        if (!VERSIONS.contains(version)) {
            throw new IllegalArgumentException("unknown guidelines version " + version + " (known: " + VERSIONS + ")");
        }
        return CACHE.computeIfAbsent(version, Guidelines::read);
    }

    private static Guidelines read(String version) {
        try (InputStream in = Guidelines.class.getResourceAsStream("/mozilla-guidelines/" + version + ".json")) {
            JsonNode root = new ObjectMapper().readTree(in);
            Map<String, Level> levels = new LinkedHashMap<>();
            for (String name : List.of("modern", "intermediate", "old")) {
                JsonNode c = root.path("configurations").path(name);
                if (c.isMissingNode()) {
                    continue;
                }
                levels.put(name, new Level(name, list(c, "tls_versions"), list(c, "ciphersuites"), list(c.path("ciphers"), "iana"),
                        list(c, "tls_curves"), list(c, "certificate_types"), list(c, "certificate_curves"),
                        list(c, "certificate_signatures"), integer(c, "rsa_key_size"), integer(c, "dh_param_size"),
                        integer(c, "ecdh_param_size"), c.path("maximum_certificate_lifespan").asInt(366),
                        c.path("ocsp_staple").asBoolean(false), c.path("server_preferred_order").asBoolean(false),
                        list(c.path("ciphers"), "openssl"), integer(c, "hsts_min_age"), integer(c, "recommended_certificate_lifespan")));
            }
            return new Guidelines(version, levels);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> list(JsonNode node, String field) {
        List<String> values = new ArrayList<>();
        node.path(field).forEach(v -> values.add(v.asText()));
        return values;
    }

    private static Optional<Integer> integer(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isNumber() ? Optional.of(v.asInt()) : Optional.empty();
    }
}
