package dev.ser4j.audio;

/**
 * fft400: the power spectra of a short-time Fourier transform with frames of 400 samples every 160 samples, many
 * frames at once:
 * <pre>
 *   P[k][t] = |X_t[k]|^2,   X_t[k] = sum_{i<400} w[i] s[160 t + i] e^{-2 pi i k i / 400},   k = 0..200
 * </pre>
 * The signal arrives transposed, as columns {@code cols[c][r] = s[160 r + c]} (c &lt; 160), so sample i of frame t is
 * {@code cols[i % 160][t + i / 160]}: every array here is indexed by the frame t, and every loop runs over frames with
 * all its indices of the form {@code t + constant}, and a batch of {@link #LANES} frames goes through each butterfly.
 * On JDK 25 the butterfly loops are too large for C2 to vectorise (it only unrolls, and so only vectorises, loops of
 * at most {@code LoopUnrollLimit} = 60 nodes: about four arrays and twenty flops); they run scalar, about twice as
 * fast as JTransforms' {@code realForward}, and the layout lets the MFCC's smaller loops after them vectorise.
 * {@link VectorFft400} runs the same operations on explicit vectors (2 times as fast) where the Vector API is there.
 *
 * <p>The math, once. The real FFT of 400 is a complex FFT of 200 on {@code z[n] = x[2n] + i x[2n+1]} followed by the
 * standard split: with {@code E = (Z[k] + conj Z[200-k]) / 2}, {@code O = (Z[k] - conj Z[200-k]) / 2i} and
 * {@code W = e^{-2 pi i / 400}}, {@code X[k] = E + W^k O} and {@code X[200-k] = conj(E - W^k O)}. The complex FFT
 * is Cooley-Tukey decimation in time with radices 5, 5, 8 (200 = 5 * 5 * 8), in place on rows:
 * <ol>
 *   <li>5-point DFTs of z[u + 40 j], j &lt; 5, for each u = 8 r2 + r3 &lt; 40, into rows 25 r3 + 5 r2 + (0..4). Their
 *       real and imaginary samples 2u + 80 j (+1) lie in columns 2u and 80 + 2u (+1) at frame offsets 0, 0, 1, 1, 2,
 *       so stage 1 reads the columns directly and applies the window on the way.</li>
 *   <li>in each block of 25 rows (r3 &lt; 8): rows 25 r3 + 5 r + k1 times W_25^(r k1), then 5-point DFTs, k1 &lt; 5.</li>
 *   <li>rows 25 r + k1 times W_200^(r k1), r &lt; 8, then 8-point DFTs into rows k1 + 25 q, which hold Z[k1 + 25 q].</li>
 * </ol>
 * An instance owns its work rows; it is not thread-safe.
 */
final class Fft400 implements PowerSpectra {
    /** Frame length, hop, and power bins. */
    static final int N = 400, HOP = 160, BINS = N / 2 + 1;
    /** Frames per batch: long enough for vector loops, short enough that a batch's rows stay in L1/L2. */
    static final int LANES = 64;
    static final int M = N / 2;

    // the constants and twiddles below are shared with VectorFft400, which runs the same stages on vectors of frames
    static final double C1 = Math.cos(2 * Math.PI / 5), C2 = Math.cos(4 * Math.PI / 5);
    static final double S1 = Math.sin(2 * Math.PI / 5), S2 = Math.sin(4 * Math.PI / 5);
    static final double H = Math.sqrt(0.5);
    /** Stage 2 twiddles W_25^(r k1) at [5 k1 + r]; stage 3 twiddles W_200^(r k1) at [8 k1 + r]; split twiddles W_400^k. */
    static final double[] TW2_RE = new double[25], TW2_IM = new double[25];
    static final double[] TW3_RE = new double[200], TW3_IM = new double[200];
    static final double[] W_RE = new double[M / 2], W_IM = new double[M / 2];

    static {
        for (int k1 = 0; k1 < 5; k1++)
            for (int r = 0; r < 5; r++) {
                TW2_RE[5 * k1 + r] = Math.cos(2 * Math.PI * r * k1 / 25);
                TW2_IM[5 * k1 + r] = -Math.sin(2 * Math.PI * r * k1 / 25);
            }
        for (int k1 = 0; k1 < 25; k1++)
            for (int r = 0; r < 8; r++) {
                TW3_RE[8 * k1 + r] = Math.cos(2 * Math.PI * r * k1 / 200);
                TW3_IM[8 * k1 + r] = -Math.sin(2 * Math.PI * r * k1 / 200);
            }
        for (int k = 0; k < M / 2; k++) {
            W_RE[k] = Math.cos(2 * Math.PI * k / N);
            W_IM[k] = -Math.sin(2 * Math.PI * k / N);
        }
    }

    private final double[] window;
    private final double[][] re, im;

    /**
     * @param window   the 400 window weights
     * @param capacity the most frames of one call: the work rows are indexed by frame, like the columns
     */
    Fft400(double[] window, int capacity) {
        if (window.length != N) throw new IllegalArgumentException("window of " + window.length + ", not " + N);
        this.window = window.clone();
        re = new double[M][capacity];
        im = new double[M][capacity];
    }

    /**
     * {@code p[k][t] = |X_t[k]|^2} for frames t0 &lt;= t &lt; t1 (at most {@link #LANES} of them), k = 0..200.
     * Reads {@code cols[c][t0 .. t1 + 2)}.
     */
    @Override
    public void power(double[][] cols, int t0, int t1, double[][] p) {
        for (int r3 = 0; r3 < 8; r3++) {                         // one block of 25 rows at a time: stays in L1
            for (int r2 = 0; r2 < 5; r2++) stage1(cols, 8 * r2 + r3, 25 * r3 + 5 * r2, t0, t1);
            for (int k1 = 0; k1 < 5; k1++) stage2(25 * r3 + k1, k1, t0, t1);
        }
        for (int k1 = 0; k1 < 25; k1++) stage3(k1, t0, t1);
        split(p, t0, t1);
    }

    @Override
    public int slack() {
        return 0;
    }

    /** Stage 1: the windowed z[u + 40 j], j &lt; 5, through a 5-point DFT into rows row .. row + 4. */
    private void stage1(double[][] cols, int u, int row, int t0, int t1) {
        double[] a = cols[2 * u], b = cols[80 + 2 * u], c = cols[2 * u + 1], d = cols[81 + 2 * u];
        double[] w = window;
        double wr0 = w[2 * u], wr1 = w[80 + 2 * u], wr2 = w[160 + 2 * u], wr3 = w[240 + 2 * u], wr4 = w[320 + 2 * u];
        double wi0 = w[2 * u + 1], wi1 = w[81 + 2 * u], wi2 = w[161 + 2 * u], wi3 = w[241 + 2 * u], wi4 = w[321 + 2 * u];
        double[] r0 = re[row], r1 = re[row + 1], r2 = re[row + 2], r3 = re[row + 3], r4 = re[row + 4];
        double[] i0 = im[row], i1 = im[row + 1], i2 = im[row + 2], i3 = im[row + 3], i4 = im[row + 4];
        for (int t = t0; t < t1; t++) {
            dft5(a[t] * wr0, c[t] * wi0, b[t] * wr1, d[t] * wi1, a[t + 1] * wr2, c[t + 1] * wi2,
                    b[t + 1] * wr3, d[t + 1] * wi3, a[t + 2] * wr4, c[t + 2] * wi4, r0, i0, r1, i1, r2, i2, r3, i3, r4, i4, t);
        }
    }

    /** Stage 2: rows first + 5 r times W_25^(r k1), then a 5-point DFT, in place. */
    private void stage2(int first, int k1, int t0, int t1) {
        double[] r0 = re[first], r1 = re[first + 5], r2 = re[first + 10], r3 = re[first + 15], r4 = re[first + 20];
        double[] i0 = im[first], i1 = im[first + 5], i2 = im[first + 10], i3 = im[first + 15], i4 = im[first + 20];
        int o = 5 * k1;
        double c1 = TW2_RE[o + 1], s1 = TW2_IM[o + 1], c2 = TW2_RE[o + 2], s2 = TW2_IM[o + 2];
        double c3 = TW2_RE[o + 3], s3 = TW2_IM[o + 3], c4 = TW2_RE[o + 4], s4 = TW2_IM[o + 4];
        for (int t = t0; t < t1; t++) {
            double x1r = r1[t], x1i = i1[t], x2r = r2[t], x2i = i2[t], x3r = r3[t], x3i = i3[t], x4r = r4[t], x4i = i4[t];
            dft5(r0[t], i0[t], x1r * c1 - x1i * s1, x1r * s1 + x1i * c1, x2r * c2 - x2i * s2, x2r * s2 + x2i * c2,
                    x3r * c3 - x3i * s3, x3r * s3 + x3i * c3, x4r * c4 - x4i * s4, x4r * s4 + x4i * c4,
                    r0, i0, r1, i1, r2, i2, r3, i3, r4, i4, t);
        }
    }

    /**
     * The 5-point DFT y_q = sum_r x_r e^{-2 pi i r q / 5} into (o0 .. o4)[t]: with t1 = x1 + x4, t2 = x2 + x3,
     * t3 = x1 - x4, t4 = x2 - x3, y_{1,4} = x0 + C1 t1 + C2 t2 -/+ i (S1 t3 + S2 t4), y_{2,3} = x0 + C2 t1 + C1 t2
     * -/+ i (S2 t3 - S1 t4).
     */
    private static void dft5(double x0r, double x0i, double x1r, double x1i, double x2r, double x2i, double x3r,
                             double x3i, double x4r, double x4i, double[] o0r, double[] o0i, double[] o1r, double[] o1i,
                             double[] o2r, double[] o2i, double[] o3r, double[] o3i, double[] o4r, double[] o4i, int t) {
        double t1r = x1r + x4r, t1i = x1i + x4i, t2r = x2r + x3r, t2i = x2i + x3i;
        double t3r = x1r - x4r, t3i = x1i - x4i, t4r = x2r - x3r, t4i = x2i - x3i;
        double a1r = x0r + C1 * t1r + C2 * t2r, a1i = x0i + C1 * t1i + C2 * t2i;
        double a2r = x0r + C2 * t1r + C1 * t2r, a2i = x0i + C2 * t1i + C1 * t2i;
        double b1r = S1 * t3r + S2 * t4r, b1i = S1 * t3i + S2 * t4i;
        double b2r = S2 * t3r - S1 * t4r, b2i = S2 * t3i - S1 * t4i;
        o0r[t] = x0r + t1r + t2r;
        o0i[t] = x0i + t1i + t2i;
        o1r[t] = a1r + b1i;
        o1i[t] = a1i - b1r;
        o4r[t] = a1r - b1i;
        o4i[t] = a1i + b1r;
        o2r[t] = a2r + b2i;
        o2i[t] = a2i - b2r;
        o3r[t] = a2r - b2i;
        o3i[t] = a2i + b2r;
    }

    /**
     * Stage 3: rows k1 + 25 r times W_200^(r k1), then the 8-point DFT as two 4-point DFTs: of a_n = x_n + x_{n+4}
     * (even outputs) and of b_n W_8^n, b_n = x_n - x_{n+4} (odd outputs); in place, output q in row k1 + 25 q.
     */
    private void stage3(int k1, int t0, int t1) {
        double[] r0 = re[k1], r1 = re[k1 + 25], r2 = re[k1 + 50], r3 = re[k1 + 75];
        double[] r4 = re[k1 + 100], r5 = re[k1 + 125], r6 = re[k1 + 150], r7 = re[k1 + 175];
        double[] i0 = im[k1], i1 = im[k1 + 25], i2 = im[k1 + 50], i3 = im[k1 + 75];
        double[] i4 = im[k1 + 100], i5 = im[k1 + 125], i6 = im[k1 + 150], i7 = im[k1 + 175];
        int o = 8 * k1;
        double c1 = TW3_RE[o + 1], s1 = TW3_IM[o + 1], c2 = TW3_RE[o + 2], s2 = TW3_IM[o + 2];
        double c3 = TW3_RE[o + 3], s3 = TW3_IM[o + 3], c4 = TW3_RE[o + 4], s4 = TW3_IM[o + 4];
        double c5 = TW3_RE[o + 5], s5 = TW3_IM[o + 5], c6 = TW3_RE[o + 6], s6 = TW3_IM[o + 6];
        double c7 = TW3_RE[o + 7], s7 = TW3_IM[o + 7];
        for (int t = t0; t < t1; t++) {
            double x0r = r0[t], x0i = i0[t];
            double x1r = r1[t] * c1 - i1[t] * s1, x1i = r1[t] * s1 + i1[t] * c1;
            double x2r = r2[t] * c2 - i2[t] * s2, x2i = r2[t] * s2 + i2[t] * c2;
            double x3r = r3[t] * c3 - i3[t] * s3, x3i = r3[t] * s3 + i3[t] * c3;
            double x4r = r4[t] * c4 - i4[t] * s4, x4i = r4[t] * s4 + i4[t] * c4;
            double x5r = r5[t] * c5 - i5[t] * s5, x5i = r5[t] * s5 + i5[t] * c5;
            double x6r = r6[t] * c6 - i6[t] * s6, x6i = r6[t] * s6 + i6[t] * c6;
            double x7r = r7[t] * c7 - i7[t] * s7, x7i = r7[t] * s7 + i7[t] * c7;
            double a0r = x0r + x4r, a0i = x0i + x4i, a1r = x1r + x5r, a1i = x1i + x5i;
            double a2r = x2r + x6r, a2i = x2i + x6i, a3r = x3r + x7r, a3i = x3i + x7i;
            double b0r = x0r - x4r, b0i = x0i - x4i, e1r = x1r - x5r, e1i = x1i - x5i;
            double e2r = x2r - x6r, e2i = x2i - x6i, e3r = x3r - x7r, e3i = x3i - x7i;
            // b1 = e1 (1 - i) / sqrt 2, b2 = -i e2, b3 = -e3 (1 + i) / sqrt 2
            double b1r = (e1r + e1i) * H, b1i = (e1i - e1r) * H, b2r = e2i, b2i = -e2r;
            double b3r = (e3i - e3r) * H, b3i = -(e3r + e3i) * H;
            double s02r = a0r + a2r, s02i = a0i + a2i, d02r = a0r - a2r, d02i = a0i - a2i;
            double s13r = a1r + a3r, s13i = a1i + a3i, d13r = a1r - a3r, d13i = a1i - a3i;
            r0[t] = s02r + s13r;
            i0[t] = s02i + s13i;
            r4[t] = s02r - s13r;
            i4[t] = s02i - s13i;
            r2[t] = d02r + d13i;
            i2[t] = d02i - d13r;
            r6[t] = d02r - d13i;
            i6[t] = d02i + d13r;
            double u02r = b0r + b2r, u02i = b0i + b2i, v02r = b0r - b2r, v02i = b0i - b2i;
            double u13r = b1r + b3r, u13i = b1i + b3i, v13r = b1r - b3r, v13i = b1i - b3i;
            r1[t] = u02r + u13r;
            i1[t] = u02i + u13i;
            r5[t] = u02r - u13r;
            i5[t] = u02i - u13i;
            r3[t] = v02r + v13i;
            i3[t] = v02i - v13r;
            r7[t] = v02r - v13i;
            i7[t] = v02i + v13r;
        }
    }

    /** The real split: |X[k]|^2 and |X[200 - k]|^2 from Z[k] and Z[200 - k] (2E, 2O and 2X below, hence the 1/4). */
    private void split(double[][] p, int t0, int t1) {
        double[] zr = re[0], zi = im[0], p0 = p[0], pm = p[M], ph = p[M / 2];
        for (int t = t0; t < t1; t++) {                        // X[0] = Re Z0 + Im Z0, X[200] = Re Z0 - Im Z0
            double s = zr[t] + zi[t], d = zr[t] - zi[t];
            p0[t] = s * s;
            pm[t] = d * d;
        }
        double[] hr = re[M / 2], hi = im[M / 2];
        for (int t = t0; t < t1; t++) ph[t] = hr[t] * hr[t] + hi[t] * hi[t];  // X[100] = conj Z[100]
        for (int k = 1; k < M / 2; k++) {
            double[] ar = re[k], ai = im[k], cr = re[M - k], ci = im[M - k], pk = p[k], pmk = p[M - k];
            double wr = W_RE[k], wi = W_IM[k];
            for (int t = t0; t < t1; t++) {
                double er = ar[t] + cr[t], ei = ai[t] - ci[t];   // 2E
                double or = ai[t] + ci[t], oi = cr[t] - ar[t];   // 2O
                double tr = or * wr - oi * wi, ti = or * wi + oi * wr;
                double xr = er + tr, xi = ei + ti, yr = er - tr, yi = ei - ti;
                pk[t] = 0.25 * (xr * xr + xi * xi);
                pmk[t] = 0.25 * (yr * yr + yi * yi);
            }
        }
    }
}
