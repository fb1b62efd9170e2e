package dev.vigil.sops;

import java.io.ByteArrayOutputStream;
import java.util.Locale;

/** BIP-173 Bech32 (not bech32m), as age uses for recipients and identities. */
final class Bech32 {

    private static final String CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    private static final int[] GENERATOR = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3};

    record Decoded(String hrp, byte[] data) {
    }

    private Bech32() {
    }

    static Decoded decode(String text) {
        if (!text.equals(text.toLowerCase(Locale.ROOT)) && !text.equals(text.toUpperCase(Locale.ROOT))) {
            throw new IllegalArgumentException("mixed case");
        }
        String s = text.toLowerCase(Locale.ROOT);
        int separator = s.lastIndexOf('1');
        if (separator < 1 || separator + 7 > s.length()) {
            throw new IllegalArgumentException("bad separator");
        }
        String hrp = s.substring(0, separator);
        int[] values = new int[s.length() - separator - 1];
        for (int i = 0; i < values.length; i++) {
            int v = CHARSET.indexOf(s.charAt(separator + 1 + i));
            if (v < 0) {
                throw new IllegalArgumentException("bad character");
            }
            values[i] = v;
        }
        if (polymod(hrp, values) != 1) {
            throw new IllegalArgumentException("bad checksum");
        }
        int[] data = java.util.Arrays.copyOf(values, values.length - 6);
        return new Decoded(hrp, convert(data, 5, 8, false));
    }

    static String encode(String hrp, byte[] bytes) {
        int[] data = toInts(convert(toInts(bytes), 8, 5, true));
        int[] withChecksum = java.util.Arrays.copyOf(data, data.length + 6);
        int mod = polymod(hrp, withChecksum) ^ 1;
        for (int i = 0; i < 6; i++) {
            withChecksum[data.length + i] = (mod >> 5 * (5 - i)) & 31;
        }
        StringBuilder sb = new StringBuilder(hrp).append('1');
        for (int v : withChecksum) {
            sb.append(CHARSET.charAt(v));
        }
        return sb.toString();
    }

    private static int polymod(String hrp, int[] values) {
        int chk = 1;
        int[] expanded = new int[hrp.length() * 2 + 1 + values.length];
        for (int i = 0; i < hrp.length(); i++) {
            expanded[i] = hrp.charAt(i) >> 5;
            expanded[hrp.length() + 1 + i] = hrp.charAt(i) & 31;
        }
        System.arraycopy(values, 0, expanded, hrp.length() * 2 + 1, values.length);
        for (int v : expanded) {
            int top = chk >>> 25;
            chk = (chk & 0x1ffffff) << 5 ^ v;
            for (int i = 0; i < 5; i++) {
                if (((top >> i) & 1) != 0) {
                    chk ^= GENERATOR[i];
                }
            }
        }
        return chk;
    }

    private static int[] toInts(byte[] bytes) {
        int[] ints = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            ints[i] = bytes[i] & 0xff;
        }
        return ints;
    }

    private static byte[] convert(int[] data, int from, int to, boolean pad) {
        int acc = 0;
        int bits = 0;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int maxv = (1 << to) - 1;
        for (int value : data) {
            acc = (acc << from) | value;
            bits += from;
            while (bits >= to) {
                bits -= to;
                out.write((acc >> bits) & maxv);
            }
        }
        if (pad) {
            if (bits > 0) {
                out.write((acc << (to - bits)) & maxv);
            }
        } else if (bits >= from || ((acc << (to - bits)) & maxv) != 0) {
            throw new IllegalArgumentException("bad padding");
        }
        return out.toByteArray();
    }
}
