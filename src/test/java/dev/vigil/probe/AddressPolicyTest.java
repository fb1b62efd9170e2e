package dev.vigil.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class AddressPolicyTest {

    @Test
    void cloudMetadataAndLinkLocalAreAlwaysDenied() throws Exception {
        AddressPolicy policy = AddressPolicy.defaults();
        assertThat(policy.deniedRange(InetAddress.getByName("169.254.169.254"))).contains("169.254.0.0/16");
        assertThat(policy.deniedRange(InetAddress.getByName("fd00:ec2::254"))).contains("fd00:ec2::254/128");
        assertThat(policy.deniedRange(InetAddress.getByName("fe80::1"))).contains("fe80::/10");
        assertThat(policy.deniedRange(InetAddress.getByName("127.0.0.1"))).isEmpty();
        assertThat(policy.deniedRange(InetAddress.getByName("169.255.0.1"))).isEmpty();
        assertThat(policy.deniedRange(InetAddress.getByName("fd00:ec2::253"))).isEmpty();
    }

    @Test
    void configuredRangesAreDeniedToo() throws Exception {
        AddressPolicy policy = AddressPolicy.denying(List.of("10.0.0.0/8", " 192.168.4.0/22 "));
        assertThat(policy.deniedRange(InetAddress.getByName("10.1.2.3"))).contains("10.0.0.0/8");
        assertThat(policy.deniedRange(InetAddress.getByName("192.168.7.255"))).contains("192.168.4.0/22");
        assertThat(policy.deniedRange(InetAddress.getByName("192.168.8.0"))).isEmpty();
        assertThat(policy.deniedRange(InetAddress.getByName("11.0.0.1"))).isEmpty();
    }

    @Test
    void badRangesAreRejected() {
        assertThatThrownBy(() -> AddressPolicy.denying(List.of("example.com/8"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AddressPolicy.denying(List.of("10.0.0.0/33"))).isInstanceOf(IllegalArgumentException.class);
    }
}
