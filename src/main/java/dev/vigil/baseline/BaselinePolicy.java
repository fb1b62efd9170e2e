package dev.vigil.baseline;

import dev.vigil.grade.AcceptedRisk;
import dev.vigil.grade.Grade;
import dev.vigil.grade.observatory.ObservatoryAlgorithm;
import dev.vigil.grade.service.ControlCatalog;
import dev.vigil.grade.service.ControlLevel;
import dev.vigil.grade.service.GradePolicy;
import dev.vigil.grade.tls.GuidelinesVersion;
import dev.vigil.grade.tls.MozillaLevel;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A SecurityBaseline's spec made into what the operator acts on, once per reconcile, with every default filled
 * in and every bound applied. Reconcilers read only this. A value Vigil cannot use is a {@link #problems problem}
 * (the baseline is then not probed, and its Ready condition says why); a value Vigil changed to stay within the
 * operator's bounds is an {@link #adjustments adjustment}, reported but applied.
 *
 * @param trusted the baseline's namespace is one the operator trusts: it may cover other namespaces and name
 *     private addresses
 * @param secrets the secret hygiene judged in the covered namespaces ({@link SecretRules#NONE} when not required)
 */
public record BaselinePolicy(boolean trusted, BaselineScope scope, Connection connection, List<ExplicitTarget> targets, GradePolicy grading,
        Duration interval, Duration timeout, List<AcceptedRisk> risks, List<String> adjustments, List<String> problems,
        SecretRules secrets) {

    public static final Duration DEFAULT_INTERVAL = Duration.ofHours(1);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_HTTPS_PORT = 443;
    public static final int DEFAULT_HTTP_PORT = 80;

    /**
     * How covered Ingresses and Gateway listeners are reached: one address for all (e.g. the ingress controller's
     * Service), or their own; a port is "given" when the spec names one other than the default 443/80 (the CRD fills
     * in the defaults, so a default cannot be told from an absent value): an Ingress is reached on 443/80 unless a
     * port is given, a Gateway listener on its own port unless one is given.
     */
    public record Connection(Optional<String> address, OptionalInt givenHttpsPort, OptionalInt givenHttpPort) {

        public int httpsPort() {
            return givenHttpsPort.orElse(DEFAULT_HTTPS_PORT);
        }

        public int httpPort() {
            return givenHttpPort.orElse(DEFAULT_HTTP_PORT);
        }
    }

    /** A service named by URL in {@code spec.targets}. */
    public record ExplicitTarget(String host, int port, String path, Optional<String> connectAddress) {
    }

    /** The operator's bounds on what a baseline may ask. */
    public record Limits(Duration minInterval, Duration maxTimeout) {
        static Limits of(BaselineSettings settings) {
            return new Limits(settings.minInterval(), settings.maxTimeout());
        }
    }

    public boolean valid() {
        return problems.isEmpty();
    }

    /** @param trusted whether the baseline's namespace may cover other namespaces */
    public static BaselinePolicy from(SecurityBaseline baseline, Limits limits, boolean trusted) {
        SecurityBaselineSpec spec = baseline.getSpec() == null ? new SecurityBaselineSpec() : baseline.getSpec();
        List<String> problems = new ArrayList<>();
        List<String> adjustments = new ArrayList<>();
        String home = baseline.getMetadata().getNamespace();

        if (spec.namespaceSelector != null && !trusted) {
            adjustments.add("namespaceSelector ignored: namespace " + home + " may not cover other namespaces");
        }
        BaselineScope scope = new BaselineScope(home, Optional.ofNullable(spec.selector),
                Optional.ofNullable(trusted ? spec.namespaceSelector : null), Optional.ofNullable(spec.routeSelector),
                Optional.ofNullable(spec.gatewaySelector));

        Connect connect = spec.connect == null ? new Connect() : spec.connect;
        Connection connection = new Connection(Optional.ofNullable(connect.address).filter(a -> !a.isBlank()),
                port(connect.httpsPort, DEFAULT_HTTPS_PORT, "connect.httpsPort", problems),
                port(connect.httpPort, DEFAULT_HTTP_PORT, "connect.httpPort", problems));

        List<ExplicitTarget> targets = new ArrayList<>();
        for (ProbeTarget target : spec.targets == null ? List.<ProbeTarget>of() : spec.targets) {
            explicit(target, problems).ifPresent(targets::add);
        }

        Requirements requirements = spec.requirements == null ? new Requirements() : spec.requirements;
        GradePolicy grading = grading(requirements, problems);
        SecretRules secrets = secrets(requirements.secrets, spec.enforcement, problems);

        Schedule schedule = spec.schedule == null ? new Schedule() : spec.schedule;
        Duration interval = duration(schedule.interval, DEFAULT_INTERVAL, "schedule.interval", problems);
        Duration timeout = duration(schedule.timeout, DEFAULT_TIMEOUT, "schedule.timeout", problems);
        if (interval.compareTo(limits.minInterval()) < 0) {
            adjustments.add("interval raised to " + Durations.format(limits.minInterval()) + " (the operator's minimum)");
            interval = limits.minInterval();
        }
        if (timeout.compareTo(limits.maxTimeout()) > 0) {
            adjustments.add("timeout lowered to " + Durations.format(limits.maxTimeout()) + " (the operator's maximum)");
            timeout = limits.maxTimeout();
        }

        List<AcceptedRisk> risks = new ArrayList<>();
        List<AcceptedRiskSpec> exceptions = spec.exceptions == null ? List.of() : spec.exceptions;
        for (int i = 0; i < exceptions.size(); i++) {
            risk(exceptions.get(i), "exceptions[" + i + "]", problems).ifPresent(risks::add);
        }
        return new BaselinePolicy(trusted, scope, connection, targets, grading, interval, timeout, risks, adjustments, problems,
                secrets);
    }

    private static SecretRules secrets(SecretRequirements req, Enforcement enforcement, List<String> problems) {
        if (req == null) {
            return SecretRules.NONE;
        }
        Optional<Duration> maxAge = Optional.empty();
        if (req.maxDocumentAge != null && !req.maxDocumentAge.isBlank()) {
            maxAge = Durations.parseAge(req.maxDocumentAge);
            if (maxAge.isEmpty()) {
                problems.add("requirements.secrets.maxDocumentAge: " + req.maxDocumentAge + " is not an age like 90d, 2160h");
            }
        }
        return new SecretRules(maxAge, Boolean.TRUE.equals(req.sealedSecretsOnly),
                Optional.ofNullable(enforcement == null ? null : enforcement.exemptSecrets));
    }

    private static GradePolicy grading(Requirements req, List<String> problems) {
        GradePolicy defaults = GradePolicy.defaults();
        MozillaLevel level = req.tlsLevel == null ? defaults.tlsLevel()
                : known(MozillaLevel.parse(req.tlsLevel), "requirements.tlsLevel", req.tlsLevel, problems, defaults.tlsLevel());
        GuidelinesVersion guidelines = req.tlsGuidelines == null ? defaults.guidelines()
                : known(GuidelinesVersion.parse(req.tlsGuidelines), "requirements.tlsGuidelines", req.tlsGuidelines, problems,
                        defaults.guidelines());
        if (level == MozillaLevel.OLD && guidelines == GuidelinesVersion.V6_0) {
            problems.add("requirements.tlsLevel: guidelines 6.0 have no old level (use 5.8, or intermediate)");
        }
        ObservatoryAlgorithm algorithm = req.observatoryAlgorithm == null ? defaults.algorithm()
                : known(ObservatoryAlgorithm.parse(req.observatoryAlgorithm), "requirements.observatoryAlgorithm",
                        String.valueOf(req.observatoryAlgorithm), problems, defaults.algorithm());
        Grade minimum = req.minimumGrade == null ? defaults.minimumGrade()
                : known(Grade.parse(req.minimumGrade), "requirements.minimumGrade", req.minimumGrade, problems,
                        defaults.minimumGrade());
        int days = req.minCertificateDays == null ? GradePolicy.DEFAULT_MIN_CERTIFICATE_DAYS : req.minCertificateDays;
        if (days < 0) {
            problems.add("requirements.minCertificateDays: must not be negative");
            days = GradePolicy.DEFAULT_MIN_CERTIFICATE_DAYS;
        }
        Map<String, ControlLevel> controls = new LinkedHashMap<>();
        if (req.controls != null) {
            req.controls.forEach((control, text) -> {
                Optional<ControlLevel> parsed = java.util.Arrays.stream(ControlLevel.values())
                        .filter(l -> l.label().equals(text)).findFirst();
                if (!ControlCatalog.known(control)) {
                    problems.add("requirements.controls: unknown control " + control + " (known: "
                            + String.join(", ", ControlCatalog.names()) + ")");
                } else if (parsed.isEmpty()) {
                    problems.add("requirements.controls." + control + ": " + text + " is not fail, warn or ignore");
                } else {
                    controls.put(control, parsed.get());
                }
            });
        }
        return new GradePolicy(level, guidelines, days, algorithm, minimum, controls);
    }

    private static <T> T known(Optional<T> parsed, String field, String text, List<String> problems, T fallback) {
        if (parsed.isEmpty()) {
            problems.add(field + ": unknown value " + text);
            return fallback;
        }
        return parsed.get();
    }

    private static OptionalInt port(Integer configured, int defaultPort, String field, List<String> problems) {
        if (configured == null || configured == defaultPort) {
            return OptionalInt.empty();
        }
        if (configured < 1 || configured > 65535) {
            problems.add(field + ": " + configured + " is not a port");
            return OptionalInt.empty();
        }
        return OptionalInt.of(configured);
    }

    private static Duration duration(String text, Duration fallback, String field, List<String> problems) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        Optional<Duration> parsed = Durations.parse(text);
        if (parsed.isEmpty()) {
            problems.add(field + ": " + text + " is not a duration like 1h, 15m, 30s");
            return fallback;
        }
        return parsed.get();
    }

    private static Optional<ExplicitTarget> explicit(ProbeTarget target, List<String> problems) {
        URI uri;
        try {
            uri = target.url == null ? null : URI.create(target.url);
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null || uri.getHost() == null || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
            problems.add("targets: " + target.url + " is not an http(s) URL with a host");
            return Optional.empty();
        }
        int port = uri.getPort() > 0 ? uri.getPort() : DEFAULT_HTTPS_PORT;
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return Optional.of(new ExplicitTarget(uri.getHost().toLowerCase(Locale.ROOT), port, path,
                Optional.ofNullable(target.connectAddress).filter(a -> !a.isBlank())));
    }

    private static Optional<AcceptedRisk> risk(AcceptedRiskSpec spec, String field, List<String> problems) {
        if (spec.hosts == null || spec.hosts.isEmpty() || spec.control == null) {
            problems.add(field + ": hosts and control are required");
            return Optional.empty();
        }
        Optional<Instant> expires = expiry(spec.expires);
        if (expires.isEmpty()) {
            problems.add(field + ".expires: " + spec.expires + " is not a date (YYYY-MM-DD) or an RFC 3339 time");
            return Optional.empty();
        }
        return Optional.of(new AcceptedRisk(List.copyOf(spec.hosts), spec.control, spec.reason, spec.owner, expires.get()));
    }

    /** A date means the end of that day in UTC. */
    static Optional<Instant> expiry(String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            if (text.length() == 10) {
                return Optional.of(LocalDate.parse(text).plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC));
            }
            return Optional.of(OffsetDateTime.parse(text).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
