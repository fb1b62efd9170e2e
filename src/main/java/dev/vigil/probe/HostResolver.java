package dev.vigil.probe;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Turns a host name into the one address a probe connects to (resolve once, check that address, connect to
 * it: a DNS answer that changes between the check and the connection cannot move the probe).
 *
 * <p>Numeric host names are read the way URLs and browsers read them (the WHATWG URL standard's IPv4 parser,
 * which is inet_aton's): {@code 2130706433}, {@code 0x7f000001}, {@code 0177.0.0.1} and {@code 127.1} are all
 * 127.0.0.1. Java alone reads {@code 0177.0.0.1} as 177.0.0.1 and cannot resolve {@code 0x7f000001}; taking the
 * common reading means the address checked is the one every other client would reach with that URL.
 */
public final class HostResolver {

    private HostResolver() {
    }

    public static InetAddress resolve(String host) throws UnknownHostException {
        Optional<byte[]> numeric = numericIpv4(host);
        if (numeric.isPresent()) {
            return InetAddress.getByAddress(host, numeric.get());
        }
        return InetAddress.getByName(host);
    }

    /**
     * The WHATWG "IPv4 parser": one to four dot-separated parts (a trailing dot allowed), each decimal, octal
     * (leading 0) or hex (0x); the last part fills the remaining bytes. Empty when the host is not all numbers
     * (a domain name); an all-numeric host out of range is no host at all.
     */
    static Optional<byte[]> numericIpv4(String host) throws UnknownHostException {
        String text = host.endsWith(".") && host.length() > 1 ? host.substring(0, host.length() - 1) : host;
        String[] parts = text.split("\\.", -1);
        if (host.contains(":") || parts.length > 4 || !last(parts).matches("(?i)(0x[0-9a-f]*|[0-9]+)")) {
            return Optional.empty();
        }
        long[] numbers = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            Optional<Long> n = number(parts[i]);
            if (n.isEmpty()) {
                throw new UnknownHostException("not a valid numeric IPv4 host: " + host);
            }
            numbers[i] = n.get();
        }
        long value = 0;
        for (int i = 0; i < numbers.length - 1; i++) {
            if (numbers[i] > 255) {
                throw new UnknownHostException("not a valid numeric IPv4 host: " + host);
            }
            value = value << 8 | numbers[i];
        }
        int lastBytes = 5 - numbers.length;
        long last = numbers[numbers.length - 1];
        if (last >= 1L << (8 * lastBytes)) {
            throw new UnknownHostException("not a valid numeric IPv4 host: " + host);
        }
        value = value << (8 * lastBytes) | last;
        return Optional.of(new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value});
    }

    private static String last(String[] parts) {
        return parts[parts.length - 1];
    }

    private static Optional<Long> number(String part) {
        try {
            if (part.isEmpty()) {
                return Optional.empty();
            }
            if (part.length() >= 2 && (part.startsWith("0x") || part.startsWith("0X"))) {
                String hex = part.substring(2);
                return hex.length() > 8 ? Optional.empty() : Optional.of(hex.isEmpty() ? 0L : Long.parseLong(hex, 16));
            }
            if (part.length() > 1 && part.startsWith("0")) {
                return part.length() > 12 ? Optional.empty() : Optional.of(Long.parseLong(part.substring(1), 8));
            }
            return part.length() > 10 ? Optional.empty() : Optional.of(Long.parseLong(part));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
