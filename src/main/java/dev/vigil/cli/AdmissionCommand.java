package dev.vigil.cli;

import dev.vigil.admission.AdmissionRequest;
import dev.vigil.admission.Install;
import dev.vigil.admission.PolicyEvaluator;
import dev.vigil.admission.Verdict;
import dev.vigil.baseline.AdmissionParams;
import dev.vigil.baseline.SecurityBaseline;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * {@code admission check --baseline FILE [--user NAME] MANIFEST...}: what the shipped admission policies
 * would say about applying the manifests in a namespace governed by the baseline(s) — the same evaluator
 * the tests and the operator's background audit use. Exit 1 when anything would be denied.
 */
final class AdmissionCommand implements Command {

    static final String DEFAULT_USER = "kubernetes-admin";
    static final long MAX_MANIFEST_BYTES = 8L << 20;

    private final Clock clock;

    AdmissionCommand() {
        this(Clock.systemUTC());
    }

    AdmissionCommand(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String name() {
        return "admission";
    }

    @Override
    public String usage() {
        return "admission check --baseline FILE... [--user NAME] [--namespace NS] [--vigil-service-account NS/NAME] "
                + "[--cert-manager-user NAME] MANIFEST...";
    }

    @Override
    public String summary() {
        return "evaluate Vigil's admission policies on manifests before they are applied (allow, audit, warn or deny)";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.repeatable("--baseline", "FILE", "a SecurityBaseline manifest (its namespace's policy parameters)"),
                Option.valued("--user", "NAME", "the user the request comes from (default a person, not Vigil)"),
                Option.valued("--namespace", "NS", "namespace of manifests that name none"),
                Option.valued("--vigil-service-account", "NS/NAME", "Vigil's ServiceAccount (default vigil-system/vigil)"),
                Option.valued("--cert-manager-user", "NAME", "cert-manager's username (its Secrets are exempt)"));
    }

    @Override
    public String details() {
        return "Example: vigil admission check --baseline web.yaml manifests/*.yaml\n"
                + "Exit codes: 0 nothing denied; 1 something denied or a manifest is invalid; 2 usage error.";
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) {
        Args args;
        try {
            if (argv.isEmpty() || !argv.get(0).equals("check")) {
                throw new Args.UsageException("the only admission command is check");
            }
            args = Args.parse(argv.subList(1, argv.size()), options());
            if (args.all("--baseline").isEmpty() || args.positionals.isEmpty()) {
                throw new Args.UsageException("give at least one --baseline and one manifest");
            }
        } catch (Args.UsageException e) {
            err.println("usage: vigil " + usage());
            err.println(e.getMessage());
            return EXIT_USAGE;
        }
        Install install;
        List<Map<String, Object>> baselines = new ArrayList<>();
        try {
            String[] sa = (args.one("--vigil-service-account") == null ? "vigil-system/vigil" : args.one("--vigil-service-account"))
                    .split("/", 2);
            if (sa.length != 2) {
                throw new IllegalArgumentException("--vigil-service-account takes NAMESPACE/NAME");
            }
            install = new Install("vigil", Install.serviceAccountUsername(sa[0], sa[1]),
                    args.one("--cert-manager-user") == null ? Install.DEFAULT_CERT_MANAGER_USERNAME : args.one("--cert-manager-user"));
            for (String file : args.all("--baseline")) {
                SecurityBaseline baseline = Serialization.unmarshal(read(Path.of(file)), SecurityBaseline.class);
                if (baseline == null || baseline.getMetadata() == null || baseline.getMetadata().getNamespace() == null) {
                    throw new IllegalArgumentException(file + ": a SecurityBaseline with metadata.namespace");
                }
                baselines.add(AdmissionParams.of(baseline, clock.instant()));
            }
        } catch (IOException | RuntimeException e) {
            err.println("error: " + e.getMessage());
            return EXIT_USAGE;
        }
        String user = args.one("--user") == null ? DEFAULT_USER : args.one("--user");
        String namespace = args.one("--namespace") != null ? args.one("--namespace")
                : (String) ((Map<?, ?>) baselines.get(0).get("metadata")).get("namespace");
        PolicyEvaluator evaluator = PolicyEvaluator.shipped(install);
        boolean denied = false;
        boolean broken = false;
        for (String file : args.positionals) {
            List<Map<String, Object>> objects;
            try {
                objects = objects(read(file.equals("-") ? null : Path.of(file)));
            } catch (IOException | RuntimeException e) {
                err.println("error: " + file + ": " + e.getMessage());
                broken = true;
                continue;
            }
            for (Map<String, Object> object : objects) {
                AdmissionRequest request = AdmissionRequest.of(object, null, user, namespace);
                String invalid = invalid(object);
                if (invalid != null) {
                    out.println(request.describe() + ": error: " + invalid);
                    broken = true;
                    continue;
                }
                Verdict verdict = evaluator.evaluate(request, baselines, null);
                denied |= verdict.denied();
                out.println(request.describe() + ": " + verdict.summary());
            }
        }
        return denied || broken ? EXIT_FAILURE : EXIT_OK;
    }

    private static String read(Path path) throws IOException {
        if (path == null) {
            return new String(System.in.readNBytes((int) MAX_MANIFEST_BYTES), StandardCharsets.UTF_8);
        }
        if (Files.size(path) > MAX_MANIFEST_BYTES) {
            throw new IOException(path + " is larger than " + (MAX_MANIFEST_BYTES >> 20) + " MiB");
        }
        return Files.readString(path);
    }

    /** Every object of a multi-document YAML (or JSON) file; {@code kind: List} is expanded. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> objects(String text) {
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(text)) {
            if (doc == null) {
                continue;
            }
            if (!(doc instanceof Map<?, ?> map)) {
                throw new IllegalArgumentException("a document is not a Kubernetes object");
            }
            if ("List".equals(map.get("kind")) && map.get("items") instanceof List<?> items) {
                for (Object item : items) {
                    if (item instanceof Map<?, ?> m) {
                        objects.add((Map<String, Object>) m);
                    }
                }
            } else {
                objects.add((Map<String, Object>) map);
            }
        }
        return objects;
    }

    /** What the API server would refuse before any policy runs, where it would change the policies' answer. */
    static String invalid(Map<String, Object> object) {
        if (!(object.get("metadata") instanceof Map<?, ?> metadata)) {
            return "no metadata";
        }
        for (String field : List.of("labels", "annotations")) {
            if (metadata.get(field) instanceof Map<?, ?> map) {
                for (var e : map.entrySet()) {
                    if (!(e.getValue() instanceof String)) {
                        return "metadata." + field + "." + e.getKey() + " must be a string (quote it)";
                    }
                }
            }
        }
        return null;
    }
}
