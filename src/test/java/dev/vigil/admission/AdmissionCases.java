package dev.vigil.admission;

import dev.vigil.grade.AcceptedRisk;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Every admission case the shipped policies must decide: each rule in each mode, each exemption, active and
 * expired exceptions, and namespaces without a baseline, over the manifests in
 * {@code src/test/resources/admission/manifests/}. Shared by the policy test and its mutation test.
 */
public final class AdmissionCases {

    static final Install INSTALL = Install.defaults();
    static final String VIGIL = INSTALL.vigilUsername();
    static final String CERT_MANAGER = INSTALL.certManagerUsername();
    static final String ALICE = "alice@example.com";
    /** Exceptions in the fixture baseline are judged at this moment: one active (2099), one expired (2020). */
    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    /**
     * @param expected {@code allow}, or {@code <outcome>:<rule>} with outcome audit, warn or deny
     */
    record Case(String name, Map<String, Object> object, Map<String, Object> oldObject, String user,
            List<Map<String, Object>> baselines, String expected) {
        AdmissionRequest request() {
            return AdmissionRequest.of(object, oldObject, user, "shop");
        }

        @Override
        public String toString() {
            return name + " → " + expected;
        }
    }

    private AdmissionCases() {
    }

    static Stream<Case> all() {
        List<Case> cases = new ArrayList<>();
        for (Mode mode : Mode.values()) {
            String outcome = mode.suffix();
            List<Map<String, Object>> b = List.of(baseline(mode, s -> { }));
            // Rule 1: secrets from git.
            cases.add(new Case("hand-made Secret by a user, " + mode, manifest("secret-by-hand.yaml"), null, ALICE, b,
                    outcome + ":secrets-from-git"));
            cases.add(new Case("stringData Secret by a user, " + mode, edit(manifest("secret-by-hand.yaml"), m -> {
                m.remove("data");
                m.put("stringData", Map.of("password", "hunter2"));
            }), null, ALICE, b, outcome + ":secrets-from-git"));
            cases.add(new Case("Secret content changed by a user, " + mode, edit(manifest("secret-from-sealedsecret.yaml"),
                    m -> m.put("data", Map.of("token", "b3RoZXI="))), manifest("secret-from-sealedsecret.yaml"), ALICE, b,
                    outcome + ":secrets-from-git"));
            // Rule 2: TLS for every host.
            cases.add(new Case("Ingress host without TLS, " + mode, manifest("ingress-admin-without-tls.yaml"), null, ALICE, b,
                    outcome + ":tls-for-every-host"));
            // Rule 3: no downgrade switches.
            cases.add(new Case("ssl-redirect off, " + mode, manifest("ingress-ssl-redirect-off.yaml"), null, ALICE, b,
                    outcome + ":no-downgrade-switches"));
        }
        List<Map<String, Object>> deny = List.of(baseline(Mode.Deny, s -> { }));

        // Rule 1 exemptions and their limits.
        cases.add(new Case("Vigil writes a Secret", manifest("secret-from-sealedsecret.yaml"), null, VIGIL, deny, "allow"));
        cases.add(new Case("label-exempt Secret", manifest("secret-exempt-label.yaml"), null, ALICE, deny, "allow"));
        cases.add(new Case("service-account token", manifest("secret-service-account-token.yaml"), null, ALICE, deny, "allow"));
        cases.add(new Case("token controller fills a token", edit(manifest("secret-service-account-token.yaml"),
                m -> m.put("data", Map.of("token", "ZXlK", "ca.crt", "LS0t", "namespace", "c2hvcA=="))),
                manifest("secret-service-account-token.yaml"), "system:serviceaccount:kube-system:token-controller", deny,
                "allow"));
        cases.add(new Case("attack: data smuggled in a service-account token", edit(manifest("secret-service-account-token.yaml"),
                m -> m.put("data", Map.of("password", "aHVudGVyMg=="))), null, ALICE, deny, "deny:secrets-from-git"));
        cases.add(new Case("Helm release record", manifest("secret-helm-release.yaml"), null, ALICE, deny, "allow"));
        cases.add(new Case("attack: Helm release type under another name", edit(manifest("secret-helm-release.yaml"),
                m -> meta(m).put("name", "db-credentials")), null, ALICE, deny, "deny:secrets-from-git"));
        cases.add(new Case("attack: Helm release record with extra keys", edit(manifest("secret-helm-release.yaml"),
                m -> m.put("data", Map.of("release", "SDRz", "password", "aHVudGVyMg=="))), null, ALICE, deny,
                "deny:secrets-from-git"));
        cases.add(new Case("cert-manager writes its TLS Secret", manifest("secret-cert-manager.yaml"), null, CERT_MANAGER, deny,
                "allow"));
        cases.add(new Case("attack: cert-manager's annotation on a user's Secret", manifest("secret-cert-manager.yaml"), null,
                ALICE, deny, "deny:secrets-from-git"));
        cases.add(new Case("metadata-only update of Vigil's Secret by a user", edit(manifest("secret-from-sealedsecret.yaml"),
                m -> labels(m).put("team", "shop")), manifest("secret-from-sealedsecret.yaml"), ALICE, deny, "allow"));
        cases.add(new Case("garbage collector orphans a Secret", edit(manifest("secret-from-sealedsecret.yaml"),
                m -> meta(m).remove("ownerReferences")), manifest("secret-from-sealedsecret.yaml"),
                "system:serviceaccount:kube-system:generic-garbage-collector", deny, "allow"));
        cases.add(new Case("attack: Secret type changed by a user", edit(manifest("secret-from-sealedsecret.yaml"),
                m -> m.put("type", "kubernetes.io/basic-auth")), manifest("secret-from-sealedsecret.yaml"), ALICE, deny,
                "deny:secrets-from-git"));
        cases.add(new Case("secrets: Any lets users write Secrets", manifest("secret-by-hand.yaml"), null, ALICE,
                List.of(baseline(Mode.Deny, s -> enforcement(s).put("secrets", "Any"))), "allow"));
        cases.add(new Case("no secrets policy means Any", manifest("secret-by-hand.yaml"), null, ALICE,
                List.of(baseline(Mode.Deny, s -> enforcement(s).remove("secrets"))), "allow"));
        cases.add(new Case("attack: empty exemptSecrets selector exempts nothing", manifest("secret-by-hand.yaml"), null, ALICE,
                List.of(baseline(Mode.Deny, s -> enforcement(s).put("exemptSecrets", new LinkedHashMap<>()))),
                "deny:secrets-from-git"));
        cases.add(new Case("exemptSecrets by expression", manifest("secret-by-hand.yaml"), null, ALICE,
                List.of(baseline(Mode.Deny, s -> enforcement(s).put("exemptSecrets", Map.of("matchExpressions",
                        List.of(Map.of("key", "vigil.dev/exempt", "operator", "DoesNotExist")))))), "allow"));
        cases.add(new Case("exemptSecrets expression not met", manifest("secret-exempt-label.yaml"), null, ALICE,
                List.of(baseline(Mode.Deny, s -> enforcement(s).put("exemptSecrets", Map.of("matchExpressions",
                        List.of(Map.of("key", "vigil.dev/exempt", "operator", "NotIn", "values", List.of("true"))))))),
                "deny:secrets-from-git"));

        // Rule 2 details.
        cases.add(new Case("every host has TLS", manifest("ingress-tls.yaml"), null, ALICE, deny, "allow"));
        cases.add(new Case("wildcard TLS host covers one label", manifest("ingress-wildcard.yaml"), null, ALICE, deny, "allow"));
        cases.add(new Case("wildcard TLS host does not cover two labels", edit(manifest("ingress-wildcard.yaml"),
                m -> rules(m).get(0).put("host", "eu.acme.tenants.example.com")), null, ALICE, deny, "deny:tls-for-every-host"));
        cases.add(new Case("wildcard TLS host does not cover its apex", edit(manifest("ingress-wildcard.yaml"),
                m -> rules(m).get(0).put("host", "tenants.example.com")), null, ALICE, deny, "deny:tls-for-every-host"));
        cases.add(new Case("TLS hosts compared without ASCII case", edit(manifest("ingress-tls.yaml"),
                m -> tls(m).get(0).put("hosts", List.of("SHOP.example.com", "Www.Shop.Example.Com"))), null, ALICE, deny, "allow"));
        cases.add(new Case("rule without host needs a TLS entry without hosts", edit(manifest("ingress-tls.yaml"),
                m -> rules(m).get(0).remove("host")), null, ALICE, deny, "deny:tls-for-every-host"));
        cases.add(new Case("rule without host and a TLS entry without hosts", edit(manifest("ingress-tls.yaml"), m -> {
            rules(m).get(0).remove("host");
            tls(m).add(new LinkedHashMap<>(Map.of("secretName", "default-tls")));
        }), null, ALICE, deny, "allow"));
        cases.add(new Case("defaultBackend without TLS", edit(manifest("ingress-tls.yaml"),
                m -> spec(m).put("defaultBackend", Map.of("service", Map.of("name", "storefront", "port", Map.of("number", 80))))),
                null, ALICE, deny, "deny:tls-for-every-host"));
        cases.add(new Case("no TLS at all", edit(manifest("ingress-tls.yaml"), m -> spec(m).remove("tls")), null, ALICE, deny,
                "deny:tls-for-every-host"));
        cases.add(new Case("Ingress the baseline does not cover", edit(manifest("ingress-admin-without-tls.yaml"),
                m -> labels(m).put("tier", "internal")), null, ALICE, deny, "allow"));
        cases.add(new Case("baseline without selector covers no Ingress", manifest("ingress-admin-without-tls.yaml"), null, ALICE,
                List.of(baseline(Mode.Deny, s -> s.remove("selector"))), "allow"));
        cases.add(new Case("selector by expression covers the Ingress", manifest("ingress-admin-without-tls.yaml"), null, ALICE,
                List.of(baseline(Mode.Deny, s -> s.put("selector", Map.of("matchExpressions",
                        List.of(Map.of("key", "tier", "operator", "In", "values", List.of("web", "api"))))))),
                "deny:tls-for-every-host"));
        cases.add(new Case("active https exception lets its host through", edit(manifest("ingress-admin-without-tls.yaml"),
                m -> rules(m).get(1).put("host", "legacy.shop.example")), null, ALICE, deny, "allow"));
        cases.add(new Case("expired https exception does not", edit(manifest("ingress-admin-without-tls.yaml"),
                m -> rules(m).get(1).put("host", "old.shop.example")), null, ALICE, deny, "deny:tls-for-every-host"));
        cases.add(new Case("exception for another control does not", edit(manifest("ingress-admin-without-tls.yaml"),
                m -> rules(m).get(1).put("host", "legacy.shop.example")), null, ALICE,
                List.of(baseline(Mode.Deny, s -> exceptions(s).get(0).put("control", "redirection"))), "deny:tls-for-every-host"));
        cases.add(new Case("wildcard exception covers any depth", edit(manifest("ingress-admin-without-tls.yaml"),
                m -> rules(m).get(1).put("host", "a.b.legacy.shop.example")), null, ALICE,
                List.of(baseline(Mode.Deny, s -> exceptions(s).get(0).put("hosts", List.of("*.legacy.shop.example")))), "allow"));
        cases.add(new Case("cert-manager's HTTP-01 solver", edit(manifest("ingress-acme-solver.yaml"), m -> labels(m).put("tier", "web")),
                null, CERT_MANAGER, deny, "allow"));
        cases.add(new Case("attack: solver label on a user's Ingress", edit(manifest("ingress-acme-solver.yaml"),
                m -> labels(m).put("tier", "web")), null, ALICE, deny, "deny:tls-for-every-host"));

        // Rule 3 details.
        for (String off : List.of("0", "f", "F", "FALSE", "False")) {
            cases.add(new Case("attack: ssl-redirect spelled " + off, edit(manifest("ingress-ssl-redirect-off.yaml"),
                    m -> annotations(m).put("nginx.ingress.kubernetes.io/ssl-redirect", off)), null, ALICE, deny,
                    "deny:no-downgrade-switches"));
        }
        cases.add(new Case("ssl-redirect true", edit(manifest("ingress-ssl-redirect-off.yaml"),
                m -> annotations(m).put("nginx.ingress.kubernetes.io/ssl-redirect", "true")), null, ALICE, deny, "allow"));
        cases.add(new Case("unparsable ssl-redirect keeps the default", edit(manifest("ingress-ssl-redirect-off.yaml"),
                m -> annotations(m).put("nginx.ingress.kubernetes.io/ssl-redirect", "no")), null, ALICE, deny, "allow"));
        cases.add(new Case("force-ssl-redirect off", edit(manifest("ingress-ssl-redirect-off.yaml"), m -> {
            annotations(m).clear();
            annotations(m).put("nginx.ingress.kubernetes.io/force-ssl-redirect", "false");
        }), null, ALICE, deny, "deny:no-downgrade-switches"));
        cases.add(new Case("permanent redirect to http://", edit(manifest("ingress-ssl-redirect-off.yaml"), m -> {
            annotations(m).clear();
            annotations(m).put("nginx.ingress.kubernetes.io/permanent-redirect", " HTTP://checkout.shop.example.com/");
        }), null, ALICE, deny, "deny:no-downgrade-switches"));
        cases.add(new Case("temporal redirect to http://", edit(manifest("ingress-ssl-redirect-off.yaml"), m -> {
            annotations(m).clear();
            annotations(m).put("nginx.ingress.kubernetes.io/temporal-redirect", "http://example.com/");
        }), null, ALICE, deny, "deny:no-downgrade-switches"));
        cases.add(new Case("permanent redirect to https://", edit(manifest("ingress-ssl-redirect-off.yaml"), m -> {
            annotations(m).clear();
            annotations(m).put("nginx.ingress.kubernetes.io/permanent-redirect", "https://shop.example.com/");
        }), null, ALICE, deny, "allow"));
        cases.add(new Case("active redirection exception on every host", manifest("ingress-ssl-redirect-off.yaml"), null, ALICE,
                List.of(baseline(Mode.Deny, s -> exceptions(s).add(exception("checkout.shop.example.com", "redirection", "2099-01-01")))),
                "allow"));
        cases.add(new Case("expired redirection exception", manifest("ingress-ssl-redirect-off.yaml"), null, ALICE,
                List.of(baseline(Mode.Deny, s -> exceptions(s).add(exception("checkout.shop.example.com", "redirection", "2026-11-22")))),
                "deny:no-downgrade-switches"));
        cases.add(new Case("redirection exception missing a host", edit(manifest("ingress-ssl-redirect-off.yaml"),
                m -> {
                    rules(m).add(new LinkedHashMap<>(Map.of("host", "pay.shop.example.com")));
                    tls(m).get(0).put("hosts", List.of("checkout.shop.example.com", "pay.shop.example.com"));
                }), null, ALICE,
                List.of(baseline(Mode.Deny, s -> exceptions(s).add(exception("checkout.shop.example.com", "redirection", "2099-01-01")))),
                "deny:no-downgrade-switches"));

        // Baselines and namespaces.
        for (String file : List.of("secret-by-hand.yaml", "ingress-admin-without-tls.yaml", "ingress-ssl-redirect-off.yaml")) {
            cases.add(new Case("no baseline in the namespace: " + file, manifest(file), null, ALICE, List.of(), "allow"));
            cases.add(new Case("a baseline in another namespace: " + file, manifest(file), null, ALICE,
                    List.of(baseline(Mode.Deny, s -> { }, "payments")), "allow"));
        }
        cases.add(new Case("attack: a tenant's own Audit baseline beside the platform's Deny", manifest("secret-by-hand.yaml"), null,
                ALICE, List.of(baseline(Mode.Audit, s -> { }, "shop", "tenant-relaxed"), baseline(Mode.Deny, s -> { })),
                "deny:secrets-from-git"));
        cases.add(new Case("baseline without spec.enforcement is not enforced", manifest("ingress-admin-without-tls.yaml"), null,
                ALICE, List.of(baseline(Mode.Deny, s -> s.remove("enforcement"))), "allow"));
        cases.add(new Case("enforcement without mode: Audit", manifest("ingress-admin-without-tls.yaml"), null, ALICE,
                List.of(baseline(Mode.Deny, s -> enforcement(s).remove("mode"))), "audit:tls-for-every-host"));
        return cases.stream();
    }

    static Map<String, Object> baseline(Mode mode, Consumer<Map<String, Object>> specEdit) {
        return baseline(mode, specEdit, "shop");
    }

    static Map<String, Object> baseline(Mode mode, Consumer<Map<String, Object>> specEdit, String namespace) {
        return baseline(mode, specEdit, namespace, "web");
    }

    /**
     * The fixture baseline in a mode, edited, with the status the operator would publish at {@link #NOW}
     * (through the same {@link ActiveExceptions} function).
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> baseline(Mode mode, Consumer<Map<String, Object>> specEdit, String namespace, String name) {
        Map<String, Object> baseline = manifest("baseline-deny.yaml");
        meta(baseline).put("namespace", namespace);
        meta(baseline).put("name", name);
        Map<String, Object> spec = spec(baseline);
        enforcement(spec).put("mode", mode.name());
        specEdit.accept(spec);
        List<AcceptedRisk> risks = new ArrayList<>();
        for (Map<String, Object> e : (List<Map<String, Object>>) spec.getOrDefault("exceptions", List.of())) {
            risks.add(new AcceptedRisk((List<String>) e.get("hosts"), (String) e.get("control"), (String) e.get("reason"),
                    (String) e.get("owner"), expiry((String) e.get("expires"))));
        }
        List<Map<String, Object>> active = new ArrayList<>();
        for (ActiveException a : ActiveExceptions.at(risks, NOW).active()) {
            active.add(Map.of("hosts", a.hosts(), "control", a.control(), "expires", a.expires()));
        }
        baseline.put("status", Map.of("enforcement", Map.of("activeExceptions", active)));
        return baseline;
    }

    static Instant expiry(String text) {
        return text.length() == 10 ? LocalDate.parse(text).plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC)
                : OffsetDateTime.parse(text).toInstant();
    }

    static Map<String, Object> exception(String host, String control, String expires) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("hosts", List.of(host));
        e.put("control", control);
        e.put("reason", "accepted while the redirect is reworked");
        e.put("owner", "team-shop");
        e.put("expires", expires);
        return e;
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> manifest(String file) {
        try (InputStream in = AdmissionCases.class.getResourceAsStream("/admission/manifests/" + file)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + file);
            }
            return (Map<String, Object>) new Yaml(new SafeConstructor(new LoaderOptions()))
                    .load(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Map<String, Object> edit(Map<String, Object> manifest, Consumer<Map<String, Object>> change) {
        change.accept(manifest);
        return manifest;
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> meta(Map<String, Object> m) {
        return (Map<String, Object>) m.get("metadata");
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> spec(Map<String, Object> m) {
        return (Map<String, Object>) m.get("spec");
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> labels(Map<String, Object> m) {
        return (Map<String, Object>) meta(m).computeIfAbsent("labels", k -> new LinkedHashMap<>());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> annotations(Map<String, Object> m) {
        return (Map<String, Object>) meta(m).computeIfAbsent("annotations", k -> new LinkedHashMap<>());
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> rules(Map<String, Object> m) {
        return (List<Map<String, Object>>) spec(m).get("rules");
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> tls(Map<String, Object> m) {
        return (List<Map<String, Object>>) spec(m).get("tls");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> enforcement(Map<String, Object> spec) {
        return (Map<String, Object>) spec.computeIfAbsent("enforcement", k -> new LinkedHashMap<>());
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> exceptions(Map<String, Object> spec) {
        return (List<Map<String, Object>>) spec.get("exceptions");
    }
}
