package dev.vigil.baseline;

import dev.vigil.probe.ServiceEndpoint;
import java.util.Optional;

/**
 * One service a baseline covers: where it lives (namespace, and the object it comes from — absent for an
 * explicit target), how the prober reaches it, and the Gateway listener it is served by (absent but for HTTPRoutes).
 */
public record ServiceTarget(String namespace, Optional<SourceRef> source, ServiceEndpoint endpoint,
        Optional<ListenerRef> listener) {

    public ServiceTarget(String namespace, Optional<SourceRef> source, ServiceEndpoint endpoint) {
        this(namespace, source, endpoint, Optional.empty());
    }

    /** The object a service comes from, e.g. {@code ingress/storefront}: Events go there. */
    public record SourceRef(String kind, String name) {

        public static final String INGRESS = "Ingress";
        public static final String HTTP_ROUTE = "HTTPRoute";

        @Override
        public String toString() {
            return kind.toLowerCase(java.util.Locale.ROOT) + "/" + name;
        }
    }

    public String host() {
        return endpoint.host();
    }

    public String key() {
        return endpoint.key();
    }

    public Optional<String> ingress() {
        return source.filter(s -> SourceRef.INGRESS.equals(s.kind())).map(SourceRef::name);
    }
}
