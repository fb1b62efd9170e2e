package dev.vigil.admission;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The policies as shipped: one file per rule, the same bytes in the chart ({@code helm/vigil/files/admission/})
 * and on the classpath ({@code admission/}), rendered once per mode. The chart's {@code templates/admission.yaml}
 * substitutes the same placeholders and sets the same names; {@code AdmissionChartTest} holds both to that.
 */
public final class ShippedPolicies {

    public static final String RESOURCE_DIRECTORY = "admission/";
    public static final String MODE_PLACEHOLDER = "__MODE__";
    public static final String VIGIL_USERNAME_PLACEHOLDER = "__VIGIL_USERNAME__";
    public static final String CERT_MANAGER_USERNAME_PLACEHOLDER = "__CERT_MANAGER_USERNAME__";

    private ShippedPolicies() {
    }

    /** The policy file of a rule, byte for byte. */
    public static String source(Rule rule) {
        String path = RESOURCE_DIRECTORY + rule.fileName();
        try (InputStream in = ShippedPolicies.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("policy " + path + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every rule in every mode: 3 × 3 policies. */
    public static List<AdmissionPolicy> render(Install install) {
        List<AdmissionPolicy> policies = new ArrayList<>();
        for (Rule rule : Rule.values()) {
            for (Mode mode : Mode.values()) {
                policies.add(render(rule, mode, install, source(rule)));
            }
        }
        return policies;
    }

    /** One rule's file (possibly edited, for tests) in one mode. */
    @SuppressWarnings("unchecked")
    public static AdmissionPolicy render(Rule rule, Mode mode, Install install, String source) {
        String filled = source.replace(MODE_PLACEHOLDER, mode.name())
                .replace(VIGIL_USERNAME_PLACEHOLDER, install.vigilUsername())
                .replace(CERT_MANAGER_USERNAME_PLACEHOLDER, install.certManagerUsername());
        Map<String, Object> manifest = (Map<String, Object>) new Yaml(new SafeConstructor(new LoaderOptions())).load(filled);
        ((Map<String, Object>) manifest.get("metadata")).put("name", policyName(install, rule, mode));
        return AdmissionPolicy.fromManifest(rule, mode, manifest);
    }

    public static String policyName(Install install, Rule rule, Mode mode) {
        return install.namePrefix() + "-" + rule.id() + "-" + mode.suffix();
    }
}
