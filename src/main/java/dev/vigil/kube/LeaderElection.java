package dev.vigil.kube;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Leader election for more than one replica: a Lease in the operator's namespace, and only its holder
 * runs the controllers (so only it writes). The operator SDK turns it on when this bean is not null;
 * Quarkus activates it in the prod profile only.
 */
@Singleton
public class LeaderElection {

    @Produces
    @Dependent
    LeaderElectionConfiguration configuration(@ConfigProperty(name = "vigil.leader-election.enabled", defaultValue = "false") boolean enabled,
            @ConfigProperty(name = "vigil.leader-election.lease-name", defaultValue = "vigil-leader") String leaseName,
            @ConfigProperty(name = "vigil.leader-election.identity") Optional<String> identity, OperatorNamespace namespace) {
        if (!enabled) {
            return null;
        }
        var builder = LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(leaseName).withLeaseNamespace(namespace.name());
        identity.filter(s -> !s.isBlank()).ifPresent(builder::withIdentity);
        return builder.build();
    }
}
