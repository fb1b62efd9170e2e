package dev.vigil.sops;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Shamir's secret sharing over GF(2^8) as HashiCorp Vault (and sops) does it: share = y bytes || x. */
final class Shamir {

    private Shamir() {
    }

    static byte[] combine(List<byte[]> parts) throws SopsException {
        if (parts.size() < 2) {
            throw new SopsException(SopsException.ErrorClass.DATA_KEY_UNAVAILABLE, "less than two Shamir parts");
        }
        int length = parts.get(0).length;
        if (length < 2) {
            throw SopsException.invalid("Shamir parts are too short");
        }
        Set<Integer> xs = new HashSet<>();
        for (byte[] part : parts) {
            if (part.length != length) {
                throw SopsException.invalid("Shamir parts have different lengths");
            }
            if (!xs.add(part[length - 1] & 0xff)) {
                throw SopsException.invalid("duplicate Shamir part");
            }
        }
        byte[] secret = new byte[length - 1];
        for (int j = 0; j < secret.length; j++) {
            int value = 0;
            for (int i = 0; i < parts.size(); i++) {
                int xi = parts.get(i)[length - 1] & 0xff;
                int basis = 1;
                for (int m = 0; m < parts.size(); m++) {
                    if (m != i) {
                        int xm = parts.get(m)[length - 1] & 0xff;
                        basis = mul(basis, div(xm, xi ^ xm));
                    }
                }
                value ^= mul(parts.get(i)[j] & 0xff, basis);
            }
            secret[j] = (byte) value;
        }
        return secret;
    }

    /** Splits a secret into {@code n} shares needing {@code threshold} to combine (used by tests). */
    static byte[][] split(byte[] secret, int n, int threshold, java.util.Random random) {
        byte[][] shares = new byte[n][secret.length + 1];
        for (int j = 0; j < secret.length; j++) {
            int[] coefficients = new int[threshold];
            coefficients[0] = secret[j] & 0xff;
            for (int c = 1; c < threshold; c++) {
                coefficients[c] = random.nextInt(256);
            }
            for (int i = 0; i < n; i++) {
                int x = i + 1;
                int y = 0;
                for (int c = threshold - 1; c >= 0; c--) {
                    y = mul(y, x) ^ coefficients[c];
                }
                shares[i][j] = (byte) y;
            }
        }
        for (int i = 0; i < n; i++) {
            shares[i][secret.length] = (byte) (i + 1);
        }
        return shares;
    }

    static int mul(int a, int b) {
        int result = 0;
        while (b != 0) {
            if ((b & 1) != 0) {
                result ^= a;
            }
            a <<= 1;
            if ((a & 0x100) != 0) {
                a ^= 0x11b;
            }
            b >>= 1;
        }
        return result;
    }

    static int div(int a, int b) {
        if (b == 0) {
            throw new ArithmeticException("division by zero in GF(2^8)");
        }
        return mul(a, inverse(b));
    }

    private static int inverse(int a) {
        int result = 1;
        for (int i = 0; i < 254; i++) {
            result = mul(result, a);
        }
        return result;
    }
}
