package dev.vigil.probe;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Addresses the prober must never connect to, whatever an Ingress or baseline says: link-local
 * (169.254.0.0/16, fe80::/10, which holds cloud metadata services), AWS's IPv6 metadata address
 * fd00:ec2::254, and any configured ranges.
 */
public final class AddressPolicy {

    private static final List<Cidr> ALWAYS_DENIED = List.of(
            Cidr.parse("169.254.0.0/16"),
            Cidr.parse("fe80::/10"),
            Cidr.parse("fd00:ec2::254/128"));

    private final List<Cidr> denied;

    private AddressPolicy(List<Cidr> denied) {
        this.denied = denied;
    }

    public static AddressPolicy defaults() {
        return new AddressPolicy(ALWAYS_DENIED);
    }

    /** Adds CIDR ranges ("10.0.0.0/8", "2001:db8::/32") to the built-in denials. */
    public static AddressPolicy denying(List<String> extraCidrs) {
        List<Cidr> all = new ArrayList<>(ALWAYS_DENIED);
        extraCidrs.stream().map(String::trim).filter(s -> !s.isEmpty()).map(Cidr::parse).forEach(all::add);
        return new AddressPolicy(List.copyOf(all));
    }

    /** The denied range containing the address, if any. */
    public Optional<String> deniedRange(InetAddress address) {
        return denied.stream().filter(c -> c.contains(address)).map(Cidr::toString).findFirst();
    }

    record Cidr(byte[] network, int prefix, String text) {

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
