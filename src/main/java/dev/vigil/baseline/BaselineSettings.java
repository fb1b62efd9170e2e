package dev.vigil.baseline;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

@ConfigMapping(prefix = "vigil.baselines")
public interface BaselineSettings {

    /** Probes running at once across the operator. */
    @WithDefault("16")
    int concurrency();

    /** Namespaces whose baselines may select Ingresses of other namespaces (default: the operator's own). */
    Optional<List<String>> trustedNamespaces();

    /** CIDR ranges never probed, on top of the always-denied ones (loopback, link-local, metadata, the API server). */
    Optional<List<String>> denyCidrs();

    /** Private ranges that baselines outside the trusted namespaces may name (by default only global addresses). */
    Optional<List<String>> allowCidrs();

    /** Ranges exempt from the always-denied list. Unsafe: for tests that probe 127.0.0.1; logged as a warning. */
    Optional<List<String>> unsafeAllowCidrs();

    /**
     * Fetch intermediates a server does not send from AIA caIssuers URLs (off: such chains are untrusted). The URL is
     * the probed server's choice, so the fetch meets the address policy as a redirect does.
     */
    @WithDefault("false")
    boolean aiaFetch();

    /** Extra CA bundles (PEM files) trusted on top of the system store. */
    Optional<List<String>> caBundles();

    /** Chromium's transport_security_state_static.json, for the Observatory's preload checks. */
    Optional<String> hstsPreloadList();

    /** Service rows kept in a baseline's status (worst first); the rest are counted. */
    @WithDefault("100")
    int maxRows();

    /** Failing controls listed per service row; the rest are counted. */
    @WithDefault("5")
    int maxFailingPerRow();

    /**
     * Secrets listed per covered namespace for a baseline's {@code sealedSecretsOnly} (metadata, type and key names are
     * kept; values never); beyond it the status says the list was cut.
     */
    @WithDefault("500")
    int maxSecretsListed();

    /** The shortest probe interval a baseline gets, whatever it asks: a tenant cannot make Vigil probe in a loop. */
    @WithDefault("1m")
    Duration minInterval();

    /** The longest probe budget a baseline gets, whatever it asks: one tenant's targets cannot hold the probe pool. */
    @WithDefault("60s")
    Duration maxTimeout();
}
