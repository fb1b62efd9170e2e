package dev.vigil.baseline;

import dev.vigil.secrets.SealedSecret;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The gather step of a baseline: which cluster objects wake which baselines (the informers), and what one reconcile
 * reads from them — the Ingresses, HTTPRoutes, Gateways, grants and namespace labels, turned into the baseline's
 * {@link ServiceTarget}s by {@link IngressTargets} and {@link GatewayTargets}. Everything is read from the informers'
 * caches; nothing here calls the API server during a reconcile.
 */
final class BaselineSources {

    static final String INGRESSES = "ingresses";
    static final String NAMESPACES = "namespaces";
    static final String HTTP_ROUTES = "httproutes";
    static final String GATEWAYS = "gateways";
    static final String REFERENCE_GRANTS = "referencegrants";
    static final String SEALED_SECRETS = "sealedsecrets";

    /**
     * One reconcile's view: the targets, the Ingresses the admission audit reads, the UIDs reports reference, and the
     * namespaces and SealedSecrets its secret hygiene judges.
     */
    record Gathered(List<ServiceTarget> targets, List<Ingress> ingresses, Map<String, String> uids, SecretScope secrets) {
    }

    /** The namespaces a baseline covers as a whole, and their SealedSecrets (status and metadata; no document). */
    record SecretScope(Set<String> namespaces, List<SealedSecret> sealedSecrets) {
    }

    private final Function<SecurityBaseline, BaselinePolicy> policy;
    private volatile boolean watchesNamespaces = true;
    private volatile GatewayApi gatewayApi = GatewayApi.ABSENT;

    BaselineSources(Function<SecurityBaseline, BaselinePolicy> policy) {
        this.policy = policy;
    }

    /** The informers, each mapping a change to the baselines whose scope it is in. */
    List<EventSource<?, SecurityBaseline>> prepare(EventSourceContext<SecurityBaseline> context) {
        List<EventSource<?, SecurityBaseline>> sources = new ArrayList<>();
        sources.add(informer(context, Ingress.class, INGRESSES,
                ingress -> baselines(context, p -> p.scope().watches(ingress.getMetadata().getNamespace()))));
        // A namespaced install (Roles only) cannot list Namespaces: there namespaceSelector finds nothing.
        watchesNamespaces = context.getControllerConfiguration().getInformerConfig().watchAllNamespaces();
        if (watchesNamespaces) {
            sources.add(informer(context, Namespace.class, NAMESPACES,
                    ns -> baselines(context, p -> p.scope().namespaceSelector().isPresent())));
        }
        gatewayApi = GatewayApi.discover(context.getClient());
        if (gatewayApi.routes()) {
            sources.add(informer(context, HTTPRoute.class, HTTP_ROUTES, route -> baselines(context,
                    p -> p.scope().routeSelector().isPresent() && p.scope().watches(route.getMetadata().getNamespace()))));
            // A Gateway or a grant may be anywhere: every baseline that covers routes hears of it.
            sources.add(informer(context, Gateway.class, GATEWAYS,
                    gateway -> baselines(context, p -> p.scope().routeSelector().isPresent())));
        }
        // A SealedSecret's document age (status.lastModified) wakes the baselines judging secret hygiene there.
        sources.add(new InformerEventSource<>(InformerEventSourceConfiguration.from(SealedSecret.class, SecurityBaseline.class)
                .withName(SEALED_SECRETS)
                .withSecondaryToPrimaryMapper((SealedSecret sealed) -> baselines(context,
                        p -> p.secrets().judged() && p.scope().watches(sealed.getMetadata().getNamespace())))
                // The grade reads status and metadata: the cache does not keep a second copy of every document.
                .withItemStore(new TransformingItemStore<>(BaselineSources::withoutDocument))
                .build(), context));
        if (gatewayApi.referenceGrants()) {
            sources.add(informer(context, ReferenceGrant.class, REFERENCE_GRANTS,
                    grant -> baselines(context, p -> p.scope().routeSelector().isPresent())));
        }
        return sources;
    }

    private static <R extends HasMetadata> InformerEventSource<R, SecurityBaseline> informer(
            EventSourceContext<SecurityBaseline> context, Class<R> kind, String name, Function<R, Set<ResourceID>> toBaselines) {
        return new InformerEventSource<>(InformerEventSourceConfiguration.from(kind, SecurityBaseline.class)
                .withName(name)
                .withSecondaryToPrimaryMapper(toBaselines::apply)
                .build(), context);
    }

    private Set<ResourceID> baselines(EventSourceContext<SecurityBaseline> context, Predicate<BaselinePolicy> interested) {
        return context.getPrimaryCache().list()
                .filter(b -> interested.test(policy.apply(b)))
                .map(ResourceID::fromResource)
                .collect(Collectors.toSet());
    }

    /** The services the baseline covers now, from the informers' caches. */
    Gathered gather(Context<SecurityBaseline> context, BaselinePolicy policy) {
        List<Ingress> ingresses = list(context, Ingress.class, INGRESSES);
        Map<String, Map<String, String>> namespaceLabels = namespaceLabels(context);
        List<ServiceTarget> targets = new ArrayList<>(IngressTargets.of(policy, ingresses, namespaceLabels));
        List<HTTPRoute> routes = gatewayApi.routes() ? list(context, HTTPRoute.class, HTTP_ROUTES) : List.of();
        if (gatewayApi.routes() && policy.scope().routeSelector().isPresent()) {
            targets.addAll(GatewayTargets.of(policy, routes, list(context, Gateway.class, GATEWAYS),
                    gatewayApi.referenceGrants() ? list(context, ReferenceGrant.class, REFERENCE_GRANTS) : List.of(), namespaceLabels));
        }
        Map<String, String> uids = new HashMap<>();
        ingresses.forEach(i -> uids.put(uidKey(ServiceTarget.SourceRef.INGRESS, i), i.getMetadata().getUid()));
        routes.forEach(r -> uids.put(uidKey(ServiceTarget.SourceRef.HTTP_ROUTE, r), r.getMetadata().getUid()));
        return new Gathered(targets, ingresses, uids, secretScope(context, policy, namespaceLabels));
    }

    /** The namespaces the baseline covers whole, for its secret hygiene; read only when it judges some. */
    private SecretScope secretScope(Context<SecurityBaseline> context, BaselinePolicy policy,
            Map<String, Map<String, String>> namespaceLabels) {
        if (!policy.secrets().judged()) {
            return new SecretScope(Set.of(), List.of());
        }
        Set<String> namespaces = new java.util.TreeSet<>();
        namespaces.add(policy.scope().home());
        namespaceLabels.forEach((name, labels) -> {
            if (policy.scope().coversNamespace(name, labels)) {
                namespaces.add(name);
            }
        });
        List<SealedSecret> sealed = informer(context, SealedSecret.class, SEALED_SECRETS)
                .list(s -> namespaces.contains(s.getMetadata().getNamespace())).toList();
        return new SecretScope(Set.copyOf(namespaces), sealed);
    }

    static SealedSecret withoutDocument(SealedSecret sealed) {
        if (sealed.getSpec() == null || sealed.getSpec().document == null) {
            return sealed;
        }
        SealedSecret copy = new SealedSecret();
        copy.setMetadata(sealed.getMetadata());
        copy.setStatus(sealed.getStatus());
        return copy;
    }

    private static String uidKey(String kind, HasMetadata object) {
        return kind + "/" + object.getMetadata().getNamespace() + "/" + object.getMetadata().getName();
    }

    /** The Ingress or HTTPRoute a row's service comes from, for its Events. */
    Optional<? extends HasMetadata> source(Context<SecurityBaseline> context, ServiceRow row) {
        if (row.source() != null && row.source().startsWith("ingress/")) {
            return informer(context, Ingress.class, INGRESSES)
                    .get(new ResourceID(row.source().substring("ingress/".length()), row.namespace()));
        }
        if (row.source() != null && row.source().startsWith("httproute/") && gatewayApi.routes()) {
            return informer(context, HTTPRoute.class, HTTP_ROUTES)
                    .get(new ResourceID(row.source().substring("httproute/".length()), row.namespace()));
        }
        return Optional.empty();
    }

    private Map<String, Map<String, String>> namespaceLabels(Context<SecurityBaseline> context) {
        if (!watchesNamespaces) {
            return Map.of();
        }
        Map<String, Map<String, String>> labels = new HashMap<>();
        list(context, Namespace.class, NAMESPACES).forEach(n -> labels.put(n.getMetadata().getName(),
                n.getMetadata().getLabels() == null ? Map.of() : n.getMetadata().getLabels()));
        return labels;
    }

    @SuppressWarnings("unchecked")
    private static <R extends HasMetadata> InformerEventSource<R, SecurityBaseline> informer(Context<SecurityBaseline> context,
            Class<R> kind, String name) {
        return (InformerEventSource<R, SecurityBaseline>) context.eventSourceRetriever().getEventSourceFor(kind, name);
    }

    private static <R extends HasMetadata> List<R> list(Context<SecurityBaseline> context, Class<R> kind, String name) {
        return informer(context, kind, name).list(r -> true).toList();
    }
}
