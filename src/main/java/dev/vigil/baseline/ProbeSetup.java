package dev.vigil.baseline;

import dev.vigil.grade.observatory.HstsPreloadList;
import dev.vigil.grade.service.ServiceGrader;
import dev.vigil.probe.AddressPolicy;
import dev.vigil.probe.ServiceProbe;
import dev.vigil.probe.Trust;
import dev.vigil.probe.http.HttpProber;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/** Builds the prober and the grader once from the operator's settings: CA bundles, address policy, HSTS preload list. */
@ApplicationScoped
public class ProbeSetup {

    private static final Logger LOG = Logger.getLogger(ProbeSetup.class);

    @Produces
    @Singleton
    ServiceProbe serviceProbe(BaselineSettings settings, AddressPolicy addressPolicy) {
        List<X509Certificate> cas = new ArrayList<>();
        for (String bundle : settings.caBundles().orElse(List.of())) {
            try {
                cas.addAll(Trust.readPem(Path.of(bundle)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read CA bundle " + bundle, e);
            }
        }
        // Said once: the JDK engine works everywhere but costs twice the CPU per probe (HttpProber.TLS_ENGINE).
        LOG.infof("HTTP probes handshake with %s; %d extra CA certificates trusted", HttpProber.TLS_ENGINE, cas.size());
        return new ServiceProbe(new ServiceProbe.Config(cas, addressPolicy, settings.aiaFetch()));
    }

    void close(@Disposes ServiceProbe probe) {
        probe.close();
    }

    @Produces
    @Singleton
    ServiceGrader serviceGrader(BaselineSettings settings) {
        try {
            return new ServiceGrader(settings.hstsPreloadList().isPresent()
                    ? HstsPreloadList.load(Path.of(settings.hstsPreloadList().get())) : HstsPreloadList.empty());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the HSTS preload list", e);
        }
    }
}
