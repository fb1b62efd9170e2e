package dev.vigil.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vigil.baseline.SecurityBaseline;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code report}: a SecurityBaseline's state as a Markdown checklist a team pastes into an issue (or JSON for
 * machines), from the live cluster of the current kube context ({@code --namespace/--name}) or from a saved object
 * ({@code kubectl get securitybaseline web -o yaml | vigil report -}). Reads only: nothing is probed again.
 */
final class ReportCommand implements Command {

    /** A saved object larger than this is refused: a baseline's status is bounded far below it. */
    static final int MAX_INPUT = 8 * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    private final InputStream stdin;

    ReportCommand() {
        this(System.in);
    }

    ReportCommand(InputStream stdin) {
        this.stdin = stdin;
    }

    @Override
    public String name() {
        return "report";
    }

    @Override
    public String usage() {
        return "report (FILE|- | --name NAME [--namespace NS] [--kubeconfig FILE]) [--format markdown|json]";
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) {
        Args args;
        List<SecurityBaseline> baselines;
        String format;
        try {
            args = Args.parse(argv, Set.of("--name", "--namespace", "--kubeconfig", "--format"), Set.of());
            format = args.one("--format") == null ? "markdown" : args.one("--format");
            if (!format.equals("markdown") && !format.equals("json")) {
                throw new Args.UsageException("--format must be markdown or json");
            }
            if (args.positionals.size() > 1 || (args.positionals.isEmpty() == (args.one("--name") == null))) {
                throw new Args.UsageException("give a file (- for standard input) or --name, not both");
            }
            baselines = args.positionals.isEmpty() ? List.of(live(args)) : saved(args.positionals.get(0));
        } catch (Args.UsageException e) {
            err.println("usage error: " + e.getMessage());
            err.println("usage: vigil " + usage());
            return EXIT_USAGE;
        } catch (IOException | KubernetesClientException e) {
            err.println("error: " + e.getMessage());
            return EXIT_FAILURE;
        }
        List<Checklist> lists = baselines.stream().map(Checklist::of).toList();
        if (format.equals("json")) {
            try {
                out.println(JSON.writeValueAsString(lists.size() == 1 ? lists.get(0) : lists));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        } else {
            out.print(String.join("\n", lists.stream().map(Checklist::markdown).toList()));
        }
        return EXIT_OK;
    }

    private SecurityBaseline live(Args args) throws Args.UsageException, IOException {
        Config config;
        if (args.one("--kubeconfig") != null) {
            Path file = Path.of(args.one("--kubeconfig"));
            config = Config.fromKubeconfig(null, Files.readString(file), file.toString());
        } else {
            config = Config.autoConfigure(null);
        }
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
            String namespace = args.one("--namespace") != null ? args.one("--namespace")
                    : client.getNamespace() != null ? client.getNamespace() : "default";
            SecurityBaseline baseline = client.resources(SecurityBaseline.class).inNamespace(namespace).withName(args.one("--name")).get();
            if (baseline == null) {
                throw new IOException("no SecurityBaseline " + namespace + "/" + args.one("--name") + " in " + config.getMasterUrl());
            }
            return baseline;
        }
    }

    /** One object, or every SecurityBaseline of a List ({@code kubectl get securitybaselines -o yaml}). */
    private List<SecurityBaseline> saved(String source) throws Args.UsageException, IOException {
        byte[] bytes;
        try (InputStream in = source.equals("-") ? stdin : Files.newInputStream(Path.of(source))) {
            bytes = in.readNBytes(MAX_INPUT + 1);
        }
        if (bytes.length > MAX_INPUT) {
            throw new Args.UsageException(source + " is larger than " + MAX_INPUT / (1024 * 1024) + " MiB");
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        Object parsed;
        try {
            parsed = Serialization.unmarshal(text, Map.class);
        } catch (RuntimeException e) {
            throw new Args.UsageException(source + " is not YAML or JSON");
        }
        List<SecurityBaseline> out = new ArrayList<>();
        if (parsed instanceof Map<?, ?> map && "List".equals(map.get("kind")) && map.get("items") instanceof List<?> items) {
            for (Object item : items) {
                if (item instanceof Map<?, ?> m && "SecurityBaseline".equals(m.get("kind"))) {
                    out.add(Serialization.jsonMapper().convertValue(m, SecurityBaseline.class));
                }
            }
        } else if (parsed instanceof Map<?, ?> map && "SecurityBaseline".equals(map.get("kind"))) {
            out.add(Serialization.jsonMapper().convertValue(map, SecurityBaseline.class));
        }
        if (out.isEmpty()) {
            throw new Args.UsageException(source + " holds no SecurityBaseline");
        }
        return out;
    }
}
