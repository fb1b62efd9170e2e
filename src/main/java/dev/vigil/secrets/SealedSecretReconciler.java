package dev.vigil.secrets;

import dev.vigil.kube.Conditions;
import dev.vigil.kube.DeletionSweep;
import dev.vigil.kube.EventRecorder;
import dev.vigil.kube.OperatorNamespace;
import dev.vigil.metrics.VigilMetrics;
import dev.vigil.sops.DecryptedDocument;
import dev.vigil.sops.SopsDecryptor;
import dev.vigil.sops.SopsException;
import dev.vigil.sops.SopsFormat;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Turns a SealedSecret into its Secret. Every failure leaves the last good Secret untouched and
 * is reported as the Ready condition's reason, a Warning Event on the transition and a metric.
 * A deleted SealedSecret is forgotten by the {@link DeletionSweep} (the deletion branch of {@link #reconcile} runs
 * only where the SDK honours {@code triggerReconcilerOnAllEvents}).
 */
@ControllerConfiguration(name = "sealedsecret", triggerReconcilerOnAllEvents = true)
public class SealedSecretReconciler implements Reconciler<SealedSecret> {

    static final String READY = "Ready";
    /** True while the document is opened by a key from a retiring key Secret and no current key could open it. */
    static final String KEY_RETIRING = "KeyRetiring";
    /** KeyRetiring True: re-encrypt to a current key before the retiring key Secret is removed. */
    static final String RETIRING_KEY = "RetiringKey";
    /** KeyRetiring False: every key that opened the document is current. */
    static final String CURRENT_KEY = "CurrentKey";
    static final String KEYS_SOURCE = "decryption-keys";
    static final String MANAGED_SOURCE = "managed-secrets";
    private static final Logger LOG = Logger.getLogger(SealedSecretReconciler.class);

    private final OperatorNamespace operatorNamespace;
    private final SecretWriter writer;
    private final EventRecorder events;
    private final SealedSecretSettings settings;
    private final SealedSecretStates states;
    private final Clock clock = Clock.systemUTC();

    private final DeletionSweep<SealedSecret> deletions;

    public SealedSecretReconciler(OperatorNamespace operatorNamespace, SecretWriter writer, EventRecorder events,
            SealedSecretSettings settings, VigilMetrics metrics,
            @ConfigProperty(name = "vigil.deletion-sweep-interval", defaultValue = "30s") Duration deletionSweepInterval) {
        this.operatorNamespace = operatorNamespace;
        this.writer = writer;
        this.events = events;
        this.settings = settings;
        this.states = new SealedSecretStates(metrics);
        this.deletions = new DeletionSweep<>("sealedsecret", deletionSweepInterval, this::forget);
    }

    /** Drops the metrics and write memo of a SealedSecret that is gone (its Secret goes with it: owner reference). */
    private void forget(SealedSecret resource) {
        states.forget(ResourceID.fromResource(resource));
        writer.forget(resource.getMetadata().getNamespace(), resource.getMetadata().getName());
    }

    /** Before the operator stops its informers: an emptied cache must not read as every object deleted. */
    void stopSweeping(@Observes @Priority(1) ShutdownEvent event) {
        deletions.close();
    }

    @Override
    public List<EventSource<?, SealedSecret>> prepareEventSources(EventSourceContext<SealedSecret> context) {
        var keys = InformerEventSourceConfiguration.from(Secret.class, SealedSecret.class)
                .withName(KEYS_SOURCE)
                .withNamespaces(operatorNamespace.name())
                .withLabelSelector(KeySecrets.LABEL + "=" + KeySecrets.LABEL_VALUE)
                // A new or changed key retries every SealedSecret that is not Ready, and those its keys opened (which
                // may now be retiring, or no longer): their KeyRetiring condition follows the key Secret's label.
                .withSecondaryToPrimaryMapper(key -> {
                    Set<String> held = KeySecrets.inventory(List.of(key)).keySet();
                    return context.getPrimaryCache().list()
                            .filter(s -> s.getStatus() == null || !Conditions.isTrue(s.getStatus().conditions, READY)
                                    || SealedSecretStates.openingKeys(s.getStatus().openedBy).stream().anyMatch(held::contains))
                            .map(ResourceID::fromResource)
                            .collect(Collectors.toSet());
                })
                .build();
        var managed = InformerEventSourceConfiguration.from(Secret.class, SealedSecret.class)
                .withName(MANAGED_SOURCE)
                .withLabelSelector(SecretWriter.MANAGED_BY_LABEL + "=" + SecretWriter.MANAGED_BY)
                .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(SealedSecret.class))
                // The cache keeps what tells whether a write may be needed, not every managed Secret's cleartext.
                .withItemStore(new TransformingItemStore<>(SealedSecretReconciler::withoutData))
                .build();
        deletions.watch(context.getPrimaryCache());
        return List.of(new InformerEventSource<>(keys, context), new InformerEventSource<>(managed, context));
    }

    static final Duration RECHECK_AFTER_STATUS_WRITE = Duration.ofSeconds(1);

    @Override
    public UpdateControl<SealedSecret> reconcile(SealedSecret resource, Context<SealedSecret> context) {
        if (context.isPrimaryResourceDeleted()) {
            deletions.drop(resource);
            forget(resource);
            return UpdateControl.noUpdate();
        }
        SealedSecretStatus previous = resource.getStatus() == null ? new SealedSecretStatus() : resource.getStatus();
        List<Secret> keySecrets = keySecrets(context);
        states.keySecrets(keySecrets);
        SealedSecretStatus next = attempt(resource, keySecrets, managedSecret(context, resource), previous);
        states.record(resource, next);
        deletions.record(resource);
        if (next.equals(previous)) {
            return UpdateControl.noUpdate();
        }
        resource.setStatus(next);
        // The operator SDK takes the patched object's resourceVersion as its own write and raises no event for it. If
        // the spec changed while the watch was down, that newer version is the only one the informer will ever
        // see, so the change would wait for the next resync: look once more at the patched object.
        return UpdateControl.patchStatus(resource).rescheduleAfter(RECHECK_AFTER_STATUS_WRITE);
    }

    private SealedSecretStatus attempt(SealedSecret resource, List<Secret> keySecrets, Optional<Secret> cachedSecret,
            SealedSecretStatus previous) {
        String namespace = resource.getMetadata().getNamespace();
        String name = resource.getMetadata().getName();
        try {
            SealedSecretSpec spec = resource.getSpec();
            if (spec == null || spec.document == null || spec.document.isBlank()) {
                throw new PayloadException(Outcome.InvalidDocument, "spec.document is empty");
            }
            SopsFormat format = spec.format == null ? FormatInference.infer(spec.document, spec.binaryKey)
                    : SopsFormat.parse(spec.format);
            KeySecrets.Served keys = KeySecrets.keyringFor(namespace, keySecrets);
            DecryptedDocument document;
            try {
                document = SopsDecryptor.decrypt(spec.document.getBytes(StandardCharsets.UTF_8), format, keys.keyring());
            } catch (SopsException e) {
                if (e.errorClass() == SopsException.ErrorClass.DATA_KEY_UNAVAILABLE && !keys.unannotated().isEmpty()) {
                    throw new SopsException(e.errorClass(), e.getMessage() + "; key Secrets without " + KeySecrets.ALLOWED_NAMESPACES
                            + " serve no namespace: " + String.join(", ", keys.unannotated()));
                }
                throw e;
            }
            SecretPayload payload = SecretPayloads.from(document, spec.binaryKey);
            ScopeRules.Decision scope = ScopeRules.decide(payload.binding(), keys.openingKeys(document.keySources()),
                    namespace, name, settings.allowUnbound());
            if (!scope.allowed()) {
                throw new PayloadException(scope.verdict().outcome(), scope.message());
            }
            SecretTemplates.check(spec, payload);
            SecretWriter.Result written = writer.write(resource, payload, cachedSecret);
            return succeeded(resource, previous, document, payload, written, keys);
        } catch (SopsException e) {
            return failed(resource, previous, outcomeOf(e), e.getMessage());
        } catch (PayloadException e) {
            return failed(resource, previous, e.outcome(), e.getMessage());
        } catch (RevisionKey.InvalidKey e) {
            return failed(resource, previous, Outcome.SecretWriteFailed, e.getMessage());
        }
    }

    private SealedSecretStatus succeeded(SealedSecret resource, SealedSecretStatus previous, DecryptedDocument document,
            SecretPayload payload, SecretWriter.Result written, KeySecrets.Served keys) {
        Instant now = clock.instant();
        boolean wasReady = Conditions.isTrue(previous.conditions, READY);
        SealedSecretStatus status = new SealedSecretStatus();
        status.observedGeneration = resource.getMetadata().getGeneration();
        status.secretName = resource.getMetadata().getName();
        status.dataKeys = new ArrayList<>(payload.data().keySet());
        status.openedBy = document.openedBy();
        status.lastModified = document.lastModified();
        status.lastSuccessTime = written.changed() || !wasReady || previous.lastSuccessTime == null
                ? now.toString() : previous.lastSuccessTime;
        // No revision here: status and Events are readable by more people than the Secret, and a revision is a
        // function of the cleartext.
        String message = "Secret " + status.secretName + " holds " + status.dataKeys.size() + " keys";
        status.conditions = Conditions.with(previous.conditions, READY, true, Outcome.Decrypted.name(), message,
                status.observedGeneration, now);
        status.conditions = keyRetiring(resource, status, document, keys, now);
        states.decryption(resource, Outcome.Decrypted);
        if (written.changed()) {
            String rolled = written.rolledWorkloads().isEmpty() ? ""
                    : "; rolled " + String.join(", ", written.rolledWorkloads());
            events.normal(resource, written.created() ? "SecretCreated" : "SecretUpdated", message + rolled);
            LOG.infof("SealedSecret %s/%s: %s%s", resource.getMetadata().getNamespace(), status.secretName,
                    written.created() ? "created Secret" : "updated Secret", rolled);
        } else if (!wasReady) {
            events.normal(resource, Outcome.Decrypted.name(), message);
        }
        return status;
    }

    /**
     * The KeyRetiring condition after a successful decryption, with a Warning Event when it turns True. Retiring
     * keys are tried last, so a retiring key that opened the document is one no current key of its scope replaces.
     */
    private List<Condition> keyRetiring(SealedSecret resource, SealedSecretStatus status, DecryptedDocument document,
            KeySecrets.Served keys, Instant now) {
        List<String> sources = document.keySources();
        List<String> recipients = SealedSecretStates.openingKeys(document.openedBy());
        List<String> retiring = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            if (keys.retiringSources().contains(sources.get(i))) {
                retiring.add((i < recipients.size() ? recipients.get(i) : "a key") + " (key Secret "
                        + sources.get(i).substring(0, sources.get(i).indexOf('/')) + ")");
            }
        }
        boolean wasRetiring = Conditions.isTrue(status.conditions, KEY_RETIRING);
        if (retiring.isEmpty()) {
            return Conditions.with(status.conditions, KEY_RETIRING, false, CURRENT_KEY,
                    "opened by current keys only", status.observedGeneration, now);
        }
        String message = "opened by " + String.join(", ", retiring) + ", labelled " + KeySecrets.RETIRING_LABEL
                + "=true, and by no current key; re-encrypt the document to a current key (vigil rekey)";
        if (!wasRetiring) {
            events.warning(resource, RETIRING_KEY, message);
            LOG.warnf("SealedSecret %s/%s: %s", resource.getMetadata().getNamespace(), resource.getMetadata().getName(), message);
        }
        return Conditions.with(status.conditions, KEY_RETIRING, true, RETIRING_KEY, message, status.observedGeneration, now);
    }

    private SealedSecretStatus failed(SealedSecret resource, SealedSecretStatus previous, Outcome outcome, String message) {
        Instant now = clock.instant();
        SealedSecretStatus status = new SealedSecretStatus();
        status.observedGeneration = resource.getMetadata().getGeneration();
        status.secretName = previous.secretName;
        status.dataKeys = previous.dataKeys;
        status.openedBy = previous.openedBy;
        status.lastModified = previous.lastModified;
        status.lastSuccessTime = previous.lastSuccessTime;
        status.conditions = Conditions.with(previous.conditions, READY, false, outcome.name(), message,
                status.observedGeneration, now);
        states.decryption(resource, outcome);
        if (!status.conditions.equals(previous.conditions)) {
            events.warning(resource, outcome.name(), message);
            LOG.warnf("SealedSecret %s/%s: %s: %s", resource.getMetadata().getNamespace(),
                    resource.getMetadata().getName(), outcome, message);
        }
        return status;
    }

    static Outcome outcomeOf(SopsException e) {
        return switch (e.errorClass()) {
            case DATA_KEY_UNAVAILABLE -> Outcome.NoMatchingKey;
            case VALUE_DECRYPT_FAILED -> Outcome.ValueDecryptFailed;
            case MAC_MISMATCH -> Outcome.MacMismatch;
            case INVALID_DOCUMENT -> Outcome.InvalidDocument;
            case KEY_UNSUPPORTED -> Outcome.NoMatchingKey; // keys are loaded (and their errors logged) before decryption
        };
    }

    /** What the managed-Secret cache keeps: everything but the data. */
    static Secret withoutData(Secret secret) {
        return new SecretBuilder(secret).withData(null).withStringData(null).build();
    }

    @SuppressWarnings("unchecked")
    private Optional<Secret> managedSecret(Context<SealedSecret> context, SealedSecret resource) {
        var source = (InformerEventSource<Secret, SealedSecret>) context.eventSourceRetriever()
                .getEventSourceFor(Secret.class, MANAGED_SOURCE);
        return source.get(ResourceID.fromResource(resource));
    }

    @SuppressWarnings("unchecked")
    private List<Secret> keySecrets(Context<SealedSecret> context) {
        var source = (InformerEventSource<Secret, SealedSecret>) context.eventSourceRetriever()
                .getEventSourceFor(Secret.class, KEYS_SOURCE);
        return source.list(operatorNamespace.name(), s -> true).toList();
    }
}
