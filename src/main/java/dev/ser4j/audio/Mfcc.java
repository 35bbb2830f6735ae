package dev.ser4j.audio;

import dev.ser4j.core.InputException;

import java.util.Arrays;
import java.util.Locale;

import static java.lang.Math.ceilDiv;

/**
 * mfcc: librosa 0.11's MFCC with deltas, 96 features per frame, for 16 kHz audio (docs/mfcc.md):
 * <pre>
 *   frame t   = padded x[160 t, 160 t + 400),  x padded with 200 zeros on each side,  T = 1 + n / 160
 *   P[t,f]    = |rfft_400(w * frame t)[f]|^2,  w[i] = 0.54 - 0.46 cos(2 pi i / 400),  f = 0..200
 *   E[t,m]    = sum_f B[m,f] P[t,f]            B: 128 Slaney mel triangles, area-normalised, float32 weights
 *   L[t,m]    = max(10 log10(max(1e-10, E)), max over all t,m of that - 80)
 *   c[t,k]    = sum_m D[k,m] L[t,m]             D: orthonormal DCT-II, k = 0..31
 *   d[t,k]    = sum_{j=-4..4} j c[t+j,k] / 60            dd[t,k] = sum_{j=-4..4} (3 j^2 - 20) c[t+j,k] / 462
 *               (Savitzky-Golay, window 9; frames 0..3 take frame 4's value, frames T-4..T-1 frame T-5's)
 * </pre>
 * Output {@code float[T * 96]}, frame-major: c0..c31, d0..d31, dd0..dd31 for each frame. Everything is computed
 * in double; against librosa's float64 output the error is below 1e-4 + 1e-6 |value| ({@code MfccGoldenTest}).
 * Deltas need T >= 9 frames, i.e. at least {@value #MIN_SAMPLES} samples: shorter input is an
 * {@link InputException} (librosa raises too); {@link #coefficients} gives the 32 MFCCs of any non-empty input.
 *
 * <p>Frames are processed with the frame index innermost: the signal is transposed into 160 columns (hop 160), the
 * power spectra come from {@link Fft400} in batches, and the mel bands, the running maximum, the top_db clamp and the
 * DCT are small loops over frames, the shape C2 vectorises. Where the JVM has the Vector API ({@link #VECTOR}), the
 * FFT ({@link VectorFft400}), the decibels and the DCT ({@link VectorMfcc}) run on explicit vectors of frames instead,
 * 1.8 times as fast in all; the two paths agree to the float rounding of the output ({@code VectorMfccTest}). The
 * window, the sparse mel basis and the DCT matrix are built once per class; an instance owns its buffers, which hold one chunk of 512 frames (the utterance-long
 * log-mel and MFCC rows grow to the longest utterance seen and are reused), so steady-state extraction allocates only
 * its result. An instance is <b>not</b>
 * thread-safe: use one per thread.
 */
public final class Mfcc {
    /** Input sample rate. */
    public static final int SAMPLE_RATE = 16_000;
    /** FFT and window length (25 ms). */
    public static final int N_FFT = 400;
    /** Hop between frames (10 ms). */
    public static final int HOP = 160;
    /** Mel bands. */
    public static final int N_MELS = 128;
    /** Cepstral coefficients kept. */
    public static final int N_MFCC = 32;
    /** Features per frame: MFCC, delta, delta-delta. */
    public static final int FEATURES = 3 * N_MFCC;
    /** Savitzky-Golay window of the deltas. */
    public static final int DELTA_WIDTH = 9;
    /** Fewest samples that give {@value #DELTA_WIDTH} frames, the deltas' minimum. */
    public static final int MIN_SAMPLES = (DELTA_WIDTH - 1) * HOP;
    /** Frames the model takes; longer utterances are cut by {@link #truncate}. */
    public static final int MAX_FRAMES = 750;
    /** Dynamic range kept below the utterance's loudest mel cell, in dB. */
    public static final double TOP_DB = 80;
    /** Floor of the mel power before the log. */
    public static final double AMIN = 1e-10;

    private static final int BINS = N_FFT / 2 + 1;
    private static final int HALF = N_FFT / 2;

    private static final double[] WINDOW = window();
    /**
     * The mel basis by bin: every bin lies in at most two triangles, and they are neighbours, so bin f adds
     * MEL_A[f] P[f] to band MEL_BAND[f] - 1 and MEL_B[f] P[f] to band MEL_BAND[f] (indices into {@code mel},
     * which has a discard slot before band 0 and after band 127). No inner loop, no data-dependent branch.
     */
    private static final int[] MEL_BAND = new int[BINS];
    private static final double[] MEL_A = new double[BINS], MEL_B = new double[BINS];
    /** The DCT matrix's left half, [k][m] for m < 64 (the right half follows by symmetry). */
    private static final double[] DCT_HALF = dctHalf();

    static {
        double[][] dense = melBasis();
        for (int f = 0; f < BINS; f++) {
            int first = -1, count = 0;
            for (int m = 0; m < N_MELS; m++) {
                if (dense[m][f] == 0) continue;
                if (count == 0) first = m;
                else if (m != first + count) throw new AssertionError("bin " + f + " lies in mel bands that are not neighbours");
                count++;
            }
            if (count > 2) throw new AssertionError("bin " + f + " lies in " + count + " mel bands");
            MEL_BAND[f] = first + 1;                               // mel[] slot of the lower band, +1 below
            if (count >= 1) MEL_A[f] = dense[first][f];
            if (count == 2) MEL_B[f] = dense[first + 1][f];
        }
    }

    /** Frames per chunk: the transposed signal and the FFT's rows hold one chunk, so memory stays bounded. */
    private static final int CHUNK = 512;

    /**
     * Whether the Vector API (module jdk.incubator.vector) is there and pays, i.e. vectors hold at least two doubles:
     * then the FFT, the decibels and the DCT run on {@link VectorFft400} and {@link VectorMfcc}, 1.8 times as fast as
     * the scalar code, which is used otherwise, once C2 has compiled them. Until then the Vector API runs boxed and
     * slowly: in a fresh JVM the first utterance is done after ~0.37 s instead of ~0.05 s, and the first thousand 2.75 s
     * utterances after ~1.5 s instead of ~0.9 s (bench's MfccColdStart), so it pays only in long-lived JVMs and long
     * runs. Hence it is opt-in: a JVM started with {@code --add-modules jdk.incubator.vector} (the launcher's
     * {@code SER4J_VECTOR=1}) uses it; the system property {@code ser4j.vector=false} turns it off there.
     */
    static final boolean VECTOR = vectorApi();

    private static boolean vectorApi() {
        if (!Boolean.parseBoolean(System.getProperty("ser4j.vector", "true"))) return false;
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) return false;
        try {
            return VectorMfcc.LANES >= 2;                   // the first use of the API: this loads it
        } catch (LinkageError e) {                          // present but not readable from where this class lives
            return false;
        }
    }

    /** Which code computes the features here, in words (for {@code ser4j info}). */
    public static String implementation() {
        return VECTOR ? "Vector API, " + VectorMfcc.LANES + " doubles per vector"
                : "scalar code (the Vector API, for long runs, needs --add-modules jdk.incubator.vector, which"
                  + " SER4J_VECTOR=1 gives ./ser4j, and a CPU with vectors of two or more doubles)";
    }

    /** Frames past T that the vector loops may compute into: two whole vectors, for vectors of up to 32 doubles. */
    private static final int SLACK = 64;

    private final boolean vector;
    private final PowerSpectra fft;
    /** The chunk's signal transposed: cols[c][r] = padded x[160 (T0 + r) + c], so frame t is lane t of every row. */
    private final double[][] cols;
    private final double[][] power;
    /** The chunk's mel energies, then decibels; rows 0 and N_MELS + 1 are discard slots (see MEL_BAND). */
    private final double[][] mel = new double[N_MELS + 2][CHUNK];
    private final double[] peak = new double[CHUNK];
    /** Whole utterance, frame index innermost: log-mel [128][T], MFCC and deltas [32][T]. */
    private double[][] logMel = new double[N_MELS][0];
    private double[][] cepstra = new double[N_MFCC][0];

    /** A fresh extractor; cheap (the tables are shared), but keep one per thread rather than one per call. */
    public Mfcc() {
        this(VECTOR);
    }

    /** An extractor on the Vector API ({@code vector}, which must be {@link #VECTOR}) or on scalar code; for tests. */
    Mfcc(boolean vector) {
        if (vector && !VECTOR) throw new IllegalStateException("the Vector API (jdk.incubator.vector) is not available");
        this.vector = vector;
        fft = vector ? new VectorFft400(WINDOW, CHUNK) : new Fft400(WINDOW, CHUNK);
        cols = new double[HOP][CHUNK + 2 + fft.slack()];
        power = new double[BINS][CHUNK + fft.slack()];
    }

    /** Frames for {@code samples} samples: 1 + samples / 160. */
    public static int frames(int samples) {
        return 1 + samples / HOP;
    }

    /**
     * The 96 features per frame of one utterance of 16 kHz audio, {@code [frames(n), 96]} frame-major.
     *
     * @param source names the audio in error messages (a file path or an utterance id)
     * @throws InputException if there are fewer than {@value #MIN_SAMPLES} samples (deltas need 9 frames)
     *                        or a sample is not finite
     */
    public float[] features(String source, float[] samples) {
        if (samples.length < MIN_SAMPLES)
            throw new InputException(source, String.format(Locale.ROOT, "has %d samples (%.3f s); MFCC deltas need at least %d (%.2f s at 16 kHz)",
                    samples.length, samples.length / (double) SAMPLE_RATE, MIN_SAMPLES, MIN_SAMPLES / (double) SAMPLE_RATE));
        int T = cepstra(source, samples);
        float[] out = new float[T * FEATURES];
        for (int t = 0; t < T; t++) {
            // frames 0..3 and T-4..T-1 take the delta of the nearest frame with a full window (interp edges)
            int o = t * FEATURES, s = Math.max(4, Math.min(T - 5, t));
            for (int k = 0; k < N_MFCC; k++) {
                double[] c = cepstra[k];
                double m1 = c[s - 1], p1 = c[s + 1], m2 = c[s - 2], p2 = c[s + 2];
                double m3 = c[s - 3], p3 = c[s + 3], m4 = c[s - 4], p4 = c[s + 4];
                out[o + k] = (float) c[t];
                out[o + N_MFCC + k] = (float) (((p1 - m1) + 2 * (p2 - m2) + 3 * (p3 - m3) + 4 * (p4 - m4)) / 60);
                out[o + 2 * N_MFCC + k] = (float) ((-20 * c[s] - 17 * (p1 + m1) - 8 * (p2 + m2) + 7 * (p3 + m3)
                        + 28 * (p4 + m4)) / 462);
            }
        }
        return out;
    }

    /**
     * The 32 MFCCs per frame without deltas, {@code [frames(n), 32]} frame-major; any non-empty input.
     *
     * @throws InputException if {@code samples} is empty or holds a sample that is not finite
     */
    public float[] coefficients(String source, float[] samples) {
        int T = cepstra(source, samples);
        float[] out = new float[T * N_MFCC];
        for (int t = 0; t < T; t++)
            for (int k = 0; k < N_MFCC; k++) out[t * N_MFCC + k] = (float) cepstra[k][t];
        return out;
    }

    /**
     * The first {@code maxFrames} frames of {@code [T, width]} features (all of them when T <= maxFrames):
     * the model's cut at the end of long utterances.
     */
    public static float[] truncate(float[] features, int width, int maxFrames) {
        if (width <= 0 || features.length % width != 0)
            throw new IllegalArgumentException(features.length + " values are not whole frames of " + width);
        if (maxFrames < 1) throw new IllegalArgumentException("maxFrames " + maxFrames);
        long keep = (long) maxFrames * width;
        return keep >= features.length ? features : Arrays.copyOf(features, (int) keep);
    }

    /**
     * Fills {@code cepstra[k][0 .. T)} and returns T. Every loop below that runs over frames indexes its arrays by
     * the frame alone (no other varying offset) and keeps to a few arrays, the loop shape C2 vectorises.
     */
    private int cepstra(String source, float[] x) {
        if (x.length == 0) throw new InputException(source, "has no samples");
        int T = frames(x.length);
        if (logMel[0].length < T + SLACK) {
            int cap = Math.max(T, 2 * logMel[0].length) + SLACK;
            logMel = new double[N_MELS][cap];
            cepstra = new double[N_MFCC][cap];
        }
        double top = Double.NEGATIVE_INFINITY;                   // the largest mel energy of the utterance
        for (int t0 = 0; t0 < T; t0 += CHUNK) {
            int n = Math.min(CHUNK, T - t0);
            transpose(x, t0, n);
            Arrays.fill(peak, 0, n, Double.NEGATIVE_INFINITY);
            for (int b = 0; b < n; b += Fft400.LANES) {
                int e = Math.min(n, b + Fft400.LANES);
                fft.power(cols, b, e, power);
                melBands(b, e);
            }
            double max = Double.NEGATIVE_INFINITY;
            for (int t = 0; t < n; t++) max = Math.max(max, peak[t]);
            if (!(max < Double.POSITIVE_INFINITY)) throw new InputException(source, "holds a sample that is not a finite number");
            top = Math.max(top, max);
            for (int m = 0; m < N_MELS; m++) {
                double[] row = mel[m + 1], out = logMel[m];
                if (vector) VectorMfcc.decibels(row, 0, out, t0, n, AMIN);
                else for (int t = 0; t < n; t++) out[t0 + t] = decibels(Math.max(AMIN, row[t]));
            }
        }
        dct(T, decibels(Math.max(AMIN, top)) - TOP_DB);
        return T;
    }

    /** cols[c][r] = x[160 (t0 + r) + c - 200] for r &lt; n + 2 (zero outside x): the centre-padded signal by hop. */
    private void transpose(float[] x, int t0, int n) {
        int first = Math.min(n + 2, Math.max(0, ceilDiv(HALF - t0 * HOP, HOP)));   // rows r in [first, last) lie inside x
        int last = Math.max(first, Math.min(n + 2, Math.floorDiv(x.length + HALF - HOP, HOP) - t0 + 1));
        for (int c = 0; c < HOP; c++) {
            double[] col = cols[c];
            int s = t0 * HOP + c - HALF;
            for (int r = 0; r < first; r++) col[r] = sample(x, s + r * HOP);
            for (int r = first; r < last; r++) col[r] = x[s + r * HOP];
            for (int r = last; r < n + 2; r++) col[r] = sample(x, s + r * HOP);
        }
    }

    private static float sample(float[] x, int i) {
        return i >= 0 && i < x.length ? x[i] : 0;
    }

    /** mel[1 + m][t] = sum_f B[m,f] power[f][t] for frames b &lt;= t &lt; e, and peak[t] = the frame's largest. */
    private void melBands(int b, int e) {
        for (double[] row : mel) Arrays.fill(row, b, e, 0);
        for (int f = 0; f < BINS; f++) {
            double[] p = power[f], lo = mel[MEL_BAND[f]], hi = mel[MEL_BAND[f] + 1];
            double wa = MEL_A[f], wb = MEL_B[f];
            for (int t = b; t < e; t++) {
                double v = p[t];
                lo[t] += wa * v;
                hi[t] += wb * v;
            }
        }
        for (int m = 1; m <= N_MELS; m++) {
            double[] row = mel[m];
            for (int t = b; t < e; t++) peak[t] = Math.max(peak[t], row[t]);
        }
    }

    /**
     * cepstra[k] = D max(logMel, floor) for all T frames, 64 frames at a time. D's symmetry D[k, 127 - m] =
     * (-1)^k D[k, m] halves the work: c_k = sum_{m<64} D[k, m] (L[m] + (-1)^k L[127 - m]); the sums overwrite
     * logMel[m] and the differences logMel[127 - m].
     */
    private void dct(int T, double floor) {
        for (int t0 = 0; t0 < T; t0 += 64) {
            int t1 = Math.min(T, t0 + 64);
            for (int m = 0; m < N_MELS / 2; m++) {
                double[] a = logMel[m], b = logMel[N_MELS - 1 - m];
                for (int t = t0; t < t1; t++) {
                    double u = Math.max(a[t], floor), v = Math.max(b[t], floor);
                    a[t] = u + v;
                    b[t] = u - v;
                }
            }
            if (vector) {
                VectorMfcc.dct(logMel, DCT_HALF, cepstra, t0, t1);
                continue;
            }
            for (int k = 0; k < N_MFCC; k++) {
                double[] c = cepstra[k];
                Arrays.fill(c, t0, t1, 0);
                for (int m = 0; m < N_MELS / 2; m += 4) {              // four rows per pass: small enough to vectorise
                    double[] r0 = row(k, m), r1 = row(k, m + 1), r2 = row(k, m + 2), r3 = row(k, m + 3);
                    int d = k * (N_MELS / 2) + m;
                    double w0 = DCT_HALF[d], w1 = DCT_HALF[d + 1], w2 = DCT_HALF[d + 2], w3 = DCT_HALF[d + 3];
                    for (int t = t0; t < t1; t++) c[t] += w0 * r0[t] + w1 * r1[t] + w2 * r2[t] + w3 * r3[t];
                }
            }
        }
    }

    /** The DCT's input row m &lt; 64 for coefficient k: the sums for even k, the differences for odd k. */
    private double[] row(int k, int m) {
        return (k & 1) == 0 ? logMel[m] : logMel[N_MELS - 1 - m];
    }

    private static final int LOG_BITS = 10;
    /** 1 / c_j and ln c_j for the cell centres c_j = 1 + (j + 1/2) / 1024 of the mantissa range [1, 2). */
    private static final double[] LOG_INV_CENTRE = new double[1 << LOG_BITS], LOG_CENTRE = new double[1 << LOG_BITS];
    private static final double LN2 = Math.log(2), DB_PER_NEPER = 10 / Math.log(10);
    /** The mantissa's top LOG_BITS bits (the cell), and the bit just below them (half a cell). */
    private static final long CELL_BITS = ((1L << LOG_BITS) - 1) << (52 - LOG_BITS), HALF_CELL = 1L << (51 - LOG_BITS);

    static {
        for (int j = 0; j < 1 << LOG_BITS; j++) {
            double c = 1 + (j + 0.5) / (1 << LOG_BITS);
            LOG_INV_CENTRE[j] = 1 / c;
            LOG_CENTRE[j] = Math.log(c);
        }
    }

    /**
     * 10 log10(v) for a positive normal v, about twice as fast as Math.log10 and within 1e-12 dB of it: v = 2^e m,
     * m in [1, 2) falls in cell j of 1024 with centre c; ln v = e ln 2 + ln c + log1p(r), r = (m - c) / c,
     * |r| < 2^-11, so log1p's series to r^5 leaves an error below r^6 / 6 < 1e-20.
     */
    static double decibels(double v) {
        long bits = Double.doubleToRawLongBits(v);
        int e = (int) (bits >>> 52) - 1023;
        int j = (int) (bits >>> (52 - LOG_BITS)) & ((1 << LOG_BITS) - 1);
        long one = 0x3FF0_0000_0000_0000L;                                     // exponent of [1, 2)
        double m = Double.longBitsToDouble(bits & 0x000F_FFFF_FFFF_FFFFL | one);
        double c = Double.longBitsToDouble(bits & CELL_BITS | one | HALF_CELL); // 1 + (j + 1/2) / 1024
        double r = (m - c) * LOG_INV_CENTRE[j];
        double r2 = r * r;
        double log1p = r - r2 * 0.5 + r2 * r * (1.0 / 3 - r * 0.25 + r2 * 0.2);
        return (e * LN2 + LOG_CENTRE[j] + log1p) * DB_PER_NEPER;
    }

    // ---- the tables, built once -----------------------------------------------------------------------------

    /**
     * Periodic Hamming window 0.54 - 0.46 cos(2 pi i / 400), evaluated as scipy.signal.get_window('hamming', 400)
     * does: 0.54 + (1 - 0.54) cos(phi_i), phi = linspace(-pi, pi, 401), the last point dropped.
     */
    private static double[] window() {
        double[] w = new double[N_FFT];
        double step = 2 * Math.PI / N_FFT;
        for (int i = 0; i < N_FFT; i++) w[i] = 0.54 + (1 - 0.54) * Math.cos(i * step + -Math.PI);
        return w;
    }

    /**
     * librosa.filters.mel(sr=16000, n_fft=400, n_mels=128), operation by operation: the triangles are stored
     * into a float32 array, then multiplied in double by the Slaney norm 2 / (f[m+2] - f[m]) and stored as
     * float32 again. Returned as doubles holding those float32 values, [128][201].
     */
    static double[][] melBasis() {
        double[] fftFreqs = new double[BINS];
        double val = 1.0 / (N_FFT * (1.0 / SAMPLE_RATE));                      // numpy.fft.rfftfreq
        for (int f = 0; f < BINS; f++) fftFreqs[f] = f * val;
        double[] melF = new double[N_MELS + 2];                                // mel_frequencies: linspace in mel
        double maxMel = hzToMel(SAMPLE_RATE / 2.0), step = maxMel / (N_MELS + 1);
        for (int i = 0; i < melF.length; i++) melF[i] = melToHz(i == N_MELS + 1 ? maxMel : i * step);
        double[][] w = new double[N_MELS][BINS];
        for (int m = 0; m < N_MELS; m++) {
            double lowDiff = melF[m + 1] - melF[m], highDiff = melF[m + 2] - melF[m + 1];
            double enorm = 2.0 / (melF[m + 2] - melF[m]);
            for (int f = 0; f < BINS; f++) {
                double lower = -(melF[m] - fftFreqs[f]) / lowDiff;
                double upper = (melF[m + 2] - fftFreqs[f]) / highDiff;
                float tri = (float) Math.max(0, Math.min(lower, upper));
                w[m][f] = (float) (tri * enorm);
            }
        }
        return w;
    }

    /** Slaney's mel scale: linear 3 f / 200 below 1 kHz, logarithmic (27 steps per factor 6.4) above. */
    static double hzToMel(double hz) {
        double fSp = 200.0 / 3, minLogMel = 1000.0 / fSp, logStep = Math.log(6.4) / 27.0;
        return hz >= 1000.0 ? minLogMel + Math.log(hz / 1000.0) / logStep : hz / fSp;
    }

    /** Inverse of {@link #hzToMel}. */
    static double melToHz(double mel) {
        double fSp = 200.0 / 3, minLogMel = 1000.0 / fSp, logStep = Math.log(6.4) / 27.0;
        return mel >= minLogMel ? 1000.0 * Math.exp(logStep * (mel - minLogMel)) : fSp * mel;
    }

    /** Orthonormal DCT-II, D[k,m] = s_k cos(pi k (2m + 1) / 256), s_0 = sqrt(1/128), s_k = sqrt(2/128); m < 64. */
    private static double[] dctHalf() {
        double[] d = new double[N_MFCC * N_MELS / 2];
        for (int k = 0; k < N_MFCC; k++)
            for (int m = 0; m < N_MELS / 2; m++)
                d[k * N_MELS / 2 + m] = Math.sqrt((k == 0 ? 1.0 : 2.0) / N_MELS) * Math.cos(Math.PI * k * (2 * m + 1) / (2.0 * N_MELS));
        return d;
    }

    // ---- naive twin, double precision: the definition above, loop by loop -----------------------------------

    /**
     * [T, 96] features (or [T, 32] when {@code deltas} is false) straight from the definition: explicit
     * padding, a direct O(N^2) DFT, the dense mel basis, the DCT by its cosine sum and deltas by their sums
     * with clamped window centres. The oracle for {@link #features} and {@link #coefficients}.
     */
    static double[] naive(float[] x, boolean deltas) {
        int n = x.length, T = frames(n);
        double[] padded = new double[n + N_FFT];
        for (int i = 0; i < n; i++) padded[HALF + i] = x[i];
        double[][] mel = melBasis();
        double[][] logMel = new double[T][N_MELS];
        double top = Double.NEGATIVE_INFINITY;
        for (int t = 0; t < T; t++) {
            double[] p = new double[BINS];
            for (int f = 0; f < BINS; f++) {
                double re = 0, im = 0;
                for (int i = 0; i < N_FFT; i++) {
                    double v = padded[t * HOP + i] * (0.54 - 0.46 * Math.cos(2 * Math.PI * i / N_FFT));
                    double angle = 2 * Math.PI * ((long) f * i % N_FFT) / N_FFT;
                    re += v * Math.cos(angle);
                    im -= v * Math.sin(angle);
                }
                p[f] = re * re + im * im;
            }
            for (int m = 0; m < N_MELS; m++) {
                double e = 0;
                for (int f = 0; f < BINS; f++) e += mel[m][f] * p[f];
                logMel[t][m] = 10 * Math.log10(Math.max(AMIN, e));
                top = Math.max(top, logMel[t][m]);
            }
        }
        double[][] c = new double[T][N_MFCC];
        for (int t = 0; t < T; t++)
            for (int k = 0; k < N_MFCC; k++)
                for (int m = 0; m < N_MELS; m++)
                    c[t][k] += Math.sqrt((k == 0 ? 1.0 : 2.0) / N_MELS) * Math.cos(Math.PI * k * (2 * m + 1) / (2.0 * N_MELS))
                            * Math.max(logMel[t][m], top - TOP_DB);
        int width = deltas ? FEATURES : N_MFCC;
        double[] out = new double[T * width];
        for (int t = 0; t < T; t++) {
            for (int k = 0; k < N_MFCC; k++) out[t * width + k] = c[t][k];
            if (!deltas) continue;
            int centre = Math.max(4, Math.min(T - 5, t));
            for (int k = 0; k < N_MFCC; k++) {
                double d = 0, dd = 0;
                for (int j = -4; j <= 4; j++) {
                    d += j * c[centre + j][k] / 60.0;
                    dd += (3 * j * j - 20) * c[centre + j][k] / 462.0;
                }
                out[t * width + N_MFCC + k] = d;
                out[t * width + 2 * N_MFCC + k] = dd;
            }
        }
        return out;
    }
}
