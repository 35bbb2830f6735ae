package dev.ser4j.audio;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Mfcc}'s two loops that C2 does not vectorise by itself, on vectors of frames (jdk.incubator.vector): the
 * decibels of the mel energies (a table-free logarithm, so no gather) and the DCT (each output vector accumulated in
 * registers over the 64 half-rows, four coefficients sharing each load). Load only where the module
 * jdk.incubator.vector is present; {@link Mfcc} decides.
 */
final class VectorMfcc {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    /** Frames per vector. */
    static final int LANES = S.length();

    private VectorMfcc() {}

    private static final long MANTISSA = 0x000F_FFFF_FFFF_FFFFL, ONE = 0x3FF0_0000_0000_0000L;
    /** 2^52 as a double's bits: or-ing a biased exponent e &lt; 2^52 into its mantissa gives the double 2^52 + e. */
    private static final long MAGIC = 0x4330_0000_0000_0000L;
    private static final double MAGIC_MINUS_BIAS = 0x1p52 + 1023;
    private static final double SQRT2 = Math.sqrt(2), LN2 = Math.log(2), DB_PER_NEPER = 10 / Math.log(10);
    /** 1 / (2j + 1), j = 9 .. 1: the series of atanh(s) / s in z = s^2, Horner order. */
    private static final double[] ATANH = new double[9];

    static {
        for (int j = 9; j >= 1; j--) ATANH[9 - j] = 1.0 / (2 * j + 1);
    }

    /**
     * {@code out[o + t] = 10 log10(max(amin, in[i + t]))} for t &lt; n; inputs positive and finite. With v = 2^e m,
     * m in [sqrt(1/2), sqrt(2)): ln m = 2 atanh(s), s = (m - 1) / (m + 1), |s| &lt; 0.1716, and the series to s^19
     * leaves out less than 2 s^21 / 21 &lt; 8e-18; the result is within 1e-12 dB of 10 Math.log10(v) (plus two
     * ulps of the result for values far beyond any audio's, e.g. 3083 dB for Double.MAX_VALUE).
     * The last n mod LANES values use {@link Mfcc#decibels}.
     */
    static void decibels(double[] in, int i, double[] out, int o, int n, double amin) {
        int t = 0;
        for (; t <= n - LANES; t += LANES) {
            DoubleVector v = DoubleVector.fromArray(S, in, i + t).max(amin);
            LongVector bits = v.reinterpretAsLongs();
            DoubleVector e = bits.lanewise(VectorOperators.LSHR, 52).or(MAGIC).reinterpretAsDoubles().sub(MAGIC_MINUS_BIAS);
            DoubleVector m = bits.and(MANTISSA).or(ONE).reinterpretAsDoubles();
            VectorMask<Double> big = m.compare(VectorOperators.GT, SQRT2);
            m = m.blend(m.mul(0.5), big);
            e = e.add(1.0, big);
            DoubleVector s = m.sub(1.0).div(m.add(1.0)), z = s.mul(s);
            DoubleVector series = DoubleVector.broadcast(S, ATANH[0]);
            for (int j = 1; j < ATANH.length; j++) series = series.fma(z, DoubleVector.broadcast(S, ATANH[j]));
            DoubleVector lnm = series.fma(z, DoubleVector.broadcast(S, 1.0)).mul(s).mul(2.0);
            e.fma(DoubleVector.broadcast(S, LN2), lnm).mul(DB_PER_NEPER).intoArray(out, o + t);
        }
        for (; t < n; t++) out[o + t] = Mfcc.decibels(Math.max(amin, in[i + t]));
    }

    /**
     * {@code c[k][t] = sum_{m<64} d[k * 64 + m] L[m'][t]} with m' = m for even k and m' = 127 - m for odd k (Mfcc's
     * halved DCT: {@code logMel} holds the sums in rows 0..63 and the differences in rows 127..64), for t in [t0, t1)
     * rounded up to whole pairs of vectors; the rows must hold the rounded-up frames (values there are meaningless and
     * so are the results).
     */
    static void dct(double[][] logMel, double[] d, double[][] c, int t0, int t1) {
        int half = logMel.length / 2, coefficients = c.length;
        for (int k = 0; k < coefficients; k += 8) {                  // k, k + 2, k + 4, k + 6 share rows; so do the odd four
            for (int parity = 0; parity < 2; parity++) {
                int k0 = k + parity;
                double[] c0 = c[k0], c1 = c[k0 + 2], c2 = c[k0 + 4], c3 = c[k0 + 6];
                int d0 = k0 * half, d1 = d0 + 2 * half, d2 = d0 + 4 * half, d3 = d0 + 6 * half;
                for (int t = t0; t < t1; t += 2 * LANES) {         // eight independent sums hide the FMA latency
                    DoubleVector a0 = DoubleVector.zero(S), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
                    for (int m = 0; m < half; m++) {
                        double[] row = logMel[parity == 0 ? m : 2 * half - 1 - m];
                        DoubleVector r = DoubleVector.fromArray(S, row, t), q = DoubleVector.fromArray(S, row, t + LANES);
                        DoubleVector w0 = DoubleVector.broadcast(S, d[d0 + m]), w1 = DoubleVector.broadcast(S, d[d1 + m]);
                        DoubleVector w2 = DoubleVector.broadcast(S, d[d2 + m]), w3 = DoubleVector.broadcast(S, d[d3 + m]);
                        a0 = r.fma(w0, a0);
                        a1 = r.fma(w1, a1);
                        a2 = r.fma(w2, a2);
                        a3 = r.fma(w3, a3);
                        b0 = q.fma(w0, b0);
                        b1 = q.fma(w1, b1);
                        b2 = q.fma(w2, b2);
                        b3 = q.fma(w3, b3);
                    }
                    a0.intoArray(c0, t);
                    a1.intoArray(c1, t);
                    a2.intoArray(c2, t);
                    a3.intoArray(c3, t);
                    b0.intoArray(c0, t + LANES);
                    b1.intoArray(c1, t + LANES);
                    b2.intoArray(c2, t + LANES);
                    b3.intoArray(c3, t + LANES);
                }
            }
        }
    }
}
