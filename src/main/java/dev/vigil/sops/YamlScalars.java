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
    private static final Pattern TIMESTAMP = Pattern.compile(
            "^(\\d{4})-(\\d{1,2})-(\\d{1,2})(?:(?:[Tt]|[ \\t]+)(\\d{1,2}):(\\d{1,2}):(\\d{1,2})(?:\\.(\\d{1,9})\\d*)?"
                    + "(?:[ \\t]*(Z|[+-]\\d{1,2}(?::?\\d{2})?))?)?$");

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
        if (!(Character.isDigit(c) || c == '-' || c == '+' || c == '.')) {
            return s;
        }
        Long integer = parseInt(s);
        if (integer != null) {
            return integer;
        }
        if (FLOAT.matcher(s).matches()) {
            return Double.parseDouble(s);
        }
        SopsTime time = parseTimestamp(s);
        return time != null ? time : s;
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
        if (digits.startsWith("0x")) {
            radix = 16;
            digits = digits.substring(2);
        } else if (digits.startsWith("0o")) {
            radix = 8;
            digits = digits.substring(2);
        } else if (digits.startsWith("0b")) {
            radix = 2;
            digits = digits.substring(2);
        } else if (digits.length() > 1 && digits.startsWith("0") && digits.chars().allMatch(ch -> ch >= '0' && ch <= '7')) {
            radix = 8;
        }
        if (digits.isEmpty() || !digits.chars().allMatch(ch -> Character.digit(ch, 16) >= 0)) {
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
        Matcher m = TIMESTAMP.matcher(s);
        if (!m.matches()) {
            return null;
        }
        try {
            LocalDate date = LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
            if (m.group(4) == null) {
                return SopsTime.utc(date.atStartOfDay());
            }
            int nanos = m.group(7) == null ? 0 : Integer.parseInt((m.group(7) + "000000000").substring(0, 9));
            LocalDateTime local = date.atTime(Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)),
                    Integer.parseInt(m.group(6)), nanos);
            ZoneOffset offset = m.group(8) == null || m.group(8).equals("Z") ? ZoneOffset.UTC : offset(m.group(8));
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
