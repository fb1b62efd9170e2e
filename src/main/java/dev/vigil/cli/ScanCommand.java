package dev.vigil.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vigil.grade.Grade;
import dev.vigil.grade.observatory.HstsPreloadList;
import dev.vigil.grade.observatory.Observatory;
import dev.vigil.grade.observatory.ObservatoryAlgorithm;
import dev.vigil.grade.observatory.ObservatoryResult;
import dev.vigil.grade.observatory.TestResult;
import dev.vigil.grade.tls.Guidelines;
import dev.vigil.grade.tls.MozillaEvaluation;
import dev.vigil.grade.tls.MozillaEvaluator;
import dev.vigil.probe.Trust;
import dev.vigil.probe.tls.TlsScanResult;
import dev.vigil.probe.tls.TlsScanner;
import dev.vigil.probe.tls.TlsTarget;
import dev.vigil.probe.http.HttpFindings;
import dev.vigil.probe.http.HttpProber;
import dev.vigil.probe.http.HttpTarget;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code scan https://host[:port][/path]}: the HTTP Observatory's report for one site, from
 * wherever the command runs (inside the cluster too).
 */
final class ScanCommand implements Command {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Override
    public String name() {
        return "scan";
    }

    @Override
    public String usage() {
        return "scan URL [--connect-to ADDR:PORT] [--http-port P] [--ca FILE]... [--hsts-preload FILE] "
                + "[--algorithm " + ObservatoryAlgorithm.choices() + "] [--min-grade G] [--guidelines 5.7|5.8|6.0] [--tls-level L] [--tls-only] [--json]";
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) {
        Args args;
        HttpTarget target;
        ObservatoryAlgorithm algorithm;
        Optional<Grade> minimum;
        List<X509Certificate> cas = new ArrayList<>();
        HstsPreloadList preload = HstsPreloadList.empty();
        try {
            args = Args.parse(argv, Set.of("--connect-to", "--http-port", "--ca", "--hsts-preload", "--algorithm", "--min-grade",
                    "--guidelines", "--tls-level"), Set.of("--json", "--tls-only"));
            String guidelines = Optional.ofNullable(args.one("--guidelines")).orElse(Guidelines.DEFAULT_VERSION);
            if (!Guidelines.VERSIONS.contains(guidelines)) {
                throw new Args.UsageException("--guidelines must be one of " + Guidelines.VERSIONS);
            }
            if (args.positionals.size() != 1) {
                throw new Args.UsageException("expected exactly one URL");
            }
            target = target(args);
            algorithm = ObservatoryAlgorithm.of(Integer.parseInt(Optional.ofNullable(args.one("--algorithm")).orElse("4")));
            minimum = args.one("--min-grade") == null ? Optional.empty() : Optional.of(Grade.parse(args.one("--min-grade"))
                    .orElseThrow(() -> new Args.UsageException("unknown grade " + args.one("--min-grade"))));
            for (String ca : args.all("--ca")) {
                cas.addAll(Trust.readPem(Path.of(ca)));
            }
            if (args.one("--hsts-preload") != null) {
                preload = HstsPreloadList.load(Path.of(args.one("--hsts-preload")));
            }
        } catch (Args.UsageException | IllegalArgumentException | IOException e) {
            err.println("usage error: " + e.getMessage());
            err.println("usage: vigil " + usage());
            return EXIT_USAGE;
        }
        String guidelines = Optional.ofNullable(args.one("--guidelines")).orElse(Guidelines.DEFAULT_VERSION);
        String targetLevel = Optional.ofNullable(args.one("--tls-level")).orElse("intermediate");
        TlsScanResult tls = new TlsScanner(TlsScanner.Config.defaults().withExtraCas(cas)).scan(new TlsTarget(target.host(),
                target.httpsConnectPort(), target.connectTo()));
        MozillaEvaluation mozilla = MozillaEvaluator.evaluate(tls, guidelines);
        if (args.flag("--tls-only")) {
            if (args.flag("--json")) {
                out.println(write(Map.of("tls", TlsSection.json(tls, mozilla))));
            } else {
                out.print(TlsSection.text(tls, mozilla, targetLevel));
            }
            return EXIT_OK;
        }
        HttpFindings findings;
        try (HttpProber prober = new HttpProber(HttpProber.Config.defaults().withExtraCas(cas))) {
            findings = prober.probe(target, Duration.ofSeconds(30));
        }
        ObservatoryResult result = Observatory.grade(findings, algorithm, preload);
        if (args.flag("--json")) {
            Map<String, Object> doc = document(result);
            doc.put("tls", TlsSection.json(tls, mozilla));
            out.println(write(doc));
        } else {
            out.print(text(target, findings, result));
            out.print(TlsSection.text(tls, mozilla, targetLevel));
        }
        boolean below = minimum.isPresent() && result.grade().map(g -> g.below(minimum.get())).orElse(true);
        return below ? EXIT_FAILURE : EXIT_OK;
    }

    static HttpTarget target(Args args) throws Args.UsageException {
        URI uri;
        try {
            uri = URI.create(args.positionals.get(0));
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException("not a URL: " + args.positionals.get(0));
        }
        if (uri.getHost() == null || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
            throw new Args.UsageException("expected https://host[:port][/path]");
        }
        int httpsPort = "https".equals(uri.getScheme()) && uri.getPort() > 0 ? uri.getPort() : 443;
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        Optional<InetAddress> connectTo = Optional.empty();
        int httpsConnectPort = httpsPort;
        if (args.one("--connect-to") != null) {
            String value = args.one("--connect-to");
            int colon = value.lastIndexOf(':');
            try {
                connectTo = Optional.of(InetAddress.getByName(colon > 0 ? value.substring(0, colon).replace("[", "").replace("]", "") : value));
                if (colon > 0) {
                    httpsConnectPort = Integer.parseInt(value.substring(colon + 1));
                }
            } catch (IOException | NumberFormatException e) {
                throw new Args.UsageException("--connect-to needs ADDR:PORT");
            }
        }
        int httpConnectPort = args.one("--http-port") == null ? 80 : Integer.parseInt(args.one("--http-port"));
        return new HttpTarget(uri.getHost(), httpsPort, path, connectTo, httpsConnectPort, httpConnectPort);
    }

    static Map<String, Object> document(ObservatoryResult result) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("grade", result.grade().map(Grade::letter).orElse(null));
        doc.put("score", result.score().orElse(null));
        result.error().ifPresent(e -> doc.put("error", e));
        Map<String, Object> tests = new LinkedHashMap<>();
        for (TestResult t : result.tests().values()) {
            Map<String, Object> test = new LinkedHashMap<>();
            test.put("result", t.result());
            test.put("scoreModifier", t.scoreModifier());
            test.put("pass", t.pass());
            if (!t.pass()) {
                test.put("remediation", t.remediation());
            }
            tests.put(t.name(), test);
        }
        doc.put("tests", tests);
        return doc;
    }

    static String write(Object doc) {
        try {
            return JSON.writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String text(HttpTarget target, HttpFindings findings, ObservatoryResult result) {
        StringBuilder out = new StringBuilder();
        out.append("Host:  ").append(target.host()).append('\n');
        out.append("Score: ").append(result.score().map(String::valueOf).orElse("-")).append('\n');
        out.append("Grade: ").append(result.grade().map(Grade::letter).orElse("none"))
                .append(result.error().map(e -> "  (" + e + ")").orElse("")).append('\n');
        out.append("Tests passed: ").append(result.testsPassed()).append('/').append(result.tests().size()).append("\n\n");
        for (TestResult t : result.tests().values()) {
            out.append(String.format("  %-31s %-64s %4s  %s%n", t.name(), t.result(),
                    t.scoreModifier() > 0 ? "+" + t.scoreModifier() : String.valueOf(t.scoreModifier()), t.pass() ? "pass" : "FAIL"));
        }
        List<TestResult> failing = result.tests().values().stream().filter(t -> !t.pass()).toList();
        if (!failing.isEmpty()) {
            out.append("\nTo fix:\n");
            failing.forEach(t -> out.append("  ").append(t.name()).append(": ").append(t.remediation()).append('\n'));
        }
        if (!findings.errors().isEmpty()) {
            out.append("\nProbe notes:\n");
            findings.errors().forEach(e -> out.append("  ").append(e).append('\n'));
        }
        return out.toString();
    }
}
