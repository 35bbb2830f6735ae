package dev.ser4j.cuda;

import dev.ser4j.check.ParityChecks;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Random inputs and comparisons for the host-math tests. */
final class Data {
    private Data() {}

    static float[] gaussian(SplittableRandom r, int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (r.nextGaussian() * scale);
        return v;
    }

    /** Lengths in 1..T (0..T when allowed) with T, 1 (and 0) present. */
    static int[] lengths(SplittableRandom r, int B, int T, boolean allowZero) {
        int[] len = new int[B];
        for (int b = 0; b < B; b++) len[b] = r.nextInt(allowZero ? 0 : 1, T + 1);
        if (B > 0) len[0] = T;
        if (B > 1) len[1] = Math.min(1, T);
        if (B > 2 && allowZero) len[2] = 0;
        return len;
    }

    /** A padded sequence [B, T+2P, C] with values on valid rows only. */
    static float[] padded(SplittableRandom r, int B, int T, int P, int C, int[] len) {
        float[] x = new float[B * (T + 2 * P) * C];
        for (int b = 0; b < B; b++)
            for (int t = 0; t < len[b]; t++)
                for (int c = 0; c < C; c++) x[(b * (T + 2 * P) + P + t) * C + c] = (float) r.nextGaussian();
        return x;
    }

    static float[] copy(float[] a) { return a.clone(); }

    /** Bit-for-bit equality (NaN patterns aside). */
    static void assertExact(float[] expected, float[] actual, String what) {
        assertArrayEquals(expected, actual, 0f, what);
    }

    /** max |e - a| / (max |e| + 1e-6) <= tol. */
    static void assertClose(float[] expected, float[] actual, double tol, String what) {
        double err = ParityChecks.error(expected, actual);
        assertTrue(err <= tol, what + ": scaled error " + err + " > " + tol);
    }
}
