package dev.vigil.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The cluster's API server addresses, found once at start, for the probes' address policy: the
 * {@code kubernetes} Service's IP ({@code KUBERNETES_SERVICE_HOST}, set in every pod) and every address
 * of the host in the client's master URL. A baseline must never turn the operator's probes, which run
 * with its network position, against the API server.
 */
@ApplicationScoped
public class ApiServerAddresses {

    private static final Logger LOG = Logger.getLogger(ApiServerAddresses.class);

    private final List<InetAddress> addresses;

    @Inject
    public ApiServerAddresses(KubernetesClient client) {
        this(Optional.ofNullable(System.getenv("KUBERNETES_SERVICE_HOST")), Optional.ofNullable(client.getConfiguration().getMasterUrl()));
    }

    ApiServerAddresses(Optional<String> serviceHost, Optional<String> masterUrl) {
        this.addresses = resolve(serviceHost, masterUrl);
    }

    public List<InetAddress> addresses() {
        return addresses;
    }

    /** Every address of both hosts; a host that does not resolve is logged and skipped (the other still counts). */
    static List<InetAddress> resolve(Optional<String> serviceHost, Optional<String> masterUrl) {
        List<String> hosts = new ArrayList<>();
        serviceHost.filter(h -> !h.isBlank()).ifPresent(hosts::add);
        masterUrl.filter(u -> !u.isBlank()).map(ApiServerAddresses::host).ifPresent(hosts::add);
        Set<InetAddress> all = new LinkedHashSet<>();
        for (String host : hosts) {
            try {
                all.addAll(List.of(InetAddress.getAllByName(host)));
            } catch (UnknownHostException e) {
                LOG.warnf("cannot resolve the API server host %s; it is not on the probes' deny list", host);
            }
        }
        return List.copyOf(all);
    }

    private static String host(String url) {
        try {
            String host = URI.create(url).getHost();
            return host == null ? null : host.replace("[", "").replace("]", "");
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
