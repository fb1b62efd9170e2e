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
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
        return "scan URL [--connect-to ADDR[:PORT]] [--http-port P] [--ca FILE]... [--hsts-preload FILE] "
                + "[--algorithm 4|6] [--min-grade G] [--guidelines 5.7|5.8|6.0] [--tls-level L] [--tls-only] [--json]";
    }

    @Override
    public String summary() {
        return "grade one site the way MDN's HTTP Observatory does, and report its TLS set-up against Mozilla's levels";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.valued("--connect-to", "ADDR[:PORT]", "connect to this address (and HTTPS port) instead of resolving the host; SNI and Host stay the URL's"),
                Option.valued("--http-port", "P", "with --connect-to: the port plain http:// goes to (default: the URL's http port)"),
                Option.repeatable("--ca", "FILE", "PEM certificates trusted on top of the system store"),
                Option.valued("--hsts-preload", "FILE", "Chromium's transport_security_state_static.json for the preload checks"),
                Option.valued("--algorithm", "4|6", "Observatory scoring algorithm: 4 = npm 1.4.8 (default), 6 = the current one"),
                Option.valued("--min-grade", "G", "exit 1 when the grade is below G (A+ … F)"),
                Option.valued("--guidelines", "5.7|5.8|6.0", "Mozilla TLS guidelines version (default " + Guidelines.DEFAULT_VERSION + ")"),
                Option.valued("--tls-level", "L", "modern, intermediate (default) or old: the level the TLS advice aims at"),
                Option.flag("--tls-only", "enumerate TLS only, no HTTP probe"),
                Option.flag("--json", "print the report as JSON"));
    }

    @Override
    public String details() {
        return """
                URL is https://host[:port][/path] or http://host[:port][/path]: the URL's scheme is probed on the URL's
                port, the other scheme on its default port (443 for https, 80 for http). A site that answers neither is
                reported as down, with no test results (as MDN's Observatory does), and the command exits 1.
                Examples:
                  vigil scan https://shop.example.com/
                  vigil scan http://localhost:8080/
                  vigil scan https://shop.internal/ --connect-to 10.0.0.7:443 --ca corp-ca.pem --min-grade B --json
                Exit codes: 0 graded (and at least --min-grade); 1 below --min-grade, or the site is down; 2 usage error.""";
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) throws Args.UsageException {
        Args args = Args.parse(argv, options());
        HttpTarget target;
        ObservatoryAlgorithm algorithm;
        Optional<Grade> minimum;
        List<X509Certificate> cas = new ArrayList<>();
        HstsPreloadList preload = HstsPreloadList.empty();
        try {
            String guidelines = Optional.ofNullable(args.one("--guidelines")).orElse(Guidelines.DEFAULT_VERSION);
            if (!Guidelines.VERSIONS.contains(guidelines)) {
                throw new Args.UsageException("--guidelines must be one of " + Guidelines.VERSIONS);
            }
            if (args.positionals.size() != 1) {
                throw new Args.UsageException(args.positionals.isEmpty() ? "missing URL" : "expected one URL, got " + args.positionals.size());
            }
            target = target(args);
            algorithm = ObservatoryAlgorithm.of(integer(args, "--algorithm", "4|6", 4));
            minimum = args.one("--min-grade") == null ? Optional.empty() : Optional.of(Grade.parse(args.one("--min-grade"))
                    .orElseThrow(() -> new Args.UsageException("unknown grade " + args.one("--min-grade"))));
            for (String ca : args.all("--ca")) {
                cas.addAll(Trust.readPem(Path.of(ca)));
            }
            if (args.one("--hsts-preload") != null) {
                preload = HstsPreloadList.load(Path.of(args.one("--hsts-preload")));
            }
        } catch (IllegalArgumentException | IOException e) {
            throw new Args.UsageException(e.getMessage());
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
        if (findings.http().isEmpty() && findings.https().isEmpty()) {
            out.print(args.flag("--json") ? write(down(target, findings, result, tls, mozilla)) + "\n" : down(target, findings, result)
                    + (tls.tlsAvailable() ? TlsSection.text(tls, mozilla, targetLevel) : ""));
            return EXIT_FAILURE;
        }
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

    /**
     * The URL's scheme is probed on the URL's port and the other scheme on its default port, so
     * {@code http://host:8080/} probes http on 8080 and https on 443, {@code https://host:8443/} https on
     * 8443 and http on 80. {@code --connect-to ADDR[:PORT]} sends the connections to ADDR (PORT for
     * https) and {@code --http-port} moves plain http there; SNI and Host stay the URL's.
     */
    static HttpTarget target(Args args) throws Args.UsageException {
        URI uri;
        try {
            uri = new URI(args.positionals.get(0));
        } catch (URISyntaxException e) {
            throw new Args.UsageException("not a URL: " + args.positionals.get(0));
        }
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        if (uri.getHost() == null || !(https || "http".equalsIgnoreCase(uri.getScheme()))) {
            throw new Args.UsageException("expected http(s)://host[:port][/path], got " + args.positionals.get(0));
        }
        int httpsPort = https && uri.getPort() > 0 ? uri.getPort() : DEFAULT_HTTPS_PORT;
        int httpPort = !https && uri.getPort() > 0 ? uri.getPort() : DEFAULT_HTTP_PORT;
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        Optional<InetAddress> connectTo = Optional.empty();
        int httpsConnectPort = httpsPort;
        if (args.one("--connect-to") != null) {
            String value = args.one("--connect-to");
            int colon = value.lastIndexOf(':');
            boolean hasPort = colon > 0 && value.indexOf(']') < colon && (value.startsWith("[") || value.indexOf(':') == colon);
            try {
                connectTo = Optional.of(InetAddress.getByName((hasPort ? value.substring(0, colon) : value).replace("[", "").replace("]", "")));
            } catch (IOException e) {
                throw new Args.UsageException("--connect-to needs ADDR[:PORT]: cannot resolve " + value);
            }
            if (hasPort) {
                httpsConnectPort = port(value.substring(colon + 1), "--connect-to port");
            }
        }
        int httpConnectPort = args.one("--http-port") == null ? httpPort : port(args.one("--http-port"), "--http-port");
        return new HttpTarget(uri.getHost(), httpsPort, path, connectTo, httpsConnectPort, httpConnectPort, httpPort);
    }

    static final int DEFAULT_HTTPS_PORT = 443;
    static final int DEFAULT_HTTP_PORT = 80;

    private static int integer(Args args, String option, String expected, int fallback) throws Args.UsageException {
        String value = args.one(option);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new Args.UsageException(option + " must be " + expected + ", got " + value);
        }
    }

    private static int port(String value, String what) throws Args.UsageException {
        try {
            int port = Integer.parseInt(value);
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new Args.UsageException(what + " must be a port number (1-65535), got " + value);
        }
    }

    /** The report for a site that answered neither scheme: no grade and no test results, as MDN's Observatory. */
    static String down(HttpTarget target, HttpFindings findings, ObservatoryResult result) {
        StringBuilder out = new StringBuilder();
        out.append("Host:  ").append(target.host()).append('\n');
        out.append("Down:  no answer on ").append(target.httpUrl()).append(" or ").append(target.httpsUrl())
                .append(result.error().map(e -> "  (" + e + ")").orElse("")).append('\n');
        findings.errors().forEach(e -> out.append("  ").append(e).append('\n'));
        return out.toString();
    }

    static Map<String, Object> down(HttpTarget target, HttpFindings findings, ObservatoryResult result, TlsScanResult tls,
            MozillaEvaluation mozilla) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("host", target.host());
        doc.put("down", true);
        doc.put("grade", null);
        doc.put("score", null);
        doc.put("error", result.error().orElse("The site seems to be down."));
        doc.put("probeErrors", findings.errors());
        if (tls.tlsAvailable()) {
            doc.put("tls", TlsSection.json(tls, mozilla));
        }
        return doc;
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
