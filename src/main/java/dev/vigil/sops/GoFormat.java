package dev.vigil.sops;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Go's text forms of values, as sops hashes and prints them. */
final class GoFormat {

    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");

    private GoFormat() {
    }

    /** {@code strconv.FormatFloat(f, 'f', -1, 64)}: shortest digits, never an exponent. */
    static String formatFloat(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "+Inf" : "-Inf";
        }
        if (d == 0) {
            return 1 / d < 0 ? "-0" : "0";
        }
        return new BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString();
    }

    /** {@code time.MarshalText}: RFC 3339 with nanoseconds, trailing zeros dropped, Z for UTC. */
    static String rfc3339Nano(OffsetDateTime t) {
        StringBuilder s = new StringBuilder(t.format(SECONDS));
        int nanos = t.getNano();
        if (nanos != 0) {
            String fraction = String.format("%09d", nanos).replaceAll("0+$", "");
            s.append('.').append(fraction);
        }
        s.append(zone(t.getOffset()));
        return s.toString();
    }

    /** {@code time.RFC3339}: seconds precision. */
    static String rfc3339(OffsetDateTime t) {
        return t.format(SECONDS) + zone(t.getOffset());
    }

    private static String zone(ZoneOffset offset) {
        return offset.getTotalSeconds() == 0 ? "Z" : offset.getId();
    }

    /** {@code sops.ToBytes}: the bytes a value contributes to the MAC. */
    static byte[] toBytes(Object value) {
        if (value instanceof byte[] b) {
            return b;
        }
        if (value instanceof Boolean b) {
            return (b ? "True" : "False").getBytes(StandardCharsets.UTF_8);
        }
        if (value instanceof Double d) {
            return formatFloat(d).getBytes(StandardCharsets.UTF_8);
        }
        return String.valueOf(value).getBytes(StandardCharsets.UTF_8);
    }
}
