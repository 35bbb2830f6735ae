package dev.ser4j.cpu;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Central finite differences in double precision, the first oracle of every op's backward: for a scalar loss
 * {@code L = sum_i r_i out_i} with fixed random weights r, the analytic gradient must match
 * {@code (L(x + h e_i) - L(x - h e_i)) / 2h} to a relative error of 1e-6.
 */
final class GradCheck {
    static final double H = 1e-6;
    static final double TOLERANCE = 1e-6;

    private GradCheck() {}

    /** The numeric gradient of {@code loss} with respect to every element of {@code x} (perturbed in place). */
    static double[] numeric(double[] x, DoubleSupplier loss) {
        double[] g = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double keep = x[i];
            x[i] = keep + H;
            double up = loss.getAsDouble();
            x[i] = keep - H;
            double down = loss.getAsDouble();
            x[i] = keep;
            g[i] = (up - down) / (2 * H);
        }
        return g;
    }

    /** Norm-wise relative error {@code |a - n| / max(|a|, |n|)}. */
    static double relativeError(double[] analytic, double[] numeric) {
        double diff = 0, a = 0, n = 0;
        for (int i = 0; i < analytic.length; i++) {
            diff += (analytic[i] - numeric[i]) * (analytic[i] - numeric[i]);
            a += analytic[i] * analytic[i];
            n += numeric[i] * numeric[i];
        }
        return Math.sqrt(diff) / Math.max(Math.sqrt(Math.max(a, n)), 1e-300);
    }

    static void assertGradient(String what, double[] analytic, double[] numeric) {
        double norm = 0;
        for (double v : numeric) norm = Math.max(norm, Math.abs(v));
        assertTrue(norm > 0, what + ": the numeric gradient is identically zero, so the check would prove nothing");
        double err = relativeError(analytic, numeric);
        assertTrue(err <= TOLERANCE, what + ": relative error " + err + " > " + TOLERANCE
                + "\n analytic " + Arrays.toString(Arrays.copyOf(analytic, Math.min(8, analytic.length)))
                + "\n numeric  " + Arrays.toString(Arrays.copyOf(numeric, Math.min(8, numeric.length))));
    }

    /** {@code sum_i r_i out_i}. */
    static double dot(double[] r, double[] out) {
        double s = 0;
        for (int i = 0; i < r.length; i++) s += r[i] * out[i];
        return s;
    }

    static double[] gaussian(SplittableRandom rng, int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) a[i] = rng.nextGaussian();
        return a;
    }

    static double[] uniform(SplittableRandom rng, int n, double lo, double hi) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) a[i] = rng.nextDouble(lo, hi);
        return a;
    }

    /** Zeroes the rows of a padded sequence [B, T+2P, C] outside each utterance's valid positions. */
    static void maskPadded(double[] x, int B, int T, int P, int C, int[] len) {
        for (int b = 0; b < B; b++)
            for (int t = -P; t < T + P; t++)
                if (t < 0 || t >= len[b]) Arrays.fill(x, (b * (T + 2 * P) + P + t) * C, (b * (T + 2 * P) + P + t + 1) * C, 0);
    }

    static float[] toFloat(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) f[i] = (float) a[i];
        return f;
    }

    static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }

    /** Whole arrays as CPU buffers, one per kernel size, as the conv op takes its weights. */
    static CpuFloats[] wrap(float[][] a) {
        return Arrays.stream(a).map(CpuFloats::new).toArray(CpuFloats[]::new);
    }

    /** Rounds to float32 and back, so the float fast path and the double twin see the same inputs. */
    static double[] roundToFloat(double[] a) {
        return toDouble(toFloat(a));
    }

    /** {@code max |fast - naive| / max |naive|}: the error measure of {@link #assertClose}. */
    static double maxError(float[] fast, double[] naive) {
        double scale = 0, err = 0;
        for (double v : naive) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < fast.length; i++) err = Math.max(err, Math.abs(fast[i] - naive[i]));
        return err / Math.max(scale, 1e-12);
    }

    /** Asserts {@code |fast - naive| <= tol * max(|naive|)} element-wise (the naive twin is in double). */
    static void assertClose(String what, float[] fast, double[] naive, double tol) {
        double scale = 0;
        for (double v : naive) scale = Math.max(scale, Math.abs(v));
        assertTrue(fast.length == naive.length, what + ": length " + fast.length + " vs " + naive.length);
        for (int i = 0; i < fast.length; i++)
            assertTrue(Math.abs(fast[i] - naive[i]) <= tol * Math.max(scale, 1e-12),
                    what + "[" + i + "]: fast " + fast[i] + " vs naive " + naive[i] + " (scale " + scale + ")");
    }
}
