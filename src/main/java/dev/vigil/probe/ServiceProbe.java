package dev.vigil.probe;

import dev.vigil.probe.http.HttpFindings;
import dev.vigil.probe.http.HttpProber;
import dev.vigil.probe.tls.AiaFetcher;
import dev.vigil.probe.tls.TlsScanResult;
import dev.vigil.probe.tls.TlsScanner;
import dev.vigil.probe.tls.TlsTarget;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Probes one service — the one probing path of the operator and {@code vigil scan}: resolves where to connect
 * once, checks that address against the address policy, then runs the TLS enumeration (half the budget) and the
 * HTTP Observatory sessions (the rest) against that very address, SNI and Host staying the service's host.
 */
public final class ServiceProbe implements AutoCloseable {

    /**
     * @param addressPolicy addresses never connected to, on the first hop, on every redirect and for AIA fetches
     * @param aiaFetch fetch intermediates a server does not send from its certificates' AIA URLs
     */
    public record Config(List<X509Certificate> extraCas, AddressPolicy addressPolicy, boolean aiaFetch) {
        public Config(List<X509Certificate> extraCas, AddressPolicy addressPolicy) {
            this(extraCas, addressPolicy, false);
        }
    }

    private final TlsScanner.Config tls;
    private final HttpProber http;
    private final AddressPolicy addressPolicy;
    private final Clock clock;

    public ServiceProbe(Config config) {
        this(config, Clock.systemUTC());
    }

    ServiceProbe(Config config, Clock clock) {
        this.tls = TlsScanner.Config.defaults().withExtraCas(config.extraCas())
                .withAia(config.aiaFetch() ? AiaFetcher.Settings.on(config.addressPolicy()) : AiaFetcher.Settings.OFF);
        this.http = new HttpProber(HttpProber.Config.defaults().withExtraCas(config.extraCas())
                .withAddressPolicy(config.addressPolicy()));
        this.addressPolicy = config.addressPolicy();
        this.clock = clock;
    }

    public ServiceFindings probe(ServiceEndpoint endpoint, Duration budget) {
        String connectHost = endpoint.connectHost().orElse(endpoint.host());
        InetAddress address;
        try {
            address = HostResolver.resolve(connectHost);
        } catch (UnknownHostException | SecurityException e) {
            return ServiceFindings.failed(clock.instant(), ProbeFailure.DNS_FAILURE, "cannot resolve " + connectHost);
        }
        // Decided before any connection, so the outcome says nothing about what listens there.
        AddressPolicy.Decision decision = addressPolicy.check(address, endpoint.source());
        if (!decision.allowed()) {
            return ServiceFindings.failed(clock.instant(), ProbeFailure.ADDRESS_DENIED, decision.message(address));
        }
        long start = System.nanoTime();
        TlsScanResult scan = new TlsScanner(tls.withBudget(budget.dividedBy(2)))
                .scan(new TlsTarget(endpoint.host(), endpoint.httpsConnectPort(), Optional.of(address), endpoint.source()));
        Duration tlsElapsed = Duration.ofNanos(System.nanoTime() - start);
        long httpStart = System.nanoTime();
        HttpFindings findings = http.probe(endpoint.httpTarget(address), budget.minus(tlsElapsed));
        Duration httpElapsed = Duration.ofNanos(System.nanoTime() - httpStart);
        Optional<ProbeFailure> failure = findings.autoSession().isEmpty() && !scan.tlsAvailable()
                ? Optional.of(new ProbeFailure(ProbeFailure.NO_ANSWER,
                        "no answer on " + address.getHostAddress() + " for " + endpoint.host()))
                : Optional.empty();
        return new ServiceFindings(clock.instant(), tlsElapsed, httpElapsed, Optional.of(scan), Optional.of(findings.compact()),
                failure);
    }

    /** Only the TLS half (for {@code vigil scan --tls-only}), within the whole budget. */
    public TlsScanResult scanTls(ServiceEndpoint endpoint, Duration budget) {
        Optional<InetAddress> address;
        try {
            address = Optional.of(HostResolver.resolve(endpoint.connectHost().orElse(endpoint.host())));
        } catch (UnknownHostException e) {
            address = Optional.empty();
        }
        return new TlsScanner(tls.withBudget(budget)).scan(new TlsTarget(endpoint.host(), endpoint.httpsConnectPort(), address,
                endpoint.source()));
    }

    @Override
    public void close() {
        http.close();
    }
}
