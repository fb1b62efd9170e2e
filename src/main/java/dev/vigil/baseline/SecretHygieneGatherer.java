package dev.vigil.baseline;

import dev.vigil.grade.service.ControlLevel;
import dev.vigil.grade.service.GradePolicy;
import dev.vigil.grade.service.SecretControls;
import dev.vigil.grade.service.SecretHygiene;
import dev.vigil.kube.Timestamps;
import dev.vigil.secrets.SealedSecret;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretList;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The secret facts of a baseline's covered namespaces, per reconcile: the SealedSecrets' document ages (from their
 * status, as the SealedSecret reconciler recorded {@code sops.lastmodified}) against {@code maxDocumentAge}, and —
 * only where {@code sealedSecretsOnly} is set — the namespace's plain Secrets that no SealedSecret manages and no
 * {@link SecretExemption} covers. Secrets are listed from the API server at most {@code maxListed} per namespace and
 * turned into {@link SecretFacts} at once: no value is kept, and none reaches a status, report or Event. A namespace's
 * listing serves every baseline for {@link #LISTING_REUSE}.
 */
final class SecretHygieneGatherer {

    static final String SEALED_SECRET_KIND = "SealedSecret";
    static final String SECRET_KIND = "Secret";
    static final String ROTATION_FIX = "re-encrypt (sops updatekeys / vigil rekey) and commit";

    /**
     * One object's result of a secret control: a SealedSecret for {@code secret-rotation} (passing or not), a plain
     * Secret for {@code secret-source} (only those failing).
     *
     * @param since when the object came to be in this state (the document's age crossed the maximum, or was last
     *     modified; the Secret was created): stable between reconciles, so an unchanged world rewrites no report
     */
    record Finding(String namespace, String kind, String name, String uid, String control, boolean failing, String detail,
            String remediation, Instant since) {
    }

    /**
     * @param byNamespace each covered namespace's facts, for its services' controls
     * @param unknownAge SealedSecrets whose document age is not known yet (never decrypted): not judged
     * @param truncated namespaces holding more Secrets than were listed
     */
    record Gathered(SecretRules rules, Map<String, SecretHygiene> byNamespace, List<Finding> findings, int sealedSecrets,
            int unknownAge, int secretsChecked, List<String> truncated) {

        static final Gathered NONE = new Gathered(SecretRules.NONE, Map.of(), List.of(), 0, 0, 0, List.of());

        SecretHygiene of(String namespace) {
            return byNamespace.getOrDefault(namespace, SecretHygiene.NONE);
        }
    }

    /**
     * How long one namespace's Secret listing serves: a baseline reconciles at every finished probe, and one list per
     * namespace per reconcile would make a baseline of many services a steady load on the API server.
     */
    static final Duration LISTING_REUSE = Duration.ofSeconds(30);

    private record Memo(Instant listedAt, Listed listed) {
    }

    private final KubernetesClient client;
    private final int maxListed;
    private final Map<String, Memo> listings = new ConcurrentHashMap<>();

    SecretHygieneGatherer(KubernetesClient client, int maxListed) {
        this.client = client;
        this.maxListed = maxListed;
    }

    /**
     * @param namespaces the namespaces the baseline covers (its own, plus namespaceSelector's for a trusted one)
     * @param sealedSecrets the SealedSecrets of those namespaces
     */
    Gathered gather(SecretRules rules, Set<String> namespaces, List<SealedSecret> sealedSecrets, Instant now) {
        listings.values().removeIf(m -> !now.isBefore(m.listedAt().plus(LISTING_REUSE)));
        if (!rules.judged()) {
            return Gathered.NONE;
        }
        Map<String, List<SealedSecret>> byNamespace = new HashMap<>();
        sealedSecrets.stream().filter(s -> namespaces.contains(s.getMetadata().getNamespace()))
                .sorted(Comparator.comparing((SealedSecret s) -> s.getMetadata().getName()))
                .forEach(s -> byNamespace.computeIfAbsent(s.getMetadata().getNamespace(), n -> new ArrayList<>()).add(s));
        Map<String, SecretHygiene> hygiene = new TreeMap<>();
        List<Finding> findings = new ArrayList<>();
        List<String> truncated = new ArrayList<>();
        int sealed = 0;
        int unknown = 0;
        int checked = 0;
        for (String namespace : new java.util.TreeSet<>(namespaces)) {
            List<SealedSecret> own = byNamespace.getOrDefault(namespace, List.of());
            sealed += own.size();
            Optional<SecretHygiene.Rotation> rotation = Optional.empty();
            if (rules.maxDocumentAge().isPresent()) {
                Duration maxAge = rules.maxDocumentAge().get();
                List<String> stale = new ArrayList<>();
                int known = 0;
                for (SealedSecret s : own) {
                    Optional<Instant> modified = lastModified(s);
                    if (modified.isEmpty()) {
                        unknown++;
                        continue;
                    }
                    known++;
                    Duration age = Duration.between(modified.get(), now);
                    boolean tooOld = age.compareTo(maxAge) > 0;
                    if (tooOld) {
                        stale.add(s.getMetadata().getName());
                    }
                    findings.add(new Finding(namespace, SEALED_SECRET_KIND, s.getMetadata().getName(), s.getMetadata().getUid(),
                            SecretControls.SECRET_ROTATION, tooOld, "document last modified " + modified.get() + ", "
                                    + age.toDays() + "d ago (max " + SecretControls.age(maxAge) + ")",
                            tooOld ? ROTATION_FIX : "", tooOld ? modified.get().plus(maxAge) : modified.get()));
                }
                rotation = Optional.of(new SecretHygiene.Rotation(maxAge, known, stale));
            }
            Optional<SecretHygiene.Source> source = Optional.empty();
            if (rules.sealedSecretsOnly()) {
                Map<String, String> owners = new HashMap<>();
                own.forEach(s -> owners.put(s.getMetadata().getName(), s.getMetadata().getUid()));
                // Not computeIfAbsent: the API call would hold the map's lock for other namespaces meanwhile.
                Memo memo = listings.get(namespace);
                if (memo == null) {
                    memo = new Memo(now, list(namespace));
                    listings.put(namespace, memo);
                }
                Listed listed = memo.listed();
                checked += listed.secrets().size();
                if (listed.truncated()) {
                    truncated.add(namespace);
                }
                List<String> notFromGit = new ArrayList<>();
                for (SecretFacts secret : listed.secrets()) {
                    if (SecretExemption.of(secret, owners, rules.exemptSecrets()).isEmpty()) {
                        notFromGit.add(secret.name());
                        findings.add(new Finding(namespace, SECRET_KIND, secret.name(), secret.uid(), SecretControls.SECRET_SOURCE,
                                true, "Secret " + secret.name() + " (type " + secret.type() + ") is not written from a SealedSecret",
                                "commit it as a SealedSecret (vigil seal --namespace " + namespace + " --name " + secret.name()
                                        + ") or label it to match spec.enforcement.exemptSecrets",
                                Timestamps.instant(secret.created()).orElse(now)));
                    }
                }
                source = Optional.of(new SecretHygiene.Source(listed.secrets().size(), notFromGit, listed.truncated()));
            }
            hygiene.put(namespace, new SecretHygiene(rotation, source));
        }
        return new Gathered(rules, hygiene, findings, sealed, unknown, checked, truncated);
    }

    private record Listed(List<SecretFacts> secrets, boolean truncated) {
    }

    /** At most {@code maxListed} Secrets, by name, reduced to their facts on arrival. */
    private Listed list(String namespace) {
        SecretList list = client.secrets().inNamespace(namespace)
                .list(new ListOptionsBuilder().withLimit((long) maxListed).build());
        List<Secret> items = list.getItems() == null ? List.of() : list.getItems();
        boolean more = items.size() > maxListed
                || (list.getMetadata() != null && list.getMetadata().getContinue() != null
                        && !list.getMetadata().getContinue().isEmpty());
        List<SecretFacts> facts = items.stream().limit(maxListed).map(SecretFacts::of)
                .sorted(Comparator.comparing(SecretFacts::name)).toList();
        return new Listed(facts, more);
    }

    /** The level the baseline gives a failing secret control (explicit, else from its cap against the minimum). */
    static ControlLevel level(GradePolicy grading, String control) {
        return grading.levelOf(control, Optional.of(SecretControls.cap(control)));
    }

    static Optional<Instant> lastModified(SealedSecret s) {
        return Timestamps.instant(s.getStatus() == null ? null : s.getStatus().lastModified);
    }
}
