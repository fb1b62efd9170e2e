package dev.vigil.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vigil.baseline.BaselinePolicy;
import dev.vigil.baseline.SecurityBaseline;
import dev.vigil.grade.AcceptedRisk;
import dev.vigil.grade.Grade;
import dev.vigil.grade.observatory.HstsPreloadList;
import dev.vigil.grade.observatory.ObservatoryAlgorithm;
import dev.vigil.grade.service.GradePolicy;
import dev.vigil.grade.service.ServiceGrade;
import dev.vigil.grade.service.ServiceGrader;
import dev.vigil.grade.tls.GuidelinesVersion;
import dev.vigil.grade.tls.MozillaEvaluation;
import dev.vigil.grade.tls.MozillaEvaluator;
import dev.vigil.grade.tls.MozillaLevel;
import dev.vigil.probe.AddressPolicy;
import dev.vigil.probe.AddressSource;
import dev.vigil.probe.ServiceEndpoint;
import dev.vigil.probe.ServiceFindings;
import dev.vigil.probe.ServiceProbe;
import dev.vigil.probe.Trust;
import dev.vigil.probe.tls.TlsScanResult;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code scan URL...}: the grade Vigil's operator would give each site — the HTTP Observatory's score capped by
 * TLS and certificate facts — from wherever the command runs, through the same probe and grader. With
 * {@code --baseline FILE} (a SecurityBaseline manifest) the baseline's requirements, control levels and accepted
 * risks apply and every control is printed as PASS/WARN/FAIL, so a pipeline can run the baseline before deploying.
 */
final class ScanCommand implements Command {

    static final Duration BUDGET = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Override
    public String name() {
        return "scan";
    }

    @Override
    public String usage() {
        return "scan URL... [--baseline FILE] [--connect-to ADDR:PORT] [--http-port P] [--ca FILE]... [--hsts-preload FILE] "
                + "[--algorithm " + String.join("|", ObservatoryAlgorithm.numbers().stream().map(String::valueOf).toList())
                + "] [--min-grade G] [--guidelines " + String.join("|", GuidelinesVersion.labels())
                + "] [--tls-level L] [--tls-only] [--aia-fetch] [--json]";
    }

    /** What to scan and how to judge it, from the command line. */
    record Request(List<ServiceEndpoint> endpoints, GradePolicy policy, List<AcceptedRisk> risks, boolean baseline,
            boolean minimumGiven, List<X509Certificate> cas, HstsPreloadList preload, boolean tlsOnly, boolean json,
            boolean aiaFetch) {
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) {
        Request request;
        try {
            request = parse(argv);
        } catch (Args.UsageException | IllegalArgumentException | IOException e) {
            err.println("usage error: " + e.getMessage());
            err.println("usage: vigil " + usage());
            return EXIT_USAGE;
        }
        // The user names the sites on their own authority (AddressSource.USER); redirects elsewhere are the servers'
        // choice and meet the always-denied list.
        try (ServiceProbe probe = new ServiceProbe(new ServiceProbe.Config(request.cas(), AddressPolicy.defaults(), request.aiaFetch()))) {
            if (request.tlsOnly()) {
                return tlsOnly(request, probe, out);
            }
            ServiceGrader grader = new ServiceGrader(request.preload());
            List<Map<String, Object>> documents = new ArrayList<>();
            boolean failed = false;
            for (ServiceEndpoint endpoint : request.endpoints()) {
                ServiceFindings findings = probe.probe(endpoint, BUDGET);
                Instant now = Instant.now();
                ServiceGrade grade = grader.grade(findings, request.policy(), request.risks(), endpoint.host(), now);
                Optional<MozillaEvaluation> mozilla = findings.tls().filter(TlsScanResult::tlsAvailable)
                        .map(t -> MozillaEvaluator.evaluate(t, request.policy().guidelines().label()));
                failed |= request.baseline() ? !grade.compliant() : request.minimumGiven() && grade.belowMinimum();
                if (request.json()) {
                    documents.add(ScanReport.json(endpoint, findings, grade, mozilla, request.policy()));
                } else if (request.baseline()) {
                    out.print(ScanReport.checks(endpoint, grade, request.policy()));
                } else {
                    out.print(ScanReport.text(endpoint, findings, grade, mozilla, request.policy()));
                }
            }
            if (request.json()) {
                out.println(write(documents.size() == 1 ? documents.get(0) : documents));
            }
            return failed ? EXIT_FAILURE : EXIT_OK;
        }
    }

    private static int tlsOnly(Request request, ServiceProbe probe, PrintStream out) {
        for (ServiceEndpoint endpoint : request.endpoints()) {
            TlsScanResult tls = probe.scanTls(endpoint, BUDGET.dividedBy(2));
            MozillaEvaluation mozilla = MozillaEvaluator.evaluate(tls, request.policy().guidelines().label());
            if (request.json()) {
                out.println(write(Map.of("tls", TlsSection.json(tls, mozilla))));
            } else {
                out.print(TlsSection.text(tls, mozilla, request.policy().tlsLevel().label()));
            }
        }
        return EXIT_OK;
    }

    static Request parse(List<String> argv) throws Args.UsageException, IOException {
        Args args = Args.parse(argv, Set.of("--baseline", "--connect-to", "--http-port", "--ca", "--hsts-preload", "--algorithm",
                "--min-grade", "--guidelines", "--tls-level"), Set.of("--json", "--tls-only", "--aia-fetch"));
        if (args.positionals.isEmpty()) {
            throw new Args.UsageException("expected at least one URL");
        }
        if (args.positionals.size() > 1 && args.one("--connect-to") != null) {
            throw new Args.UsageException("--connect-to applies to one URL only");
        }
        GradePolicy policy = GradePolicy.defaults();
        List<AcceptedRisk> risks = List.of();
        boolean baseline = args.one("--baseline") != null;
        if (baseline) {
            BaselinePolicy fromFile = baselinePolicy(Path.of(args.one("--baseline")));
            policy = fromFile.grading();
            risks = fromFile.risks();
        }
        if (args.one("--algorithm") != null) {
            policy = policy.withAlgorithm(ObservatoryAlgorithm.parse(number(args.one("--algorithm")))
                    .orElseThrow(() -> new Args.UsageException("--algorithm must be one of " + ObservatoryAlgorithm.numbers())));
        }
        if (args.one("--guidelines") != null || args.one("--tls-level") != null) {
            GuidelinesVersion version = args.one("--guidelines") == null ? policy.guidelines()
                    : GuidelinesVersion.parse(args.one("--guidelines"))
                            .orElseThrow(() -> new Args.UsageException("--guidelines must be one of " + GuidelinesVersion.labels()));
            MozillaLevel level = args.one("--tls-level") == null ? policy.tlsLevel()
                    : MozillaLevel.parse(args.one("--tls-level"))
                            .orElseThrow(() -> new Args.UsageException("--tls-level must be modern, intermediate or old"));
            policy = policy.withTls(level, version);
        }
        if (args.one("--min-grade") != null) {
            policy = policy.withMinimumGrade(Grade.parse(args.one("--min-grade"))
                    .orElseThrow(() -> new Args.UsageException("unknown grade " + args.one("--min-grade"))));
        }
        List<X509Certificate> cas = new ArrayList<>();
        for (String ca : args.all("--ca")) {
            cas.addAll(Trust.readPem(Path.of(ca)));
        }
        HstsPreloadList preload = args.one("--hsts-preload") == null ? HstsPreloadList.empty()
                : HstsPreloadList.load(Path.of(args.one("--hsts-preload")));
        List<ServiceEndpoint> endpoints = new ArrayList<>();
        for (String url : args.positionals) {
            endpoints.add(endpoint(url, args));
        }
        return new Request(endpoints, policy, risks, baseline, args.one("--min-grade") != null, cas, preload,
                args.flag("--tls-only"), args.flag("--json"), args.flag("--aia-fetch"));
    }

    /** The baseline's grading policy and accepted risks, exactly as the operator would read them. */
    static BaselinePolicy baselinePolicy(Path file) throws Args.UsageException, IOException {
        SecurityBaseline baseline;
        try (InputStream in = Files.newInputStream(file)) {
            baseline = Serialization.unmarshal(in, SecurityBaseline.class);
        } catch (RuntimeException e) {
            throw new Args.UsageException(file + " is not a SecurityBaseline manifest");
        }
        if (baseline == null || !"SecurityBaseline".equals(baseline.getKind())) {
            throw new Args.UsageException(file + " is not a SecurityBaseline manifest");
        }
        if (baseline.getMetadata().getNamespace() == null) {
            baseline.getMetadata().setNamespace("default");
        }
        BaselinePolicy policy = BaselinePolicy.from(baseline,
                new BaselinePolicy.Limits(Duration.ZERO, Duration.ofDays(1)), true);
        if (!policy.valid()) {
            throw new Args.UsageException(file + ": " + String.join("; ", policy.problems()));
        }
        return policy;
    }

    static ServiceEndpoint endpoint(String url, Args args) throws Args.UsageException {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException("not a URL: " + url);
        }
        if (uri.getHost() == null || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
            throw new Args.UsageException("expected https://host[:port][/path], not " + url);
        }
        int httpsPort = "https".equals(uri.getScheme()) && uri.getPort() > 0 ? uri.getPort() : 443;
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        Optional<String> connectHost = Optional.empty();
        int httpsConnectPort = httpsPort;
        if (args.one("--connect-to") != null) {
            String value = args.one("--connect-to");
            int colon = value.lastIndexOf(':');
            boolean hasPort = colon > 0 && !value.endsWith("]") && (value.indexOf(':') == colon || value.startsWith("["));
            connectHost = Optional.of((hasPort ? value.substring(0, colon) : value).replace("[", "").replace("]", ""));
            if (hasPort) {
                httpsConnectPort = number(value.substring(colon + 1));
            }
        }
        int httpConnectPort = args.one("--http-port") == null ? 80 : number(args.one("--http-port"));
        return new ServiceEndpoint(uri.getHost(), httpsPort, path, connectHost, httpsConnectPort, httpConnectPort,
                AddressSource.USER);
    }

    private static int number(String text) throws Args.UsageException {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new Args.UsageException("not a number: " + text);
        }
    }

    static String write(Object doc) {
        try {
            return JSON.writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
