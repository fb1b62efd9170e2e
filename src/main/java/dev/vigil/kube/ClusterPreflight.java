package dev.vigil.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.File;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Before the operator starts its informers, one request to the API server's {@code /version}: when no
 * cluster answers, the operator stops with one line that says which API server it tried, where that
 * address came from (a kubeconfig file and context, the pod's service account, or configuration) and
 * what to do, and exits 1 — instead of twenty seconds of informer retries and some 300 lines of stack
 * traces. Quarkus prints a start-up {@link ConfigurationException}'s message alone, without a trace, and
 * exits 1 (its {@code PreventFurtherStepsException} would do the same, but leaves the JVM hanging when
 * thrown from a start-up observer).
 */
@ApplicationScoped
public class ClusterPreflight {

    /** Runs before the operator SDK starts its controllers (its start-up observer has priority 3123). */
    static final int BEFORE_OPERATOR_START = 100;
    /**
     * One attempt, bounded: the client's own retries (exponential back-off, ten attempts) would keep a
     * misconfigured operator silent for about two minutes. In a pod, the kubelet restarts it anyway.
     */
    static final int TIMEOUT_MILLIS = 10_000;

    private final KubernetesClient client;
    private final boolean enabled;

    public ClusterPreflight(KubernetesClient client, @ConfigProperty(name = "vigil.cluster-preflight", defaultValue = "true") boolean enabled) {
        this.client = client;
        this.enabled = enabled;
    }

    void onStart(@Observes @Priority(BEFORE_OPERATOR_START) StartupEvent event) {
        if (!enabled) {
            return;
        }
        Optional<String> problem = unreachable();
        if (problem.isPresent()) {
            throw new ConfigurationException(problem.get());
        }
    }

    /** Why the API server cannot be used, or empty when it answered (any answer but a refused login). */
    Optional<String> unreachable() {
        Config config = client.getConfiguration();
        String source = source(config);
        Config once = new ConfigBuilder(config).withRequestRetryBackoffLimit(0)
                .withConnectionTimeout(TIMEOUT_MILLIS).withRequestTimeout(TIMEOUT_MILLIS).build();
        try (KubernetesClient probe = new KubernetesClientBuilder().withConfig(once).build()) {
            probe.getKubernetesVersion();
            return Optional.empty();
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_UNAUTHORIZED) {
                return Optional.of("Vigil cannot start: the Kubernetes API server at " + config.getMasterUrl() + " (" + source
                        + ") rejected the credentials (401 Unauthorized). Refresh the kubeconfig's credentials, or check the"
                        + " operator's ServiceAccount token.");
            }
            if (e.getCode() > 0) {
                return Optional.empty(); // it answered: whatever else is wrong, the operator reports it itself
            }
            return Optional.of("Vigil cannot start: no Kubernetes API server answered at " + config.getMasterUrl() + " (" + source
                    + "): " + reason(e) + ". " + advice(config));
        }
    }

    static String source(Config config) {
        File kubeconfig = config.getFile();
        if (kubeconfig != null) {
            String context = config.getCurrentContext() == null ? null : config.getCurrentContext().getName();
            return "from kubeconfig " + kubeconfig + (context == null ? "" : ", context " + context);
        }
        if (System.getenv(Config.KUBERNETES_SERVICE_HOST_PROPERTY) != null) {
            return "in-cluster, from the pod's service account";
        }
        if (Config.DEFAULT_MASTER_URL.equals(stripSlash(config.getMasterUrl()))) {
            return "the in-cluster default: no kubeconfig found ($KUBECONFIG, ~/.kube/config) and not running in a pod";
        }
        return "from configuration (quarkus.kubernetes-client.api-server-url or kubernetes.master)";
    }

    private static String advice(Config config) {
        if (config.getFile() != null) {
            return "Start the cluster or switch context (`kubectl --kubeconfig " + config.getFile() + " cluster-info` must answer),"
                    + " or point KUBECONFIG at a running cluster. The `vigil` commands (decrypt, seal, scan …) need no cluster.";
        }
        if (System.getenv(Config.KUBERNETES_SERVICE_HOST_PROPERTY) != null) {
            return "Check the pod's network policy and that the API server is reachable from the operator's namespace.";
        }
        return "Create a cluster (e.g. `kind create cluster`) or set KUBECONFIG, then start again. The `vigil` commands"
                + " (decrypt, seal, scan …) need no cluster.";
    }

    /** The root cause in a few words (never a credential: these are connection errors). */
    static String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof UnknownHostException) {
            return "unknown host " + root.getMessage();
        }
        if (root instanceof NoRouteToHostException) {
            return "no route to host";
        }
        if (root instanceof ConnectException) {
            return "connection refused";
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.length() > 160 ? message.substring(0, 160) : message;
    }

    private static String stripSlash(String url) {
        return url != null && url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
