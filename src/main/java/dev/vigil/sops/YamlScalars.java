package dev.vigil.sops;

import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** go-yaml v3's resolution of plain scalars (YAML 1.2 core schema plus its legacy extras). */
final class YamlScalars {

    private static final Pattern FLOAT = Pattern.compile("^[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?$");
    /**
     * go-yaml v3 tries exactly these time layouts: {@code 2006-1-2T15:4:5.999999999Z07:00} (also with a lower-case
     * t), {@code 2006-1-2 15:4:5.999999999} (no zone) and {@code 2006-1-2}. Anything else (a T form without a zone,
     * a zone such as +0500, tabs) stays a string.
     */
    private static final Pattern ZONED = Pattern.compile(
            "^(\\d{4})-(\\d{1,2})-(\\d{1,2})[Tt](\\d{1,2}):(\\d{1,2}):(\\d{1,2})(?:[.,](\\d{1,9})\\d*)?(Z|[+-]\\d{2}:\\d{2})$");
    private static final Pattern LOCAL = Pattern.compile(
            "^(\\d{4})-(\\d{1,2})-(\\d{1,2}) +(\\d{1,2}):(\\d{1,2}):(\\d{1,2})(?:[.,](\\d{1,9})\\d*)?()$");
    private static final Pattern DATE = Pattern.compile("^(\\d{4})-(\\d{1,2})-(\\d{1,2})$");

    private YamlScalars() {
    }

    static Object resolvePlain(String s) {
        switch (s) {
            case "", "~", "null", "Null", "NULL":
                return null;
            case "true", "True", "TRUE":
                return Boolean.TRUE;
            case "false", "False", "FALSE":
                return Boolean.FALSE;
            case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF":
                return Double.POSITIVE_INFINITY;
            case "-.inf", "-.Inf", "-.INF":
                return Double.NEGATIVE_INFINITY;
            case ".nan", ".NaN", ".NAN":
                return Double.NaN;
            default:
                break;
        }
        char c = s.charAt(0);
        // go-yaml's resolve table: only an ASCII digit, a sign or a dot can start a number or a timestamp.
        if (!(c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.')) {
            return s;
        }
        SopsTime time = parseTimestamp(s);
        if (time != null) {
            return time;
        }
        Long integer = parseInt(s);
        if (integer != null) {
            return integer;
        }
        // Like the integers, the float is read with its '_' separators removed.
        String plain = s.replace("_", "");
        if (FLOAT.matcher(plain).matches()) {
            return Double.parseDouble(plain);
        }
        return s;
    }

    /** Integers as go-yaml reads them: decimal, 0x, 0o, 0b, legacy leading-zero octal, '_' separators. */
    static Long parseInt(String s) {
        String plain = s.replace("_", "");
        boolean negative = plain.startsWith("-");
        String digits = plain.startsWith("-") || plain.startsWith("+") ? plain.substring(1) : plain;
        if (digits.isEmpty()) {
            return null;
        }
        int radix = 10;
        // Go's strconv.ParseInt(s, 0, 64): 0x/0X, 0o/0O, 0b/0B prefixes, and a leading 0 for legacy octal.
        String prefix = digits.length() > 1 ? digits.substring(0, 2).toLowerCase(java.util.Locale.ROOT) : "";
        if (prefix.equals("0x")) {
            radix = 16;
            digits = digits.substring(2);
        } else if (prefix.equals("0o")) {
            radix = 8;
            digits = digits.substring(2);
        } else if (prefix.equals("0b")) {
            radix = 2;
            digits = digits.substring(2);
        } else if (digits.length() > 1 && digits.startsWith("0")) {
            radix = 8;
        }
        final int base = radix;
        if (digits.isEmpty() || !digits.chars().allMatch(ch -> ch < 0x80 && Character.digit(ch, base) >= 0)) {
            return null;
        }
        try {
            BigInteger value = new BigInteger(digits, radix);
            if (negative) {
                value = value.negate();
            }
            return value.bitLength() < 64 ? value.longValue() : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static SopsTime parseTimestamp(String s) {
        Matcher m = ZONED.matcher(s);
        if (!m.matches()) {
            m = LOCAL.matcher(s);
        }
        if (!m.matches()) {
            m = DATE.matcher(s);
        }
        if (!m.matches()) {
            return null;
        }
        try {
            LocalDate date = LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
            if (m.groupCount() == 3) {
                return SopsTime.utc(date.atStartOfDay());
            }
            int nanos = m.group(7) == null ? 0 : Integer.parseInt((m.group(7) + "000000000").substring(0, 9));
            LocalDateTime local = date.atTime(Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)),
                    Integer.parseInt(m.group(6)), nanos);
            ZoneOffset offset = m.group(8).isEmpty() || m.group(8).equals("Z") ? ZoneOffset.UTC : offset(m.group(8));
            return new SopsTime(OffsetDateTime.of(local, offset));
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static ZoneOffset offset(String text) {
        String t = text.replace(":", "");
        int sign = t.charAt(0) == '-' ? -1 : 1;
        String digits = t.substring(1);
        int hours = Integer.parseInt(digits.length() <= 2 ? digits : digits.substring(0, digits.length() - 2));
        int minutes = digits.length() <= 2 ? 0 : Integer.parseInt(digits.substring(digits.length() - 2));
        return ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes);
    }
}
