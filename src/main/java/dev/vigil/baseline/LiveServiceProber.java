package dev.vigil.baseline;

import dev.vigil.grade.observatory.HstsPreloadList;
import dev.vigil.grade.service.HttpPostures;
import dev.vigil.grade.service.ServiceFindings;
import dev.vigil.grade.service.TlsPostures;
import dev.vigil.probe.AddressPolicy;
import dev.vigil.probe.Trust;
import dev.vigil.probe.http.HttpFindings;
import dev.vigil.probe.http.HttpProber;
import dev.vigil.probe.http.HttpTarget;
import dev.vigil.probe.tls.TlsScanResult;
import dev.vigil.probe.tls.TlsScanner;
import dev.vigil.probe.tls.TlsTarget;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Probes a service for real: the TLS enumeration and the Observatory header fetch, each within half
 * of the service's budget, against the address already cleared by the address policy.
 */
@ApplicationScoped
public class LiveServiceProber implements ServiceProber {

    private final HttpProber http;
    private final TlsScanner.Config tlsConfig;
    private final HstsPreloadList preload;
    private final Clock clock = Clock.systemUTC();

    public LiveServiceProber(BaselineSettings settings, AddressPolicy addressPolicy) {
        List<X509Certificate> cas = new ArrayList<>();
        for (String bundle : settings.caBundles().orElse(List.of())) {
            try {
                cas.addAll(Trust.readPem(Path.of(bundle)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read CA bundle " + bundle, e);
            }
        }
        try {
            this.preload = settings.hstsPreloadList().isPresent() ? HstsPreloadList.load(Path.of(settings.hstsPreloadList().get()))
                    : HstsPreloadList.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the HSTS preload list", e);
        }
        this.tlsConfig = TlsScanner.Config.defaults().withExtraCas(cas);
        this.http = new HttpProber(HttpProber.Config.defaults().withExtraCas(cas)
                .withAddressPolicy(addressPolicy));
    }

    @Override
    public ServiceFindings probe(ServiceTarget target, InetAddress connectTo, Duration budget) {
        Duration half = budget.dividedBy(2);
        long start = System.nanoTime();
        TlsScanResult tls = new TlsScanner(tlsConfig.withBudget(half))
                .scan(new TlsTarget(target.host(), target.httpsPort(), Optional.of(connectTo)));
        Duration tlsElapsed = Duration.ofNanos(System.nanoTime() - start);
        long httpStart = System.nanoTime();
        HttpFindings findings = http.probe(new HttpTarget(target.host(), 443, target.path(), Optional.of(connectTo),
                target.httpsPort(), target.httpPort(), target.addressSource()), budget.minus(tlsElapsed));
        Duration httpElapsed = Duration.ofNanos(System.nanoTime() - httpStart);
        Optional<String> error = findings.autoSession().isEmpty() && !tls.tlsAvailable()
                ? Optional.of("no answer on " + connectTo.getHostAddress() + " for " + target.host()) : Optional.empty();
        return new ServiceFindings(clock.instant(), tlsElapsed, httpElapsed, TlsPostures.evidence(tls),
                HttpPostures.evidence(findings, preload), error, error.map(e -> "NoAnswer"));
    }

    @PreDestroy
    void close() {
        http.close();
    }
}
