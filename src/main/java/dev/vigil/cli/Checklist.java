package dev.vigil.cli;

import dev.vigil.admission.Mode;
import dev.vigil.baseline.BaselinePolicy;
import dev.vigil.baseline.ControlRow;
import dev.vigil.baseline.Enforcement;
import dev.vigil.baseline.EnforcementStatus;
import dev.vigil.baseline.SecretHygieneStatus;
import dev.vigil.baseline.SecretRow;
import dev.vigil.baseline.SecurityBaseline;
import dev.vigil.baseline.SecurityBaselineStatus;
import dev.vigil.baseline.ServiceRow;
import dev.vigil.grade.AcceptedRisk;
import dev.vigil.grade.observatory.ObservatoryAlgorithm;
import dev.vigil.grade.service.ControlCatalog;
import dev.vigil.grade.service.ControlLevel;
import dev.vigil.grade.service.SecretControls;
import dev.vigil.kube.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A SecurityBaseline's state as a checklist a team works through: per service its grade, the failing controls with
 * their one-line fix, the accepted risks with owner and expiry, and the passing controls. Made from the status the
 * operator wrote (and the spec, for levels and accepted risks), nothing probed again.
 *
 * <p>The status keeps failing controls only (up to the operator's per-row bound), so the passing ones are the
 * catalogue's controls for the row's Observatory algorithm ({@link ControlCatalog#names(ObservatoryAlgorithm)}) minus
 * those failing, accepted or set to {@code ignore}. When a row's failing list was cut, or HTTPS did not answer (the
 * other TLS controls were then not checked), no control is claimed to pass that might not, and the notes say so.
 */
record Checklist(String namespace, String name, String minimumGrade, String graded, Boolean compliant, String verdict,
        int services, int belowMinimum, int nonCompliant, String worstGrade, List<Service> rows, Integer servicesOmitted,
        List<String> notes, SecretHygieneStatus secrets, Admission admission) {

    /**
     * The background audit of a baseline that sets {@code spec.enforcement}: the objects admission would refuse (Deny),
     * warn about (Warn) or record (Audit) if they were applied now. {@code violations} is absent before the first audit.
     */
    record Admission(Mode mode, Integer violations, Map<String, Integer> byRule, List<EnforcementStatus.ViolationRow> objects,
            Integer objectsOmitted, String lastAuditTime) {

        static Admission of(SecurityBaseline baseline, SecurityBaselineStatus status) {
            Enforcement enforcement = baseline.getSpec() == null ? null : baseline.getSpec().enforcement;
            if (enforcement == null) {
                return null;
            }
            EnforcementStatus audit = status.enforcement == null ? new EnforcementStatus() : status.enforcement;
            return new Admission(enforcement.mode == null ? Mode.Audit : enforcement.mode, audit.violations,
                    audit.byRule, audit.objects == null ? List.of() : audit.objects, audit.objectsOmitted, audit.lastAuditTime);
        }

        /** What admission does with the next such change, as the checklist says it. */
        String verb() {
            return switch (mode) {
                case Deny -> "would refuse";
                case Warn -> "would warn about";
                case Audit -> "records";
            };
        }
    }

    /** One service: its grade and its controls, failing first. */
    record Service(String host, String namespace, String source, String state, String grade, Integer score, Boolean compliant,
            String certificateExpires, String error, List<Item> controls, Integer moreFailing) {
    }

    /**
     * One control: {@code state} is {@code fail}/{@code warn} (failing at that level), {@code error}, {@code accepted},
     * {@code pass} or {@code unchecked}.
     */
    record Item(String control, String state, String detail, String fix, String owner, String reason, String expires) {
    }

    static final String PASS = "pass";
    static final String ACCEPTED = "accepted";
    static final String UNCHECKED = "unchecked";
    static final String GRADED = "graded";
    static final String PENDING = "pending";
    static final String UNGRADED = "ungraded";

    static Checklist of(SecurityBaseline baseline) {
        if (baseline.getMetadata().getNamespace() == null) {
            baseline.getMetadata().setNamespace("default");
        }
        // Read as the operator reads it (no bounds to apply: nothing is probed).
        BaselinePolicy policy = BaselinePolicy.from(baseline, new BaselinePolicy.Limits(Duration.ZERO, Duration.ofDays(365)), true);
        SecurityBaselineStatus status = baseline.getStatus() == null ? new SecurityBaselineStatus() : baseline.getStatus();
        Instant graded = status.summary == null || status.summary.lastCycleTime() == null ? null
                : Instant.parse(status.summary.lastCycleTime());
        List<String> notes = new ArrayList<>();
        List<Service> rows = new ArrayList<>();
        boolean cut = false;
        for (ServiceRow row : status.services == null ? List.<ServiceRow>of() : status.services) {
            Service service = service(row, policy, graded == null ? Instant.now() : graded);
            cut |= service.moreFailing() != null;
            rows.add(service);
        }
        if (cut) {
            notes.add("The status lists a bounded number of failing controls per service (vigil.baselines.max-failing-per-row); "
                    + "for a service with more, only the listed ones are shown and no control is shown as passing — "
                    + "`vigil scan --baseline` lists them all.");
        }
        if (rows.stream().anyMatch(r -> r.controls().stream().anyMatch(i -> i.state().equals(UNCHECKED)))) {
            notes.add("Where HTTPS did not answer, the certificate and TLS controls could not be checked.");
        }
        if (status.servicesOmitted != null && status.servicesOmitted > 0) {
            notes.add(status.servicesOmitted + " more services are covered but not in the status, which keeps the worst "
                    + rows.size() + " (vigil.baselines.max-rows); the totals above count them.");
        }
        notes.add("Passing controls are those of the catalogue that the status does not list as failing or accepted, "
                + "less those the baseline ignores.");
        Optional<Condition> compliant = Conditions.find(status.conditions, "Compliant");
        var summary = status.summary;
        return new Checklist(baseline.getMetadata().getNamespace(), baseline.getMetadata().getName(),
                policy.grading().minimumGrade().letter(), graded == null ? null : graded.toString(),
                compliant.map(c -> c.getStatus().equals(Conditions.TRUE) ? Boolean.TRUE
                        : c.getStatus().equals(Conditions.FALSE) ? Boolean.FALSE : null).orElse(null),
                compliant.map(Condition::getMessage).orElse(null),
                summary == null ? rows.size() : summary.services(), summary == null ? 0 : summary.belowMinimum(),
                summary == null ? 0 : summary.nonCompliant(), summary == null ? null : summary.worstGrade(), rows,
                status.servicesOmitted, notes, status.secrets, Admission.of(baseline, status));
    }

    private static Service service(ServiceRow row, BaselinePolicy policy, Instant at) {
        if (Boolean.TRUE.equals(row.pending())) {
            return new Service(row.host(), row.namespace(), row.source(), PENDING, null, null, null, null, null, List.of(), null);
        }
        List<Item> failing = new ArrayList<>();
        Set<String> named = new LinkedHashSet<>();
        for (ControlRow c : row.failing() == null ? List.<ControlRow>of() : row.failing()) {
            String state = "error".equals(c.state()) ? "error" : c.level();
            failing.add(new Item(c.control(), state, c.detail(), c.remediation(), null, null, null));
            named.add(c.control());
        }
        List<Item> accepted = new ArrayList<>();
        for (String text : row.accepted() == null ? List.<String>of() : row.accepted()) {
            String control = text.contains(":") ? text.substring(0, text.indexOf(':')) : text;
            Optional<AcceptedRisk> risk = policy.risks().stream().filter(r -> r.appliesTo(row.host(), control) && !r.expired(at))
                    .findFirst();
            accepted.add(new Item(control, ACCEPTED, null, null, risk.map(AcceptedRisk::owner).orElse(null),
                    risk.map(AcceptedRisk::reason).orElse(text.substring(Math.min(text.length(), control.length() + 1)).strip()),
                    risk.map(r -> r.expires().toString()).orElse(null)));
            named.add(control);
        }
        if (row.grade() == null && row.error() != null) {
            return new Service(row.host(), row.namespace(), row.source(), UNGRADED, null, null, row.compliant(),
                    row.certificateExpires(), row.error(), concat(failing, accepted), row.moreFailing());
        }
        List<Item> rest = new ArrayList<>();
        if (row.moreFailing() == null) {
            ObservatoryAlgorithm algorithm = ObservatoryAlgorithm.parse(row.algorithm() == null ? 4 : row.algorithm())
                    .orElse(ObservatoryAlgorithm.V4);
            boolean noHttps = named.contains("https") && failing.stream().anyMatch(i -> i.control().equals("https"));
            for (String control : ControlCatalog.names(algorithm)) {
                if (named.contains(control) || policy.grading().controls().get(control) == ControlLevel.IGNORE
                        || control.equals(ControlCatalog.CERTIFICATE_CONFIGURED) && row.listener() == null) {
                    continue;
                }
                boolean unchecked = noHttps && ControlCatalog.TLS.contains(control);
                rest.add(new Item(control, unchecked ? UNCHECKED : PASS, null, null, null, null, null));
            }
            // Judged on the namespace, not the probe: passing where the baseline requires them and the row does not fail them.
            List<String> secretControls = new ArrayList<>();
            policy.secrets().maxDocumentAge().ifPresent(age -> secretControls.add(SecretControls.SECRET_ROTATION));
            if (policy.secrets().sealedSecretsOnly()) {
                secretControls.add(SecretControls.SECRET_SOURCE);
            }
            for (String control : secretControls) {
                if (!named.contains(control) && policy.grading().controls().get(control) != ControlLevel.IGNORE) {
                    rest.add(new Item(control, PASS, null, null, null, null, null));
                }
            }
        }
        List<Item> items = concat(failing, accepted);
        items.addAll(rest);
        return new Service(row.host(), row.namespace(), row.source(), GRADED, row.grade(), row.score(), row.compliant(),
                row.certificateExpires(), row.error(), items, row.moreFailing());
    }

    private static List<Item> concat(List<Item> a, List<Item> b) {
        List<Item> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /** The checklist as Markdown a team pastes into an issue. */
    String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("# Security baseline `").append(namespace).append('/').append(name).append("`\n\n");
        out.append(graded == null ? "Not graded yet" : "Graded " + graded.substring(0, 10) + " (" + graded + ")")
                .append(" · minimum grade **").append(minimumGrade).append("** · ").append(services).append(" services");
        if (worstGrade != null) {
            out.append(" · worst grade **").append(worstGrade).append("**");
        }
        out.append('\n');
        if (verdict != null) {
            out.append('\n').append(Boolean.TRUE.equals(compliant) ? "**Compliant**: " : Boolean.FALSE.equals(compliant)
                    ? "**Not compliant**: " : "**Pending**: ").append(verdict).append('\n');
        }
        for (Service s : rows) {
            out.append("\n## ").append(s.host());
            switch (s.state()) {
                case PENDING -> out.append(" — waiting for its first probe\n");
                case UNGRADED -> out.append(" — no grade\n");
                default -> out.append(" — grade ").append(s.grade()).append(s.score() == null ? "" : " (score " + s.score() + ")")
                        .append(Boolean.TRUE.equals(s.compliant()) ? ", compliant" : ", not compliant").append('\n');
            }
            out.append('\n').append(s.source() == null ? "target" : "`" + s.source() + "`").append(" in `").append(s.namespace())
                    .append('`');
            if (s.certificateExpires() != null) {
                out.append(" · certificate expires ").append(s.certificateExpires(), 0, Math.min(10, s.certificateExpires().length()));
            }
            out.append("\n\n");
            if (s.state().equals(PENDING)) {
                continue;
            }
            if (s.error() != null) {
                out.append("- [ ] **make the site answer**: ").append(s.error()).append('\n');
            }
            List<Item> accepted = new ArrayList<>();
            for (Item i : s.controls()) {
                switch (i.state()) {
                    case PASS -> out.append("- [x] ").append(i.control()).append('\n');
                    case UNCHECKED -> out.append("- [ ] ").append(i.control()).append(" (not checked: no HTTPS answer)\n");
                    case ACCEPTED -> accepted.add(i);
                    default -> out.append("- [ ] **").append(i.control()).append("** (").append(i.state()).append("): ")
                            .append(i.detail()).append(i.fix() == null || i.fix().isEmpty() ? "" : " — " + i.fix()).append('\n');
                }
            }
            if (s.moreFailing() != null) {
                out.append("- [ ] ").append(s.moreFailing()).append(" more failing controls, not listed in the status\n");
            }
            if (!accepted.isEmpty()) {
                out.append("\nAccepted risks:\n\n");
                for (Item i : accepted) {
                    out.append("- ").append(i.control()).append(": ").append(i.reason());
                    if (i.owner() != null) {
                        out.append(" (owner ").append(i.owner()).append(i.expires() == null ? "" : ", expires " + i.expires())
                                .append(')');
                    }
                    out.append('\n');
                }
            }
        }
        if (secrets != null) {
            out.append("\n## Secrets\n\n");
            if (secrets.maxDocumentAge() != null) {
                out.append("Documents at most ").append(secrets.maxDocumentAge()).append(" old: ")
                        .append(secrets.documentsTooOld()).append(" of ").append(secrets.sealedSecrets())
                        .append(" SealedSecrets older").append(secrets.documentsAgeUnknown() == null
                                || secrets.documentsAgeUnknown() == 0 ? "" : ", " + secrets.documentsAgeUnknown()
                                + " never decrypted (age unknown)").append('\n');
            }
            if (secrets.secretsChecked() != null) {
                out.append(secrets.maxDocumentAge() != null ? "\n" : "").append("Secrets from SealedSecrets only: ")
                        .append(secrets.secretsNotFromGit()).append(" of ").append(secrets.secretsChecked())
                        .append(" Secrets not from git").append(secrets.secretsTruncated() == null ? ""
                                : " (listing cut in " + String.join(", ", secrets.secretsTruncated()) + ")").append('\n');
            }
            if (secrets.failing() != null && !secrets.failing().isEmpty()) {
                out.append('\n');
                for (SecretRow r : secrets.failing()) {
                    out.append("- [ ] **").append(r.control()).append("** (").append(r.level()).append("): ")
                            .append(r.kind()).append(" `").append(r.namespace()).append('/').append(r.name()).append("`: ")
                            .append(r.detail()).append(r.remediation() == null || r.remediation().isEmpty() ? ""
                                    : " — " + r.remediation()).append('\n');
                }
            }
            if (secrets.failingOmitted() != null) {
                out.append("- [ ] ").append(secrets.failingOmitted()).append(" more, not listed in the status\n");
            }
        }
        if (admission != null) {
            out.append("\n## Admission (mode ").append(admission.mode()).append(")\n\n");
            if (admission.violations() == null) {
                out.append("Not audited yet.\n");
            } else {
                out.append("Background audit ").append(admission.lastAuditTime()).append(": ");
                if (admission.violations() == 0) {
                    out.append("no existing object breaks a rule.\n");
                } else {
                    out.append(admission.violations()).append(admission.violations() == 1 ? " object" : " objects")
                            .append(" admission ").append(admission.verb()).append(" if applied now");
                    if (admission.byRule() != null) {
                        List<String> counts = admission.byRule().entrySet().stream().filter(e -> e.getValue() > 0)
                                .map(e -> e.getKey() + " " + e.getValue()).toList();
                        out.append(" (").append(String.join(", ", counts)).append(')');
                    }
                    out.append(".\n\n");
                    for (EnforcementStatus.ViolationRow v : admission.objects()) {
                        out.append("- [ ] **").append(v.rule()).append("**: ").append(v.kind()).append(" `").append(v.name())
                                .append("`: ").append(v.message()).append('\n');
                    }
                    if (admission.objectsOmitted() != null) {
                        out.append("- [ ] ").append(admission.objectsOmitted()).append(" more, not listed in the status\n");
                    }
                }
            }
        }
        if (servicesOmitted != null && servicesOmitted > 0) {
            out.append("## ").append(servicesOmitted).append(" more services\n\nNot in the status (see the notes).\n");
        }
        out.append(out.charAt(out.length() - 2) == '\n' ? "---\n" : "\n---\n");
        notes.forEach(n -> out.append("\n_").append(n).append("_\n"));
        return out.toString();
    }
}
