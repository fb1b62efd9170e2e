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
import dev.vigil.grade.service.CertificateExpectation;
import dev.vigil.grade.service.GradePolicy;
import dev.vigil.grade.service.ServiceGrade;
import dev.vigil.grade.service.ServiceGrader;
import dev.vigil.grade.tls.Guidelines;
import dev.vigil.grade.tls.GuidelinesVersion;
import dev.vigil.grade.tls.MozillaEvaluation;
import dev.vigil.grade.tls.MozillaEvaluator;
import dev.vigil.grade.tls.MozillaLevel;
import dev.vigil.grade.tls.TlsConfiguration;
import dev.vigil.probe.AddressPolicy;
import dev.vigil.probe.AddressSource;
import dev.vigil.probe.ServiceEndpoint;
import dev.vigil.probe.ServiceFindings;
import dev.vigil.probe.ServiceProbe;
import dev.vigil.probe.Trust;
import dev.vigil.probe.tls.Fingerprints;
import dev.vigil.probe.tls.TlsScanResult;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

    private static final String ALGORITHMS = ObservatoryAlgorithm.choices();
    private static final String VERSIONS = String.join("|", GuidelinesVersion.labels());

    @Override
    public String usage() {
        return "scan URL... [--baseline FILE] [--connect-to ADDR[:PORT]] [--http-port P] [--ca FILE]... [--hsts-preload FILE] "
                + "[--expect-certificate PEM] "
                + "[--algorithm " + ALGORITHMS + "] [--min-grade G] [--guidelines " + VERSIONS
                + "] [--tls-level L] [--tls-only] [--aia-fetch] [--json]";
    }

    @Override
    public String summary() {
        return "grade sites as the operator does: the HTTP Observatory's score capped by TLS and certificate facts";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.valued("--baseline", "FILE", "judge by this SecurityBaseline manifest (levels, accepted risks): PASS/WARN/FAIL per control, exit 1 unless compliant"),
                Option.valued("--connect-to", "ADDR[:PORT]", "connect to this address (and HTTPS port) instead of resolving the host; SNI and Host stay the URL's"),
                Option.valued("--http-port", "P", "with --connect-to: the port plain http:// goes to (default: the URL's http port)"),
                Option.repeatable("--ca", "FILE", "PEM certificates trusted on top of the system store"),
                Option.valued("--hsts-preload", "FILE", "Chromium's transport_security_state_static.json for the preload checks"),
                Option.valued("--expect-certificate", "PEM", "the certificate the site should serve (a Gateway listener's): certificate-configured"),
                Option.valued("--algorithm", ALGORITHMS, "Observatory scoring algorithm (default 4 = npm 1.4.8)"),
                Option.valued("--min-grade", "G", "exit 1 when the grade is below G (A+ … F)"),
                Option.valued("--guidelines", VERSIONS, "Mozilla TLS guidelines version (default " + GuidelinesVersion.DEFAULT.label() + ")"),
                Option.valued("--tls-level", "L", "modern, intermediate (default) or old: the level required and the advice aims at"),
                Option.flag("--tls-only", "enumerate TLS only, no HTTP probe"),
                Option.flag("--aia-fetch", "fetch intermediates the server does not send from the certificates' AIA URLs"),
                Option.flag("--json", "print the report as JSON (an array for several URLs)"));
    }

    @Override
    public String details() {
        return """
                URL is https://host[:port][/path] or http://host[:port][/path]: the URL's scheme is probed on the URL's
                port, the other scheme on its default port (443 for https, 80 for http). A site that answers neither is
                reported as down, with no test results (as MDN's Observatory does), and the command exits 1.
                The grade is the operator's: the Observatory score capped by TLS and certificate facts (README, "Controls
                and grade caps").
                Examples:
                  vigil scan https://shop.example.com/
                  vigil scan http://localhost:8080/
                  vigil scan https://shop.internal/ --connect-to 10.0.0.7:443 --ca corp-ca.pem --min-grade B --json
                  vigil scan --baseline web-baseline.yaml https://shop.example.com/ https://blog.example.com/
                Exit codes: 0 graded (and at least --min-grade, compliant with --baseline); 1 below --min-grade, not
                compliant, or the site is down; 2 usage error.""";
    }

    /** What to scan and how to judge it, from the command line. */
    record Request(List<ServiceEndpoint> endpoints, GradePolicy policy, List<AcceptedRisk> risks, boolean baseline,
            boolean minimumGiven, List<X509Certificate> cas, HstsPreloadList preload, boolean tlsOnly, boolean json,
            CertificateExpectation expected, boolean aiaFetch) {
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) throws Args.UsageException {
        Request request;
        try {
            request = parse(argv, options());
        } catch (IllegalArgumentException | IOException e) {
            throw new Args.UsageException(e.getMessage());
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
                ServiceGrade grade = grader.grade(findings, request.policy(), request.risks(), endpoint.host(), request.expected(), now);
                Optional<MozillaEvaluation> mozilla = findings.tls().filter(TlsScanResult::tlsAvailable)
                        .map(t -> MozillaEvaluator.evaluate(t, request.policy().guidelines().label()));
                boolean down = findings.http().map(h -> h.http().isEmpty() && h.https().isEmpty()).orElse(true);
                failed |= down || (request.baseline() ? !grade.compliant() : request.minimumGiven() && grade.belowMinimum());
                if (down && !request.baseline()) {
                    // No answer on either scheme: no grade and no test results, as MDN's Observatory.
                    if (request.json()) {
                        documents.add(ScanReport.down(endpoint, findings, mozilla));
                    } else {
                        out.print(ScanReport.downText(endpoint, findings, mozilla, request.policy()));
                    }
                } else if (request.json()) {
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
            Optional<TlsConfiguration> fix = tls.tlsAvailable() && !request.policy().tlsLevel().metBy(mozilla.level())
                    ? ScanReport.configurationFor(request.policy()) : Optional.empty();
            if (request.json()) {
                Map<String, Object> doc = new java.util.LinkedHashMap<>();
                doc.put("tls", TlsSection.json(tls, mozilla));
                fix.ifPresent(config -> doc.put("tlsConfiguration", TlsConfigReport.json(config)));
                out.println(write(doc));
            } else {
                out.print(TlsSection.text(tls, mozilla, request.policy().tlsLevel().label()));
                fix.ifPresent(config -> out.print(ScanReport.levelFixText(config)));
            }
        }
        return EXIT_OK;
    }

    static Request parse(List<String> argv, List<Option> options) throws Args.UsageException, IOException {
        Args args = Args.parse(argv, options);
        if (args.positionals.isEmpty()) {
            throw new Args.UsageException("missing URL");
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
            String value = args.one("--algorithm");
            policy = policy.withAlgorithm(ObservatoryAlgorithm.parse(value.matches("[0-9]{1,3}") ? Integer.parseInt(value) : -1)
                    .orElseThrow(() -> new Args.UsageException("--algorithm must be " + ALGORITHMS + ", got " + value)));
        }
        if (args.one("--guidelines") != null || args.one("--tls-level") != null) {
            GuidelinesVersion version = args.one("--guidelines") == null ? policy.guidelines()
                    : GuidelinesVersion.parse(args.one("--guidelines"))
                            .orElseThrow(() -> new Args.UsageException("--guidelines must be one of " + GuidelinesVersion.labels()));
            MozillaLevel level = args.one("--tls-level") == null ? policy.tlsLevel()
                    : MozillaLevel.parse(args.one("--tls-level"))
                            .orElseThrow(() -> new Args.UsageException("--tls-level must be modern, intermediate or old"));
            if (level == MozillaLevel.OLD && Guidelines.load(version.label()).level(level).isEmpty()) {
                throw new Args.UsageException("guidelines " + version.label() + " have no old level (use 5.8, or intermediate)");
            }
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
                args.flag("--tls-only"), args.flag("--json"), expected(args.one("--expect-certificate")),
                args.flag("--aia-fetch"));
    }

    /** The certificate the site should serve (certificate-configured), as a Gateway's TLS Secret would say it. */
    static CertificateExpectation expected(String file) throws Args.UsageException, IOException {
        if (file == null) {
            return CertificateExpectation.NONE;
        }
        String fingerprint = Fingerprints.leafOfPem(Files.readAllBytes(Path.of(file)))
                .orElseThrow(() -> new Args.UsageException(file + " holds no PEM certificate"));
        return new CertificateExpectation(file, List.of(fingerprint), List.of());
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

    /**
     * The URL's scheme is probed on the URL's port and the other scheme on its default port, so
     * {@code http://host:8080/} probes http on 8080 and https on 443, {@code https://host:8443/} https on
     * 8443 and http on 80. {@code --connect-to ADDR[:PORT]} sends the connections to ADDR (PORT for
     * https) and {@code --http-port} moves plain http there; SNI and Host stay the URL's.
     */
    static ServiceEndpoint endpoint(String url, Args args) throws Args.UsageException {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new Args.UsageException("not a URL: " + url);
        }
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        if (uri.getHost() == null || !(https || "http".equalsIgnoreCase(uri.getScheme()))) {
            throw new Args.UsageException("expected http(s)://host[:port][/path], got " + url);
        }
        int httpsPort = https && uri.getPort() > 0 ? uri.getPort() : 443;
        int httpPort = !https && uri.getPort() > 0 ? uri.getPort() : ServiceEndpoint.DEFAULT_HTTP_PORT;
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        Optional<String> connectHost = Optional.empty();
        int httpsConnectPort = httpsPort;
        if (args.one("--connect-to") != null) {
            String value = args.one("--connect-to");
            int colon = value.lastIndexOf(':');
            boolean hasPort = colon > 0 && value.indexOf(']') < colon && (value.startsWith("[") || value.indexOf(':') == colon);
            connectHost = Optional.of((hasPort ? value.substring(0, colon) : value).replace("[", "").replace("]", ""));
            if (hasPort) {
                httpsConnectPort = port(value.substring(colon + 1), "--connect-to port");
            }
        }
        int httpConnectPort = args.one("--http-port") == null ? httpPort : port(args.one("--http-port"), "--http-port");
        return new ServiceEndpoint(uri.getHost(), httpsPort, path, connectHost, httpsConnectPort, httpConnectPort, httpPort,
                AddressSource.USER);
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
