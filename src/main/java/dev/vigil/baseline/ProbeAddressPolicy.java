package dev.vigil.baseline;

import dev.vigil.kube.ApiServerAddresses;
import dev.vigil.probe.AddressPolicy;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.List;
import org.jboss.logging.Logger;

/** The one address policy every probe of the operator uses, from its settings and the API server's addresses. */
public class ProbeAddressPolicy {

    private static final Logger LOG = Logger.getLogger(ProbeAddressPolicy.class);

    @Produces
    @Singleton
    AddressPolicy addressPolicy(BaselineSettings settings, ApiServerAddresses apiServer) {
        List<String> unsafe = settings.unsafeAllowCidrs().orElse(List.of());
        if (!unsafe.isEmpty()) {
            LOG.warnf("UNSAFE: vigil.baselines.unsafe-allow-cidrs=%s exempts these ranges from the always-denied list "
                    + "(loopback, metadata, the API server): baselines can make the operator probe them. For tests only.", unsafe);
        }
        return AddressPolicy.of(new AddressPolicy.Settings(settings.denyCidrs().orElse(List.of()),
                settings.allowCidrs().orElse(List.of()), unsafe, apiServer.addresses()));
    }
}
