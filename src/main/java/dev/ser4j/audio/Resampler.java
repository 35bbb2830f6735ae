package dev.ser4j.audio;

import static java.lang.Math.ceilDiv;

/**
 * resample: band-limited sample-rate conversion between any two integer rates, by a polyphase windowed-sinc
 * (Kaiser) filter.
 * <pre>
 *   L/M = outRate/inRate reduced by their gcd (22050 -> 16000 is 320/441, 44100 -> 16000 is 160/441)
 *   output j sits at input time  tau_j = j M / L = n + p/L   (n = floor(j M / L), phase p = j M mod L)
 *   y[j] = sum_i x[i] g(tau_j - i),   x[i] = 0 outside the signal
 *   g(t) = 2 fc sinc(2 fc t) * I0(beta sqrt(1 - (t/H)^2)) / I0(beta)   for |t| < H,  0 beyond
 * </pre>
 * t is in input samples, fc the cutoff in cycles per input sample, H = K/2 the half-width. The filter's DC
 * gain is 1 for both up- and down-sampling (the sinc's samples at unit spacing sum to 1). It is zero-phase
 * (centred), so the output has no delay; its length is ceil(n L / M), as soxr's.
 *
 * <p>Design, relative to the lower of the two Nyquist frequencies fN (8 kHz when either rate is 16 kHz):
 * passband to 0.9125 fN (7.3 kHz), stop band from fN (8 kHz, so nothing aliases), cutoff fc in the middle,
 * Kaiser beta for 100 dB and K taps per output sample from Kaiser's formula
 * K ~ (A - 7.95) / (14.36 * transition / inRate): 406 taps from 44.1 kHz, 204 from 22.05 kHz, 148 from 8 kHz.
 * Measured end to end on tones ({@code ResamplerTest}), 44.1 and 22.05 kHz to 16 kHz: gain within 6e-5 dB
 * from 100 Hz to 7.3 kHz (100 Hz steps); every tone from 8 kHz to the input's Nyquist (50 Hz steps)
 * attenuated by at least 102.5 dB (from 44.1 kHz) and 101.6 dB (from 22.05 kHz).
 *
 * <p>The K coefficients of each of the L phases are computed once ({@link #of}); {@link #process} is then
 * one dot product of K taps per output sample in double, computed for many outputs of one phase at once
 * ({@link #byPhase}: outputs L apart share a phase and read inputs M apart, so a block of them is a set of loops
 * the JIT vectorises), each sum in the same order as a lone dot product, so the bits do not depend on the grouping.
 * An integer decimation (L = 1: 48, 32 or 96 kHz to 16 kHz) has one phase, a plain FIR filter of stride M;
 * {@link #decimate} splits the input into its M phases {@code x_p[n] = x[M n + p]} so that the filter becomes M
 * filters of stride 1, {@code y[j] = sum_p sum_q h[M q + p] x_p[j + q]}, and runs them in float as loops over
 * contiguous outputs that the JIT vectorises: 48 kHz to 16 kHz of a 3.7 s recording took 4-8x less time than the
 * double dot products (measured on a busy 2-core AVX2 machine, steady state), and stays within 1e-6 of them (at most
 * 6e-7 measured on full-scale uniform noise, {@code ResamplerTest}). Where the Vector API is on ({@link Mfcc#VECTOR}),
 * {@link VectorDecimation} does the same sums in registers, 2.1-2.3 times as fast again (JMH, idle 2-core AVX2
 * machine, BENCHMARKS.md "Resampling on the Vector API"). When L K would exceed {@link #MAX_TABLE} coefficients
 * (unusual rates such as 44101 Hz, where L = 16000), the coefficients are computed per output sample instead: the
 * same numbers, much more slowly.
 * The coefficients use {@link StrictMath}, so every platform gets the same bits (the synthetic corpus is
 * byte-reproducible). Instances are immutable and safe to share between threads.
 */
public final class Resampler {
    /** Passband edge as a fraction of the lower Nyquist frequency. */
    public static final double PASSBAND = 0.9125;
    /** Stop-band attenuation the Kaiser window is designed for, in dB. */
    public static final double DESIGN_ATTENUATION_DB = 100;
    /** Largest polyphase table (L K coefficients) kept in memory: 16 MB of doubles. */
    public static final int MAX_TABLE = 1 << 21;

    private final int inRate, outRate, up, down, taps;
    /** Whether {@link #decimate} runs on {@link VectorDecimation}. */
    private final boolean vector;
    private final double cutoff, beta, i0Beta;
    /** Phase p's taps at [p K, (p+1) K), or null when computed per output sample. */
    private final double[] table;
    /** Integer decimation (L = 1): phase p's taps of {@link #decimate}, {@code h[M q + p]} at q = 0..; else null. */
    private final float[][] decimation;

    private Resampler(int inRate, int outRate, int maxTable, boolean vector) {
        if (inRate <= 0 || outRate <= 0) throw new IllegalArgumentException("rates " + inRate + " -> " + outRate);
        if (vector && !Mfcc.VECTOR) throw new IllegalStateException("the Vector API (jdk.incubator.vector) is not available");
        this.vector = vector;
        this.inRate = inRate;
        this.outRate = outRate;
        int g = gcd(inRate, outRate);
        this.up = outRate / g;
        this.down = inRate / g;
        double nyquist = Math.min(inRate, outRate) / 2.0;
        double transition = (1 - PASSBAND) * nyquist;
        this.cutoff = (1 + PASSBAND) / 2 * nyquist / inRate;
        double a = DESIGN_ATTENUATION_DB;
        this.beta = 0.1102 * (a - 8.7);                                     // Kaiser's beta for A > 50 dB
        this.i0Beta = besselI0(beta);
        int k = (int) Math.ceil((a - 7.95) / (14.36 * transition / inRate)) + 1;
        this.taps = k + (k & 1);                                            // even: H = K/2 input samples
        if ((long) up * taps <= maxTable) {
            table = new double[up * taps];
            for (int p = 0; p < up; p++) phase(p, table, p * taps);
        } else {
            table = null;
        }
        if (up == 1 && table != null) {
            int q = (taps + down - 1) / down;
            decimation = new float[down][(q + 3) / 4 * 4];                  // whole groups of four taps, zero-padded
            for (int j = 0; j < taps; j++) decimation[j % down][j / down] = (float) table[j];
        } else {
            decimation = null;
        }
    }

    /** A resampler from {@code inRate} to {@code outRate} Hz; builds its coefficient table. */
    public static Resampler of(int inRate, int outRate) {
        return new Resampler(inRate, outRate, MAX_TABLE, Mfcc.VECTOR);
    }

    /** The same filter with integer decimation on the Vector API or on scalar code (which must be there); for tests. */
    static Resampler withVector(int inRate, int outRate, boolean vector) {
        return new Resampler(inRate, outRate, MAX_TABLE, vector);
    }

    /** The same filter with a smaller table limit, to test the per-sample path on ordinary rates. */
    static Resampler withTableLimit(int inRate, int outRate, int maxTable) {
        return new Resampler(inRate, outRate, maxTable, Mfcc.VECTOR);
    }

    /** Input rate in Hz. */
    public int inRate() { return inRate; }

    /** Output rate in Hz. */
    public int outRate() { return outRate; }

    /** Taps per output sample (K). */
    public int taps() { return taps; }

    /** Output length for {@code n} input samples: ceil(n L / M). */
    public int outputLength(int n) {
        long len = ((long) n * up + down - 1) / down;
        if (len > Integer.MAX_VALUE - 8) throw new IllegalArgumentException(n + " samples resample to more than an array holds");
        return (int) len;
    }

    /** Resamples {@code x}; returns {@code x} itself when the rates are equal. */
    public float[] process(float[] x) {
        if (inRate == outRate) return x;
        if (decimation != null) return decimate(x);
        if (table != null) return byPhase(x);
        int half = taps / 2;
        // x with K/2 zeros on each side: tap j of output (n, p) reads xp[n + 1 + j]
        double[] xp = new double[x.length + taps];
        for (int i = 0; i < x.length; i++) xp[half + i] = x[i];
        float[] y = new float[outputLength(x.length)];
        double[] h = table != null ? table : new double[taps];
        int stepN = down / up, stepP = down % up;
        int n = 0, p = 0;
        for (int j = 0; j < y.length; j++) {
            int off;
            if (table != null) {
                off = p * taps;
            } else {
                phase(p, h, 0);
                off = 0;
            }
            y[j] = (float) dot(h, off, xp, n + 1, taps);
            n += stepN;
            p += stepP;
            if (p >= up) { p -= up; n++; }
        }
        return y;
    }

    /** Outputs of one phase computed together by {@link #byPhase}: the block's input rows, (M + K) x 64 doubles, stay in L2. */
    private static final int LANES = 64;

    /**
     * {@link #process} with the table, outputs grouped by phase, the same sums bit for bit. Output {@code j = jp + L q}
     * ({@code jp < L}) has jp's phase and reads {@code xp[n_jp + 1 + t + M q]}, tap t &lt; K: outputs L apart share
     * their taps and read inputs M apart. So the input goes into rows by its position modulo M, {@code rows[c][q - q0] =
     * xp[c + M q]} for c &lt; M + K and a block of {@link #LANES} values of q, and each phase's outputs in the block are
     * loops over q with every array indexed by q alone, which the JIT vectorises; each lane adds the products in
     * {@link #dot}'s order (four running sums over taps t mod 4, the rest into the first, then (s0 + s1) + (s2 + s3)),
     * so the outputs are the per-output path's to the bit. Each pass over the lanes adds eight taps of one sum, so a
     * sum is loaded and stored once per eight products. 44.1 and 22.05 kHz to 16 kHz took ~5x less time than one dot
     * product per output (BENCHMARKS.md, "Resampling from 44.1 and 22.05 kHz").
     */
    private float[] byPhase(float[] x) {
        int L = up, M = down, K = taps, half = taps / 2, width = M + K;
        float[] y = new float[outputLength(x.length)];
        int blocks = ceilDiv(ceilDiv(y.length, L), LANES);
        double[][] rows = new double[width][LANES];
        double[][] sums = new double[4][LANES];                  // sums[a]: the running sum of taps t = a (mod 4)
        for (int blk = 0; blk < blocks; blk++) {
            int q0 = blk * LANES;
            for (int c = 0; c < width; c++)                      // rows[c][i] = xp[c + M (q0 + i)] = x[c + M (q0 + i) - K/2]
                for (int i = 0; i < LANES; i++) {
                    long at = c + (long) M * (q0 + i) - half;
                    rows[c][i] = at >= 0 && at < x.length ? x[(int) at] : 0;
                }
            for (int jp = 0; jp < L; jp++) {
                long first = jp + (long) L * q0;
                if (first >= y.length) break;
                int n = Math.toIntExact((long) jp * M / L), p = Math.toIntExact((long) jp * M % L), h = p * K;
                for (double[] sa : sums) java.util.Arrays.fill(sa, 0);
                int grouped = K / 4 * 4, t = 0;
                for (; t + 32 <= grouped; t += 32)                 // eight taps of each sum per pass over the lanes
                    for (int a = 0; a < 4; a++) {
                        double[] sa = sums[a];
                        int u = t + a;
                        double h0 = table[h + u], h1 = table[h + u + 4], h2 = table[h + u + 8], h3 = table[h + u + 12];
                        double h4 = table[h + u + 16], h5 = table[h + u + 20], h6 = table[h + u + 24], h7 = table[h + u + 28];
                        double[] r0 = rows[n + 1 + u], r1 = rows[n + 5 + u], r2 = rows[n + 9 + u], r3 = rows[n + 13 + u];
                        double[] r4 = rows[n + 17 + u], r5 = rows[n + 21 + u], r6 = rows[n + 25 + u], r7 = rows[n + 29 + u];
                        for (int i = 0; i < LANES; i++)
                            sa[i] = (((((((sa[i] + h0 * r0[i]) + h1 * r1[i]) + h2 * r2[i]) + h3 * r3[i]) + h4 * r4[i]) + h5 * r5[i])
                                    + h6 * r6[i]) + h7 * r7[i];
                    }
                for (; t < grouped; t += 4)
                    for (int a = 0; a < 4; a++) addTap(sums[a], table[h + t + a], rows[n + 1 + t + a]);
                for (; t < K; t++) addTap(sums[0], table[h + t], rows[n + 1 + t]);
                double[] s0 = sums[0], s1 = sums[1], s2 = sums[2], s3 = sums[3];
                int count = (int) Math.min(LANES, (y.length - first + L - 1) / L);
                for (int i = 0; i < count; i++) y[(int) first + L * i] = (float) ((s0[i] + s1[i]) + (s2[i] + s3[i]));
            }
        }
        return y;
    }

    private static void addTap(double[] sum, double h, double[] row) {
        for (int i = 0; i < LANES; i++) sum[i] += h * row[i];
    }

    /** Outputs per block of {@link #decimate}: the block and its four input windows (5 x 1.5 KB) stay in L1. */
    private static final int BLOCK = 384;

    /**
     * {@link #process} for L = 1: tap j of output n reads {@code x[M n + 1 - K/2 + j]}; with j = M q + p that is
     * {@code x_p[n + q]}, {@code x_p[i] = x[M i + p + 1 - K/2]} (zero outside the signal). Each output sums its taps
     * phase by phase, four taps at a time, in a fixed order (the same on every machine). The four shifted inputs of
     * a block are copied out first, and the block is summed in an array of its own: a loop that stores {@code a[j]}
     * and loads {@code b[j + q]} is not vectorised (the JIT cannot rule out that a and b are the same array), one
     * that stores and loads at the same index is.
     */
    private float[] decimate(float[] x) {
        int m = down, q = decimation[0].length, shift = 1 - taps / 2;
        float[] y = new float[outputLength(x.length)];
        int n = y.length + q + 3;
        float[][] xp = new float[m][n];
        for (int p = 0; p < m; p++)
            for (int i = 0; i < n; i++) {
                long at = (long) m * i + p + shift;
                if (at >= 0 && at < x.length) xp[p][i] = x[(int) at];
            }
        if (vector) {
            VectorDecimation.filter(xp, decimation, y);
            return y;
        }
        float[] acc = new float[BLOCK], w0 = new float[BLOCK], w1 = new float[BLOCK], w2 = new float[BLOCK], w3 = new float[BLOCK];
        for (int j0 = 0; j0 < y.length; j0 += BLOCK) {
            int len = Math.min(BLOCK, y.length - j0);
            java.util.Arrays.fill(acc, 0f);
            for (int p = 0; p < m; p++) {
                float[] h = decimation[p], xs = xp[p];
                for (int k = 0; k < q; k += 4) {                     // taps past q are zero (h is padded below)
                    float h0 = h[k], h1 = h[k + 1], h2 = h[k + 2], h3 = h[k + 3];
                    System.arraycopy(xs, j0 + k, w0, 0, len);
                    System.arraycopy(xs, j0 + k + 1, w1, 0, len);
                    System.arraycopy(xs, j0 + k + 2, w2, 0, len);
                    System.arraycopy(xs, j0 + k + 3, w3, 0, len);
                    for (int j = 0; j < len; j++) acc[j] += h0 * w0[j] + h1 * w1[j] + h2 * w2[j] + h3 * w3[j];
                }
            }
            System.arraycopy(acc, 0, y, j0, len);
        }
        return y;
    }

    /** sum_j h[ho + j] x[xo + j] with four accumulators (K is even; the tail handles K mod 4 = 2). */
    private static double dot(double[] h, int ho, double[] x, int xo, int k) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int j = 0;
        for (; j + 3 < k; j += 4) {
            s0 += h[ho + j] * x[xo + j];
            s1 += h[ho + j + 1] * x[xo + j + 1];
            s2 += h[ho + j + 2] * x[xo + j + 2];
            s3 += h[ho + j + 3] * x[xo + j + 3];
        }
        for (; j < k; j++) s0 += h[ho + j] * x[xo + j];
        return (s0 + s1) + (s2 + s3);
    }

    /**
     * Phase p's taps into dst[at..at+K): tap j multiplies x[n - K/2 + 1 + j], which lies
     * t = p/L + K/2 - 1 - j input samples before the output instant.
     */
    private void phase(int p, double[] dst, int at) {
        int half = taps / 2;
        for (int j = 0; j < taps; j++) dst[at + j] = kernel((double) p / up + half - 1 - j);
    }

    /** g(t), the windowed sinc in input-sample time. */
    private double kernel(double t) {
        double half = taps / 2.0;
        double r = t / half;
        if (Math.abs(r) >= 1) return 0;
        double u = 2 * cutoff * t;
        double sinc = u == 0 ? 1 : StrictMath.sin(Math.PI * u) / (Math.PI * u);
        return 2 * cutoff * sinc * besselI0(beta * Math.sqrt(1 - r * r)) / i0Beta;
    }

    /** Modified Bessel function of the first kind, order 0: sum_k ((x/2)^k / k!)^2. */
    static double besselI0(double x) {
        double sum = 1, term = 1, q = x * x / 4;
        for (int k = 1; term > 1e-17 * sum; k++) {
            term *= q / ((double) k * k);
            sum += term;
        }
        return sum;
    }

    // ---- naive twin: the definition above, one output at a time, positions in exact integer arithmetic ----

    /** y[j] = sum over all i of x[i] g(j M / L - i), evaluating g for every pair; the oracle for {@link #process}. */
    static double[] naive(float[] x, int inRate, int outRate) {
        Resampler r = new Resampler(inRate, outRate, 0, false);
        double[] y = new double[r.outputLength(x.length)];
        for (int j = 0; j < y.length; j++) {
            long num = (long) j * r.down;                                     // tau_j = num / L
            double s = 0;
            for (int i = 0; i < x.length; i++) s += x[i] * r.kernel((double) (num - (long) i * r.up) / r.up);
            y[j] = s;
        }
        return y;
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
