package dev.vigil.probe;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Which addresses a probe may connect to. Vigil runs inside the cluster with the operator's network
 * position, and tenants name hosts: without this it would be a confused deputy that reaches the
 * cluster's own services for them, and its status a port-scan oracle. Decisions are made on the
 * RESOLVED address (the one the probe then connects to), never on the text a tenant wrote.
 *
 * <p>Always denied, whoever names the address ({@link #ALWAYS_DENIED}): loopback, unspecified,
 * link-local, multicast/broadcast, every cloud metadata address in {@link #CLOUD_METADATA_ADDRESSES},
 * the cluster's API server addresses, and configured {@code deny-cidrs} — also when embedded in an
 * IPv6 address that reaches them (IPv4-mapped, IPv4-compatible, NAT64 64:ff9b::/96 and 64:ff9b:1::/48,
 * 6to4 2002::/16, Teredo 2001::/32). Ranges listed as {@code unsafe-allow-cidrs} are exempt from this
 * list (tests that probe 127.0.0.1 only).
 *
 * <p>On top of that, an address named by an untrusted baseline or chosen by a redirect during its
 * probe must be globally reachable ({@link #NON_GLOBAL}: RFC 1918, CGNAT, ULA, …) unless it lies in the
 * configured {@code allow-cidrs}. Ingress-derived addresses may be private: probing private ingress
 * addresses is Vigil's job. The command line's user may name anything.
 */
public final class AddressPolicy {

    /** Reasons, one per rule, as they appear in a probe's error message. */
    public static final String ALLOWED = "Allowed";
    public static final String LOOPBACK = "Loopback";
    public static final String UNSPECIFIED = "Unspecified";
    public static final String LINK_LOCAL = "LinkLocal";
    public static final String NOT_UNICAST = "NotUnicast";
    public static final String CLOUD_METADATA = "CloudMetadata";
    public static final String API_SERVER = "ApiServer";
    public static final String CONFIGURED_DENY = "ConfiguredDeny";
    /** A private (not globally reachable) address named by an untrusted baseline, or a redirect in its probe. */
    public static final String PRIVATE_NOT_ALLOWED = "PrivateNotAllowed";

    /**
     * Instance metadata and similar host-provided credential services, by provider, from each provider's
     * documentation. Most sit in link-local space (denied anyway); listing them gives the precise reason and
     * covers the ones outside it (Alibaba, Azure WireServer, Oracle Cloud@Customer, IPv6 ULA addresses).
     */
    public static final List<Named> CLOUD_METADATA_ADDRESSES = List.of(
            // AWS EC2 IMDS, Amazon Time Sync, Route 53 Resolver: docs.aws.amazon.com/AWSEC2 "instancedata-data-retrieval"
            new Named("169.254.169.254", "AWS/GCP/Azure/OpenStack/DigitalOcean/Oracle/Hetzner/IBM/Huawei/Vultr/Linode/Exoscale instance metadata"),
            new Named("fd00:ec2::254", "AWS EC2 instance metadata (IPv6)"),
            new Named("169.254.169.253", "AWS VPC DNS resolver"),
            new Named("fd00:ec2::253", "AWS VPC DNS resolver (IPv6)"),
            new Named("169.254.169.123", "AWS Time Sync"),
            new Named("fd00:ec2::123", "AWS Time Sync (IPv6)"),
            // ECS task metadata / credentials: docs.aws.amazon.com/AmazonECS "task-metadata-endpoint"
            new Named("169.254.170.2", "AWS ECS task metadata and credentials"),
            // EKS Pod Identity Agent: docs.aws.amazon.com/eks "pod-id-agent-setup"
            new Named("169.254.170.23", "AWS EKS Pod Identity Agent"),
            new Named("fd00:ec2::23", "AWS EKS Pod Identity Agent (IPv6)"),
            // GCP: cloud.google.com/compute/docs/metadata "querying-metadata" (IPv6 endpoint)
            new Named("fd20:ce::254", "GCP metadata server (IPv6)"),
            // Azure: learn.microsoft.com "what-is-ip-address-168-63-129-16" (WireServer: extensions, health, DNS)
            new Named("168.63.129.16", "Azure WireServer"),
            // Alibaba Cloud ECS: alibabacloud.com/help "instance metadata" (100.100.100.200, inside CGNAT space)
            new Named("100.100.100.200", "Alibaba Cloud instance metadata"),
            // Oracle Compute Cloud@Customer / OCI Classic: docs.oracle.com "retrieve-predefined-instance-metadata"
            new Named("192.0.0.192", "Oracle Cloud@Customer instance metadata"),
            // OCI IMDS over IPv6: docs.oracle.com/iaas "gettingmetadata"
            new Named("fd00:c1::a9fe:a9fe", "Oracle Cloud instance metadata (IPv6)"),
            // Tencent Cloud: metadata.tencentyun.com
            new Named("169.254.0.23", "Tencent Cloud instance metadata"),
            // Scaleway: scaleway.com/en/docs "instance metadata" (169.254.42.42, fd00:42::42)
            new Named("169.254.42.42", "Scaleway instance metadata"),
            new Named("fd00:42::42", "Scaleway instance metadata (IPv6)"),
            // Linode/Akamai Metadata service: techdocs.akamai.com "metadata service" (IPv6)
            new Named("fd00:a9fe:a9fe::1", "Linode/Akamai metadata (IPv6)"));

    /** Never probed, whoever names them (besides cloud metadata, the API server and configured ranges). */
    static final List<Named> ALWAYS_DENIED = List.of(
            new Named("127.0.0.0/8", LOOPBACK),
            new Named("::1/128", LOOPBACK),
            new Named("0.0.0.0/8", UNSPECIFIED),
            new Named("::/128", UNSPECIFIED),
            new Named("169.254.0.0/16", LINK_LOCAL),
            new Named("fe80::/10", LINK_LOCAL),
            new Named("224.0.0.0/4", NOT_UNICAST),
            new Named("255.255.255.255/32", NOT_UNICAST),
            new Named("ff00::/8", NOT_UNICAST));

    /**
     * Not globally reachable (IANA IPv4/IPv6 Special-Purpose Address Registries, "Globally Reachable: False",
     * plus RFC 1918 and the deprecated site-local range): an untrusted baseline may not name these.
     */
    static final List<String> NON_GLOBAL = List.of(
            "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", // RFC 1918
            "100.64.0.0/10", // shared address space (CGNAT), RFC 6598
            "192.0.0.0/24", "192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", // IETF protocol assignments, documentation
            "198.18.0.0/15", // benchmarking
            "240.0.0.0/4", // reserved
            "fc00::/7", // unique local (ULA), RFC 4193
            "fec0::/10", // site-local, deprecated by RFC 3879
            "2001:db8::/32", // documentation
            "100::/64", // discard-only
            "2001::/23", // IETF protocol assignments (Teredo's embedded addresses are checked on their own)
            "64:ff9b:1::/48"); // local-use NAT64, RFC 8215

    /** An address or range with what it is. */
    public record Named(String cidr, String what) {
    }

    /** The policy's inputs: the operator's configuration and the API server's addresses found at start. */
    public record Settings(List<String> denyCidrs, List<String> allowCidrs, List<String> unsafeAllowCidrs,
            List<InetAddress> apiServer) {
        public static final Settings NONE = new Settings(List.of(), List.of(), List.of(), List.of());
    }

    /** A decision with its reason (one of the constants above) and what matched. */
    public record Decision(boolean allowed, String reason, String detail) {
        static final Decision ALLOW = new Decision(true, ALLOWED, "");

        /** One line for status, Events and logs; it names the rule, never whether anything listens there. */
        public String message(InetAddress address) {
            return "refused to probe " + address.getHostAddress() + ": " + reason + " (" + detail + ")";
        }
    }

    private record Rule(Cidr range, String reason, String detail) {
    }

    private final List<Rule> alwaysDenied;
    /** What an untrusted baseline may not name: the non-global ranges and the always-denied ones (when exempted). */
    private final List<Cidr> nonGlobalAndAlwaysDenied;
    private final List<Cidr> allow;
    private final List<Cidr> unsafeAllow;

    private AddressPolicy(Settings settings) {
        List<Rule> rules = new ArrayList<>();
        ALWAYS_DENIED.forEach(n -> rules.add(new Rule(Cidr.parse(n.cidr()), n.what(), n.cidr())));
        CLOUD_METADATA_ADDRESSES.forEach(n -> rules.add(new Rule(Cidr.parse(n.cidr()), CLOUD_METADATA, n.what())));
        settings.apiServer().forEach(a -> rules.add(new Rule(Cidr.of(a), API_SERVER, "the cluster's API server")));
        cidrs(settings.denyCidrs()).forEach(c -> rules.add(new Rule(c, CONFIGURED_DENY, c.toString())));
        // The most precise reason first: a metadata address is reported as such, not as link-local.
        rules.sort((a, b) -> Integer.compare(rank(a), rank(b)));
        this.alwaysDenied = List.copyOf(rules);
        List<Cidr> nonGlobal = new ArrayList<>(NON_GLOBAL.stream().map(Cidr::parse).toList());
        ALWAYS_DENIED.forEach(n -> nonGlobal.add(Cidr.parse(n.cidr())));
        this.nonGlobalAndAlwaysDenied = List.copyOf(nonGlobal);
        this.allow = cidrs(settings.allowCidrs());
        this.unsafeAllow = cidrs(settings.unsafeAllowCidrs());
    }

    private static int rank(Rule rule) {
        return switch (rule.reason()) {
            case CLOUD_METADATA, API_SERVER -> 0;
            case CONFIGURED_DENY -> 2;
            default -> 1;
        };
    }

    public static AddressPolicy of(Settings settings) {
        return new AddressPolicy(settings);
    }

    /** The built-in rules only (the command line, tests). */
    public static AddressPolicy defaults() {
        return of(Settings.NONE);
    }

    /** The built-in rules plus CIDR ranges ("10.0.0.0/8", "2001:db8::/32") denied on top. */
    public static AddressPolicy denying(List<String> extraCidrs) {
        return of(new Settings(extraCidrs, List.of(), List.of(), List.of()));
    }

    /** Whether a probe whose address came from {@code source} may connect to {@code address}. */
    public Decision check(InetAddress address, AddressSource source) {
        if (source.origin() == AddressOrigin.NAMED_BY_USER) {
            return Decision.ALLOW;
        }
        boolean mustBeGlobal = !source.trusted()
                && (source.origin() == AddressOrigin.NAMED_BY_BASELINE || source.origin() == AddressOrigin.REDIRECT);
        for (Candidate candidate : candidates(address)) {
            if (!contains(unsafeAllow, candidate.address())) {
                for (Rule rule : alwaysDenied) {
                    if (rule.range().contains(candidate.address())) {
                        return new Decision(false, rule.reason(), rule.detail() + candidate.via());
                    }
                }
            }
            if (mustBeGlobal && !contains(allow, candidate.address())) {
                for (Cidr range : nonGlobalAndAlwaysDenied) {
                    if (range.contains(candidate.address())) {
                        return new Decision(false, PRIVATE_NOT_ALLOWED, range + candidate.via()
                                + "; only a trusted namespace's baseline or vigil.baselines.allow-cidrs may name it");
                    }
                }
            }
        }
        return Decision.ALLOW;
    }

    /** The address itself and every IPv4 address an IPv6 form of it embeds (and so may reach). */
    private record Candidate(InetAddress address, String via) {
    }

    private static List<Candidate> candidates(InetAddress address) {
        List<Candidate> all = new ArrayList<>();
        all.add(new Candidate(address, ""));
        byte[] b = address.getAddress();
        if (b.length != 16) {
            return all;
        }
        if (zero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
            all.add(v4(b, "IPv4-mapped ::ffff:0:0/96", 12, 13, 14, 15));
        } else if (zero(b, 0, 12)) {
            all.add(v4(b, "IPv4-compatible ::/96", 12, 13, 14, 15));
        }
        if (prefix(b, 0x00, 0x64, 0xff, 0x9b) && zero(b, 4, 12)) {
            all.add(v4(b, "NAT64 64:ff9b::/96", 12, 13, 14, 15));
        }
        if (prefix(b, 0x00, 0x64, 0xff, 0x9b, 0x00, 0x01)) {
            // RFC 8215 local-use prefix: the operator's prefix length inside it is unknown, so every RFC 6052 layout
            // counts, except readings in 0.0.0.0/8 (zeros of the prefix read as an address: NAT64 never goes there).
            for (Candidate layout : List.of(v4(b, "NAT64 64:ff9b:1::/48 (as /48)", 6, 7, 9, 10),
                    v4(b, "NAT64 64:ff9b:1::/48 (as /56)", 7, 9, 10, 11), v4(b, "NAT64 64:ff9b:1::/48 (as /64)", 9, 10, 11, 12),
                    v4(b, "NAT64 64:ff9b:1::/48 (as /96)", 12, 13, 14, 15))) {
                if (layout.address().getAddress()[0] != 0) {
                    all.add(layout);
                }
            }
        }
        if (prefix(b, 0x20, 0x02)) {
            all.add(v4(b, "6to4 2002::/16", 2, 3, 4, 5));
        }
        if (prefix(b, 0x20, 0x01, 0x00, 0x00)) {
            all.add(v4(b, "Teredo server 2001::/32", 4, 5, 6, 7));
            byte[] client = {(byte) ~b[12], (byte) ~b[13], (byte) ~b[14], (byte) ~b[15]};
            all.add(new Candidate(inet(client), ", embedded as Teredo client 2001::/32"));
        }
        return all;
    }

    private static Candidate v4(byte[] b, String form, int... at) {
        byte[] v4 = new byte[4];
        for (int i = 0; i < 4; i++) {
            v4[i] = b[at[i]];
        }
        return new Candidate(inet(v4), ", embedded as " + form);
    }

    private static InetAddress inet(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes are always an address
        }
    }

    private static boolean zero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean prefix(byte[] b, int... bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if ((b[i] & 0xff) != bytes[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean contains(List<Cidr> ranges, InetAddress address) {
        return ranges.stream().anyMatch(c -> c.contains(address));
    }

    private static List<Cidr> cidrs(List<String> texts) {
        return texts.stream().map(String::trim).filter(s -> !s.isEmpty()).map(Cidr::parse).toList();
    }

    record Cidr(byte[] network, int prefix, String text) {

        static Cidr of(InetAddress address) {
            byte[] bytes = address.getAddress();
            return new Cidr(bytes, bytes.length * 8, address.getHostAddress());
        }

        static Cidr parse(String cidr) {
            int slash = cidr.indexOf('/');
            String host = slash < 0 ? cidr : cidr.substring(0, slash);
            try {
                byte[] address = InetAddress.getByName(literal(host)).getAddress();
                int prefix = slash < 0 ? address.length * 8 : Integer.parseInt(cidr.substring(slash + 1));
                if (prefix < 0 || prefix > address.length * 8) {
                    throw new IllegalArgumentException("bad prefix length in " + cidr);
                }
                return new Cidr(address, prefix, cidr);
            } catch (UnknownHostException | NumberFormatException e) {
                throw new IllegalArgumentException("not a CIDR range: " + cidr, e);
            }
        }

        private static String literal(String host) {
            if (!host.matches("[0-9a-fA-F:.]+")) {
                throw new IllegalArgumentException("not an IP literal: " + host);
            }
            return host;
        }

        boolean contains(InetAddress address) {
            byte[] bytes = address.getAddress();
            if (bytes.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (bytes[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xff << (8 - rest) & 0xff;
            return (bytes[full] & mask) == (network[full] & mask);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
