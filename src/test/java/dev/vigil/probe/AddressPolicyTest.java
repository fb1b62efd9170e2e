package dev.vigil.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The address policy on resolved addresses, as a tenant would try to get around it. */
class AddressPolicyTest {

    static final AddressSource INGRESS = new AddressSource(AddressOrigin.INGRESS, false);
    static final AddressSource UNTRUSTED_BASELINE = new AddressSource(AddressOrigin.NAMED_BY_BASELINE, false);
    static final AddressSource TRUSTED_BASELINE = new AddressSource(AddressOrigin.NAMED_BY_BASELINE, true);
    static final AddressSource UNTRUSTED_REDIRECT = UNTRUSTED_BASELINE.redirected();

    static AddressPolicy.Decision check(AddressPolicy policy, String host, AddressSource source) throws UnknownHostException {
        return policy.check(HostResolver.resolve(host), source);
    }

    static String reason(String host, AddressSource source) throws UnknownHostException {
        return check(AddressPolicy.defaults(), host, source).reason();
    }

    @ParameterizedTest(name = "{0} is {1} for every origin but the command line's user")
    @CsvSource({
        "127.0.0.1, Loopback", "127.255.255.254, Loopback", "::1, Loopback",
        "0.0.0.0, Unspecified", "0.1.2.3, Unspecified", "::, Unspecified",
        "169.254.1.1, LinkLocal", "fe80::1, LinkLocal", "224.0.0.1, NotUnicast", "255.255.255.255, NotUnicast",
        "ff02::1, NotUnicast",
        "169.254.169.254, CloudMetadata", "fd00:ec2::254, CloudMetadata", "169.254.170.2, CloudMetadata",
        "169.254.170.23, CloudMetadata", "fd00:ec2::23, CloudMetadata", "fd20:ce::254, CloudMetadata",
        "100.100.100.200, CloudMetadata", "168.63.129.16, CloudMetadata", "192.0.0.192, CloudMetadata",
        "169.254.0.23, CloudMetadata", "169.254.42.42, CloudMetadata", "fd00:42::42, CloudMetadata",
        "fd00:c1::a9fe:a9fe, CloudMetadata", "fd00:a9fe:a9fe::1, CloudMetadata",
    })
    void alwaysDeniedWhoeverNamesIt(String address, String reason) throws Exception {
        for (AddressSource source : List.of(INGRESS, TRUSTED_BASELINE, UNTRUSTED_BASELINE, UNTRUSTED_REDIRECT,
                TRUSTED_BASELINE.redirected())) {
            AddressPolicy.Decision decision = check(AddressPolicy.defaults(), address, source);
            assertThat(decision.allowed()).as("%s from %s", address, source).isFalse();
            assertThat(decision.reason()).as("%s from %s", address, source).isEqualTo(reason);
        }
        assertThat(check(AddressPolicy.defaults(), address, AddressSource.USER).allowed()).isTrue();
    }

    @ParameterizedTest(name = "{0} reaches {1}")
    @CsvSource({
        "::ffff:127.0.0.1, Loopback", // Java hands back 127.0.0.1 itself
        "::127.0.0.1, Loopback", // IPv4-compatible
        "::169.254.169.254, CloudMetadata",
        "64:ff9b::127.0.0.1, Loopback", // NAT64 well-known prefix
        "64:ff9b::a9fe:a9fe, CloudMetadata",
        "64:ff9b::6464:64c8, CloudMetadata", // 100.100.100.200 through NAT64
        "64:ff9b:1:7f00:0:100::, Loopback", // local-use NAT64 as a /48 (RFC 6052 layout)
        "64:ff9b:1:a9:fe:a9fe::, CloudMetadata", // as a /56
        "64:ff9b:1:0:7f:0:100:0, Loopback", // as a /64
        "64:ff9b:1::a9fe:a9fe, CloudMetadata", // as a /96
        "2002:7f00:1::1, Loopback", // 6to4
        "2002:a9fe:a9fe::1, CloudMetadata",
        "2001:0:7f00:1::, Loopback", // Teredo server
        "2001:0:4136:e378:8000:63bf:80ff:fffe, Loopback", // Teredo client 127.0.0.1 (bits inverted)
    })
    void embeddedFormsAreDeniedLikeWhatTheyEmbed(String address, String reason) throws Exception {
        AddressPolicy.Decision decision = check(AddressPolicy.defaults(), address, INGRESS);
        assertThat(decision.allowed()).isFalse();
        assertThat(decision.reason()).isEqualTo(reason);
    }

    @ParameterizedTest(name = "{0} resolves to loopback and is denied")
    @ValueSource(strings = {"2130706433", "0x7f000001", "0X7F000001", "127.1", "127.0.1", "0177.0.0.1", "0x7f.1",
        "017700000001", "127.0.0.1.", "localhost"})
    void numericAndShortFormsOfLoopbackAreDenied(String host) throws Exception {
        InetAddress resolved = HostResolver.resolve(host);
        assertThat(resolved.isLoopbackAddress()).as(host + " -> " + resolved).isTrue();
        assertThat(AddressPolicy.defaults().check(resolved, INGRESS).reason()).isEqualTo(AddressPolicy.LOOPBACK);
        assertThat(AddressPolicy.defaults().check(resolved, UNTRUSTED_BASELINE).reason()).isEqualTo(AddressPolicy.LOOPBACK);
    }

    @Test
    void numericFormsOfMetadataAndUnspecifiedAreDenied() throws Exception {
        assertThat(reason("2852039166", INGRESS)).isEqualTo(AddressPolicy.CLOUD_METADATA); // 169.254.169.254
        assertThat(reason("0xa9fea9fe", INGRESS)).isEqualTo(AddressPolicy.CLOUD_METADATA);
        assertThat(reason("0251.0376.0251.0376", INGRESS)).isEqualTo(AddressPolicy.CLOUD_METADATA);
        assertThat(reason("0", INGRESS)).isEqualTo(AddressPolicy.UNSPECIFIED);
        assertThat(reason("0x0", INGRESS)).isEqualTo(AddressPolicy.UNSPECIFIED);
        assertThatThrownBy(() -> HostResolver.resolve("256.0.0.1")).isInstanceOf(UnknownHostException.class);
        assertThatThrownBy(() -> HostResolver.resolve("1.2.3.0x1ff")).isInstanceOf(UnknownHostException.class);
        assertThatThrownBy(() -> HostResolver.resolve("0x100000000")).isInstanceOf(UnknownHostException.class);
    }

    @ParameterizedTest(name = "{0} is private: allowed from an Ingress or a trusted baseline only")
    @ValueSource(strings = {"10.0.0.5", "172.16.3.4", "192.168.1.1", "100.64.0.1", "198.18.0.1", "fd12:3456::1",
        "fc00::1", "64:ff9b::a00:5", "2002:a00:5::1", "::ffff:10.0.0.5", "64:ff9b:1::a00:5"})
    void privateAddressesNeedAnIngressOrATrustedBaseline(String address) throws Exception {
        assertThat(check(AddressPolicy.defaults(), address, INGRESS).allowed()).isTrue();
        assertThat(check(AddressPolicy.defaults(), address, TRUSTED_BASELINE).allowed()).isTrue();
        assertThat(check(AddressPolicy.defaults(), address, TRUSTED_BASELINE.redirected()).allowed()).isTrue();
        assertThat(reason(address, UNTRUSTED_BASELINE)).isEqualTo(AddressPolicy.PRIVATE_NOT_ALLOWED);
        assertThat(reason(address, UNTRUSTED_REDIRECT)).isEqualTo(AddressPolicy.PRIVATE_NOT_ALLOWED);
    }

    @Test
    void globalAddressesMayBeNamedByAnyBaseline() throws Exception {
        for (String global : List.of("93.184.215.14", "1.1.1.1", "2606:4700:4700::1111", "64:ff9b::5db8:d70e")) {
            assertThat(check(AddressPolicy.defaults(), global, UNTRUSTED_BASELINE).allowed()).as(global).isTrue();
            assertThat(check(AddressPolicy.defaults(), global, UNTRUSTED_REDIRECT).allowed()).as(global).isTrue();
        }
    }

    @Test
    void allowRangesOpenPrivateAddressesButNeverTheAlwaysDeniedOnes() throws Exception {
        AddressPolicy policy = AddressPolicy.of(new AddressPolicy.Settings(List.of(), List.of("10.20.0.0/16", "127.0.0.0/8"),
                List.of(), List.of()));
        assertThat(check(policy, "10.20.1.2", UNTRUSTED_BASELINE).allowed()).isTrue();
        assertThat(check(policy, "10.21.1.2", UNTRUSTED_BASELINE).reason()).isEqualTo(AddressPolicy.PRIVATE_NOT_ALLOWED);
        assertThat(check(policy, "127.0.0.1", UNTRUSTED_BASELINE).reason()).isEqualTo(AddressPolicy.LOOPBACK);
    }

    @Test
    void theApiServerIsDeniedByAddress() throws Exception {
        InetAddress serviceIp = InetAddress.getByName("10.96.0.1");
        InetAddress endpoint = InetAddress.getByName("2001:db8::6443");
        AddressPolicy policy = AddressPolicy.of(new AddressPolicy.Settings(List.of(), List.of(), List.of(),
                List.of(serviceIp, endpoint)));
        for (AddressSource source : List.of(INGRESS, TRUSTED_BASELINE, UNTRUSTED_BASELINE)) {
            assertThat(policy.check(serviceIp, source).reason()).isEqualTo(AddressPolicy.API_SERVER);
            assertThat(policy.check(endpoint, source).reason()).isEqualTo(AddressPolicy.API_SERVER);
        }
        assertThat(check(policy, "64:ff9b::10.96.0.1", INGRESS).reason()).isEqualTo(AddressPolicy.API_SERVER);
        assertThat(check(policy, "10.96.0.2", INGRESS).allowed()).isTrue();
    }

    @Test
    void unsafeAllowRangesExemptFromTheAlwaysDeniedList() throws Exception {
        AddressPolicy policy = AddressPolicy.of(new AddressPolicy.Settings(List.of(), List.of(), List.of("127.0.0.0/8"),
                List.of(InetAddress.getByName("127.0.0.1"))));
        assertThat(check(policy, "127.0.0.1", INGRESS).allowed()).isTrue();
        assertThat(check(policy, "::1", INGRESS).reason()).isEqualTo(AddressPolicy.LOOPBACK);
        assertThat(check(policy, "169.254.169.254", INGRESS).reason()).isEqualTo(AddressPolicy.CLOUD_METADATA);
        // Still not global: an untrusted baseline also needs it in allow-cidrs.
        assertThat(check(policy, "127.0.0.1", UNTRUSTED_BASELINE).reason()).isEqualTo(AddressPolicy.PRIVATE_NOT_ALLOWED);
    }

    @Test
    void configuredRangesAreDeniedToo() throws Exception {
        AddressPolicy policy = AddressPolicy.denying(List.of("10.0.0.0/8", " 192.168.4.0/22 "));
        assertThat(check(policy, "10.1.2.3", INGRESS).reason()).isEqualTo(AddressPolicy.CONFIGURED_DENY);
        assertThat(check(policy, "10.1.2.3", INGRESS).detail()).isEqualTo("10.0.0.0/8");
        assertThat(check(policy, "192.168.7.255", TRUSTED_BASELINE).reason()).isEqualTo(AddressPolicy.CONFIGURED_DENY);
        assertThat(check(policy, "192.168.8.0", INGRESS).allowed()).isTrue();
        assertThat(check(policy, "11.0.0.1", INGRESS).allowed()).isTrue();
    }

    @Test
    void theMessageNamesTheRuleAndNothingAboutThePort() throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        assertThat(AddressPolicy.defaults().check(loopback, INGRESS).message(loopback))
                .isEqualTo("refused to probe 127.0.0.1: Loopback (127.0.0.0/8)");
    }

    @Test
    void badRangesAreRejected() {
        assertThatThrownBy(() -> AddressPolicy.denying(List.of("example.com/8"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AddressPolicy.denying(List.of("10.0.0.0/33"))).isInstanceOf(IllegalArgumentException.class);
    }
}
