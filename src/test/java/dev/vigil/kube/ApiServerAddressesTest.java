package dev.vigil.kube;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The API server's addresses come from both the in-pod Service variable and the client's master URL. */
class ApiServerAddressesTest {

    @Test
    void serviceHostAndMasterUrlHostAreBothResolved() throws Exception {
        var addresses = ApiServerAddresses.resolve(Optional.of("10.96.0.1"), Optional.of("https://[2001:db8::10]:6443/"));
        assertThat(addresses).containsExactly(InetAddress.getByName("10.96.0.1"), InetAddress.getByName("2001:db8::10"));
    }

    @Test
    void aHostNameCountsWithEveryAddressItHasAndMissingPartsAreSkipped() throws Exception {
        assertThat(ApiServerAddresses.resolve(Optional.empty(), Optional.of("https://localhost:6443")))
                .contains(InetAddress.getByName("127.0.0.1"));
        assertThat(ApiServerAddresses.resolve(Optional.of(" "), Optional.of("not a url"))).isEmpty();
        assertThat(ApiServerAddresses.resolve(Optional.of("no-such-host.invalid"), Optional.empty())).isEmpty();
    }
}
