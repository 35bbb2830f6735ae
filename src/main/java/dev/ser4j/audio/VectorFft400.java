package dev.ser4j.audio;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

import static dev.ser4j.audio.Fft400.C1;
import static dev.ser4j.audio.Fft400.C2;
import static dev.ser4j.audio.Fft400.H;
import static dev.ser4j.audio.Fft400.M;
import static dev.ser4j.audio.Fft400.N;
import static dev.ser4j.audio.Fft400.S1;
import static dev.ser4j.audio.Fft400.S2;
import static dev.ser4j.audio.Fft400.TW2_IM;
import static dev.ser4j.audio.Fft400.TW2_RE;
import static dev.ser4j.audio.Fft400.TW3_IM;
import static dev.ser4j.audio.Fft400.TW3_RE;
import static dev.ser4j.audio.Fft400.W_IM;
import static dev.ser4j.audio.Fft400.W_RE;

/**
 * {@link Fft400}'s stages, operation for operation, on vectors of frames (jdk.incubator.vector): each loop over frames
 * takes {@link #LANES} frames per iteration, as many doubles as the CPU's preferred vector holds (8 with AVX-512, 4
 * with AVX2). The butterflies are written out in each loop rather than called, because the Vector API only pays when
 * everything inlines and a method as large as a 5-point DFT on vectors exceeds C2's inlining size. A batch is computed
 * in whole vectors, so up to LANES - 1 frames past t1 are read and written ({@link #slack}); their values are
 * meaningless and nobody reads them. Same results as Fft400 to the last bit (same operations in the same order).
 * An instance owns its work rows; it is not thread-safe. Load only where the module jdk.incubator.vector is present.
 */
final class VectorFft400 implements PowerSpectra {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    /** Frames per vector. */
    static final int LANES = S.length();
    private final double[] window;
    private final double[][] re, im;

    /**
     * @param window   the 400 window weights
     * @param capacity the most frames of one call; the work rows hold {@link #slack} more
     */
    VectorFft400(double[] window, int capacity) {
        if (window.length != N) throw new IllegalArgumentException("window of " + window.length + ", not " + N);
        this.window = window.clone();
        re = new double[M][capacity + slack()];
        im = new double[M][capacity + slack()];
    }

    @Override
    public int slack() {
        return LANES - 1;
    }

    @Override
    public void power(double[][] cols, int t0, int t1, double[][] p) {
        int end = t0 + (t1 - t0 + LANES - 1) / LANES * LANES;
        if (cols[0].length < end + 2 || p[0].length < end || re[0].length < end)
            throw new IllegalArgumentException("rows too short for frames " + t0 + ".." + end + " in whole vectors");
        for (int r3 = 0; r3 < 8; r3++) {
            for (int r2 = 0; r2 < 5; r2++) stage1(cols, 8 * r2 + r3, 25 * r3 + 5 * r2, t0, t1);
            for (int k1 = 0; k1 < 5; k1++) stage2(25 * r3 + k1, k1, t0, t1);
        }
        for (int k1 = 0; k1 < 25; k1++) stage3(k1, t0, t1);
        split(p, t0, t1);
    }

    private static DoubleVector ld(double[] a, int t) { return DoubleVector.fromArray(S, a, t); }

    private void stage1(double[][] cols, int u, int row, int t0, int t1) {
        double[] a = cols[2 * u], b = cols[80 + 2 * u], c = cols[2 * u + 1], d = cols[81 + 2 * u];
        double[] w = window;
        double wr0 = w[2 * u], wr1 = w[80 + 2 * u], wr2 = w[160 + 2 * u], wr3 = w[240 + 2 * u], wr4 = w[320 + 2 * u];
        double wi0 = w[2 * u + 1], wi1 = w[81 + 2 * u], wi2 = w[161 + 2 * u], wi3 = w[241 + 2 * u], wi4 = w[321 + 2 * u];
        double[] r0 = re[row], r1 = re[row + 1], r2 = re[row + 2], r3 = re[row + 3], r4 = re[row + 4];
        double[] i0 = im[row], i1 = im[row + 1], i2 = im[row + 2], i3 = im[row + 3], i4 = im[row + 4];
        for (int t = t0; t < t1; t += LANES) {
            DoubleVector x0r = ld(a, t).mul(wr0), x0i = ld(c, t).mul(wi0), x1r = ld(b, t).mul(wr1), x1i = ld(d, t).mul(wi1);
            DoubleVector x2r = ld(a, t + 1).mul(wr2), x2i = ld(c, t + 1).mul(wi2), x3r = ld(b, t + 1).mul(wr3);
            DoubleVector x3i = ld(d, t + 1).mul(wi3), x4r = ld(a, t + 2).mul(wr4), x4i = ld(c, t + 2).mul(wi4);
            DoubleVector t1r = x1r.add(x4r), t1i = x1i.add(x4i), t2r = x2r.add(x3r), t2i = x2i.add(x3i);
            DoubleVector t3r = x1r.sub(x4r), t3i = x1i.sub(x4i), t4r = x2r.sub(x3r), t4i = x2i.sub(x3i);
            DoubleVector a1r = x0r.add(t1r.mul(C1)).add(t2r.mul(C2)), a1i = x0i.add(t1i.mul(C1)).add(t2i.mul(C2));
            DoubleVector a2r = x0r.add(t1r.mul(C2)).add(t2r.mul(C1)), a2i = x0i.add(t1i.mul(C2)).add(t2i.mul(C1));
            DoubleVector b1r = t3r.mul(S1).add(t4r.mul(S2)), b1i = t3i.mul(S1).add(t4i.mul(S2));
            DoubleVector b2r = t3r.mul(S2).sub(t4r.mul(S1)), b2i = t3i.mul(S2).sub(t4i.mul(S1));
            x0r.add(t1r).add(t2r).intoArray(r0, t);
            x0i.add(t1i).add(t2i).intoArray(i0, t);
            a1r.add(b1i).intoArray(r1, t);
            a1i.sub(b1r).intoArray(i1, t);
            a1r.sub(b1i).intoArray(r4, t);
            a1i.add(b1r).intoArray(i4, t);
            a2r.add(b2i).intoArray(r2, t);
            a2i.sub(b2r).intoArray(i2, t);
            a2r.sub(b2i).intoArray(r3, t);
            a2i.add(b2r).intoArray(i3, t);
        }
    }

    private void stage2(int first, int k1, int t0, int t1) {
        double[] r0 = re[first], r1 = re[first + 5], r2 = re[first + 10], r3 = re[first + 15], r4 = re[first + 20];
        double[] i0 = im[first], i1 = im[first + 5], i2 = im[first + 10], i3 = im[first + 15], i4 = im[first + 20];
        int o = 5 * k1;
        double c1 = TW2_RE[o + 1], s1 = TW2_IM[o + 1], c2 = TW2_RE[o + 2], s2 = TW2_IM[o + 2];
        double c3 = TW2_RE[o + 3], s3 = TW2_IM[o + 3], c4 = TW2_RE[o + 4], s4 = TW2_IM[o + 4];
        for (int t = t0; t < t1; t += LANES) {
            DoubleVector x1r = ld(r1, t), x1i = ld(i1, t), x2r = ld(r2, t), x2i = ld(i2, t);
            DoubleVector x3r = ld(r3, t), x3i = ld(i3, t), x4r = ld(r4, t), x4i = ld(i4, t);
            DoubleVector x0r = ld(r0, t), x0i = ld(i0, t);
            DoubleVector y1r = x1r.mul(c1).sub(x1i.mul(s1)), y1i = x1r.mul(s1).add(x1i.mul(c1));
            DoubleVector y2r = x2r.mul(c2).sub(x2i.mul(s2)), y2i = x2r.mul(s2).add(x2i.mul(c2));
            DoubleVector y3r = x3r.mul(c3).sub(x3i.mul(s3)), y3i = x3r.mul(s3).add(x3i.mul(c3));
            DoubleVector y4r = x4r.mul(c4).sub(x4i.mul(s4)), y4i = x4r.mul(s4).add(x4i.mul(c4));
            DoubleVector t1r = y1r.add(y4r), t1i = y1i.add(y4i), t2r = y2r.add(y3r), t2i = y2i.add(y3i);
            DoubleVector t3r = y1r.sub(y4r), t3i = y1i.sub(y4i), t4r = y2r.sub(y3r), t4i = y2i.sub(y3i);
            DoubleVector a1r = x0r.add(t1r.mul(C1)).add(t2r.mul(C2)), a1i = x0i.add(t1i.mul(C1)).add(t2i.mul(C2));
            DoubleVector a2r = x0r.add(t1r.mul(C2)).add(t2r.mul(C1)), a2i = x0i.add(t1i.mul(C2)).add(t2i.mul(C1));
            DoubleVector b1r = t3r.mul(S1).add(t4r.mul(S2)), b1i = t3i.mul(S1).add(t4i.mul(S2));
            DoubleVector b2r = t3r.mul(S2).sub(t4r.mul(S1)), b2i = t3i.mul(S2).sub(t4i.mul(S1));
            x0r.add(t1r).add(t2r).intoArray(r0, t);
            x0i.add(t1i).add(t2i).intoArray(i0, t);
            a1r.add(b1i).intoArray(r1, t);
            a1i.sub(b1r).intoArray(i1, t);
            a1r.sub(b1i).intoArray(r4, t);
            a1i.add(b1r).intoArray(i4, t);
            a2r.add(b2i).intoArray(r2, t);
            a2i.sub(b2r).intoArray(i2, t);
            a2r.sub(b2i).intoArray(r3, t);
            a2i.add(b2r).intoArray(i3, t);
        }
    }

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
        for (int t = t0; t < t1; t += LANES) {
            DoubleVector x0r = ld(r0, t), x0i = ld(i0, t);
            DoubleVector q1r = ld(r1, t), q1i = ld(i1, t);
            DoubleVector x1r = q1r.mul(c1).sub(q1i.mul(s1)), x1i = q1r.mul(s1).add(q1i.mul(c1));
            DoubleVector q2r = ld(r2, t), q2i = ld(i2, t);
            DoubleVector x2r = q2r.mul(c2).sub(q2i.mul(s2)), x2i = q2r.mul(s2).add(q2i.mul(c2));
            DoubleVector q3r = ld(r3, t), q3i = ld(i3, t);
            DoubleVector x3r = q3r.mul(c3).sub(q3i.mul(s3)), x3i = q3r.mul(s3).add(q3i.mul(c3));
            DoubleVector q4r = ld(r4, t), q4i = ld(i4, t);
            DoubleVector x4r = q4r.mul(c4).sub(q4i.mul(s4)), x4i = q4r.mul(s4).add(q4i.mul(c4));
            DoubleVector q5r = ld(r5, t), q5i = ld(i5, t);
            DoubleVector x5r = q5r.mul(c5).sub(q5i.mul(s5)), x5i = q5r.mul(s5).add(q5i.mul(c5));
            DoubleVector q6r = ld(r6, t), q6i = ld(i6, t);
            DoubleVector x6r = q6r.mul(c6).sub(q6i.mul(s6)), x6i = q6r.mul(s6).add(q6i.mul(c6));
            DoubleVector q7r = ld(r7, t), q7i = ld(i7, t);
            DoubleVector x7r = q7r.mul(c7).sub(q7i.mul(s7)), x7i = q7r.mul(s7).add(q7i.mul(c7));
            DoubleVector a0r = x0r.add(x4r), a0i = x0i.add(x4i), a1r = x1r.add(x5r), a1i = x1i.add(x5i);
            DoubleVector a2r = x2r.add(x6r), a2i = x2i.add(x6i), a3r = x3r.add(x7r), a3i = x3i.add(x7i);
            DoubleVector b0r = x0r.sub(x4r), b0i = x0i.sub(x4i), e1r = x1r.sub(x5r), e1i = x1i.sub(x5i);
            DoubleVector e2r = x2r.sub(x6r), e2i = x2i.sub(x6i), e3r = x3r.sub(x7r), e3i = x3i.sub(x7i);
            DoubleVector b1r = e1r.add(e1i).mul(H), b1i = e1i.sub(e1r).mul(H), b2r = e2i, b2i = e2r.neg();
            DoubleVector b3r = e3i.sub(e3r).mul(H), b3i = e3r.add(e3i).mul(-H);
            DoubleVector s02r = a0r.add(a2r), s02i = a0i.add(a2i), d02r = a0r.sub(a2r), d02i = a0i.sub(a2i);
            DoubleVector s13r = a1r.add(a3r), s13i = a1i.add(a3i), d13r = a1r.sub(a3r), d13i = a1i.sub(a3i);
            s02r.add(s13r).intoArray(r0, t);
            s02i.add(s13i).intoArray(i0, t);
            s02r.sub(s13r).intoArray(r4, t);
            s02i.sub(s13i).intoArray(i4, t);
            d02r.add(d13i).intoArray(r2, t);
            d02i.sub(d13r).intoArray(i2, t);
            d02r.sub(d13i).intoArray(r6, t);
            d02i.add(d13r).intoArray(i6, t);
            DoubleVector u02r = b0r.add(b2r), u02i = b0i.add(b2i), v02r = b0r.sub(b2r), v02i = b0i.sub(b2i);
            DoubleVector u13r = b1r.add(b3r), u13i = b1i.add(b3i), v13r = b1r.sub(b3r), v13i = b1i.sub(b3i);
            u02r.add(u13r).intoArray(r1, t);
            u02i.add(u13i).intoArray(i1, t);
            u02r.sub(u13r).intoArray(r5, t);
            u02i.sub(u13i).intoArray(i5, t);
            v02r.add(v13i).intoArray(r3, t);
            v02i.sub(v13r).intoArray(i3, t);
            v02r.sub(v13i).intoArray(r7, t);
            v02i.add(v13r).intoArray(i7, t);
        }
    }

    private void split(double[][] p, int t0, int t1) {
        double[] zr = re[0], zi = im[0], p0 = p[0], pm = p[M], ph = p[M / 2];
        for (int t = t0; t < t1; t += LANES) {
            DoubleVector a = ld(zr, t), b = ld(zi, t), s = a.add(b), d = a.sub(b);
            s.mul(s).intoArray(p0, t);
            d.mul(d).intoArray(pm, t);
        }
        double[] hr = re[M / 2], hi = im[M / 2];
        for (int t = t0; t < t1; t += LANES) {
            DoubleVector a = ld(hr, t), b = ld(hi, t);
            a.mul(a).add(b.mul(b)).intoArray(ph, t);
        }
        for (int k = 1; k < M / 2; k++) {
            double[] ar = re[k], ai = im[k], cr = re[M - k], ci = im[M - k], pk = p[k], pmk = p[M - k];
            double wr = W_RE[k], wi = W_IM[k];
            for (int t = t0; t < t1; t += LANES) {
                DoubleVector Ar = ld(ar, t), Ai = ld(ai, t), Cr = ld(cr, t), Ci = ld(ci, t);
                DoubleVector er = Ar.add(Cr), ei = Ai.sub(Ci), or = Ai.add(Ci), oi = Cr.sub(Ar);
                DoubleVector tr = or.mul(wr).sub(oi.mul(wi)), ti = or.mul(wi).add(oi.mul(wr));
                DoubleVector xr = er.add(tr), xi = ei.add(ti), yr = er.sub(tr), yi = ei.sub(ti);
                xr.mul(xr).add(xi.mul(xi)).mul(0.25).intoArray(pk, t);
                yr.mul(yr).add(yi.mul(yi)).mul(0.25).intoArray(pmk, t);
            }
        }
    }
}
