package dev.vigil.baseline;

import dev.vigil.baseline.ListenerRef.SecretRef;
import dev.vigil.grade.service.CertificateExpectation;
import dev.vigil.probe.tls.Fingerprints;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The certificates Gateway listeners reference, as leaf fingerprints. TLS Secrets are read on demand — one GET per
 * Secret after each new probe of a service that uses it, so the expectation is never older than the findings it is
 * compared with — and only the leaf's SHA-256 is kept, remembered by the Secret's resourceVersion (an unchanged
 * Secret is not parsed again). No informer caches TLS Secrets, and no key is ever kept, logged or reported.
 */
@ApplicationScoped
public class ListenerCertificates {

    /** Entries no service asked for in this long are dropped (the Secret's listener is gone). */
    static final Duration FORGET_AFTER = Duration.ofHours(1);

    /** What one read of a Secret gave: its leaf fingerprint, or why there is none. */
    private record Entry(String resourceVersion, Optional<String> fingerprint, Optional<String> problem, Instant fetchedAt,
            Instant lastUsed) {
        Entry used(Instant now) {
            return new Entry(resourceVersion, fingerprint, problem, fetchedAt, now);
        }
    }

    private final KubernetesClient client;
    private final Clock clock;
    private final Map<SecretRef, Entry> entries = new ConcurrentHashMap<>();

    @Inject
    public ListenerCertificates(KubernetesClient client) {
        this(client, Clock.systemUTC());
    }

    ListenerCertificates(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    /**
     * What the listener is configured to serve, read no earlier than {@code notBefore} (the findings' probe time).
     * Nothing for a listener that terminates no TLS or references nothing.
     */
    CertificateExpectation expectation(ListenerRef listener, Instant notBefore) {
        if (!listener.expectsCertificate()) {
            return CertificateExpectation.NONE;
        }
        Instant now = clock.instant();
        entries.entrySet().removeIf(e -> e.getValue().lastUsed().isBefore(now.minus(FORGET_AFTER)));
        List<String> fingerprints = new ArrayList<>();
        List<String> problems = new ArrayList<>(listener.refProblems());
        for (SecretRef ref : listener.certificates()) {
            Entry cached = entries.get(ref);
            // Two reconciles may read the same Secret at once; either answer is right, the last one stays.
            Entry entry = cached != null && !cached.fetchedAt().isBefore(notBefore) ? cached.used(now) : read(ref, cached, now);
            entries.put(ref, entry);
            entry.fingerprint().ifPresent(fingerprints::add);
            entry.problem().ifPresent(problems::add);
        }
        return new CertificateExpectation(listener.toString(), fingerprints, problems);
    }

    private Entry read(SecretRef ref, Entry cached, Instant now) {
        Secret secret;
        try {
            secret = client.secrets().inNamespace(ref.namespace()).withName(ref.name()).get();
        } catch (KubernetesClientException e) {
            // Not remembered as read: the next reconcile asks again.
            return new Entry("", Optional.empty(), Optional.of("Secret " + ref + " could not be read (HTTP " + e.getCode() + ")"),
                    Instant.EPOCH, now);
        }
        if (secret == null) {
            return new Entry("", Optional.empty(), Optional.of("Secret " + ref + " does not exist"), now, now);
        }
        String version = secret.getMetadata().getResourceVersion();
        if (cached != null && version != null && version.equals(cached.resourceVersion())) {
            return new Entry(version, cached.fingerprint(), cached.problem(), now, now);
        }
        String encoded = secret.getData() == null ? null : secret.getData().get("tls.crt");
        if (encoded == null) {
            return new Entry(version, Optional.empty(), Optional.of("Secret " + ref + " has no tls.crt"), now, now);
        }
        Optional<String> fingerprint;
        try {
            fingerprint = Fingerprints.leafOfPem(Base64.getMimeDecoder().decode(encoded));
        } catch (IllegalArgumentException e) {
            fingerprint = Optional.empty();
        }
        return new Entry(version, fingerprint,
                fingerprint.isPresent() ? Optional.empty() : Optional.of("tls.crt of Secret " + ref + " holds no certificate"),
                now, now);
    }
}
