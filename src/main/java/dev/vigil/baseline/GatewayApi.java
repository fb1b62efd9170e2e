package dev.vigil.baseline;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.jboss.logging.Logger;

/**
 * Which Gateway API kinds the cluster serves, asked of discovery once when the reconciler registers its event
 * sources: Gateway API is optional, and without its CRDs Vigil watches nothing of it and says so once.
 *
 * @param routes Gateway and HTTPRoute (v1) are served
 * @param referenceGrants ReferenceGrant (v1beta1) is served; without it a cross-namespace certificateRef is not permitted
 */
record GatewayApi(boolean routes, boolean referenceGrants) {

    static final GatewayApi ABSENT = new GatewayApi(false, false);
    private static final Logger LOG = Logger.getLogger(SecurityBaselineReconciler.class);

    static GatewayApi discover(KubernetesClient client) {
        try {
            boolean routes = client.supports(HTTPRoute.class) && client.supports(Gateway.class);
            GatewayApi found = new GatewayApi(routes, routes && client.supports(ReferenceGrant.class));
            if (!routes) {
                LOG.info("Gateway API (gateway.networking.k8s.io/v1 Gateway, HTTPRoute) is not installed: "
                        + "SecurityBaselines cover Ingresses and URLs only; restart Vigil after installing it");
            } else if (!found.referenceGrants()) {
                LOG.info("Gateway API ReferenceGrant (v1beta1) is not served: cross-namespace certificateRefs count as not permitted");
            }
            return found;
        } catch (KubernetesClientException e) {
            LOG.infof("Gateway API discovery failed (HTTP %d): SecurityBaselines cover Ingresses and URLs only", e.getCode());
            return ABSENT;
        }
    }
}
