package dev.ser4j.audio;

import org.jtransforms.fft.DoubleFFT_1D;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The frame-batched real FFT of 400 against JTransforms' {@code DoubleFFT_1D.realForward}, its oracle. */
class Fft400Test {

    /** A random signal long enough for {@code frames} frames, transposed as Fft400 reads it: cols[c][r] = s[160 r + c]. */
    static double[][] columns(double[] s, int frames) {
        double[][] cols = new double[Fft400.HOP][frames + 2];
        for (int r = 0; r < frames + 2; r++)
            for (int c = 0; c < Fft400.HOP; c++) cols[c][r] = s[Fft400.HOP * r + c];
        return cols;
    }

    /** |X_t[k]|^2 of frame t = w * s[160 t, 160 t + 400) by JTransforms. */
    static double[] reference(double[] s, double[] w, int t) {
        double[] a = new double[Fft400.N];
        for (int i = 0; i < Fft400.N; i++) a[i] = s[Fft400.HOP * t + i] * w[i];
        new DoubleFFT_1D(Fft400.N).realForward(a);            // a[0] = Re X0, a[1] = Re X200, a[2k], a[2k+1] = Re, Im Xk
        double[] p = new double[Fft400.BINS];
        p[0] = a[0] * a[0];
        p[Fft400.BINS - 1] = a[1] * a[1];
        for (int k = 1; k < Fft400.BINS - 1; k++) p[k] = a[2 * k] * a[2 * k] + a[2 * k + 1] * a[2 * k + 1];
        return p;
    }

    /** Largest |ours - JTransforms| over all bins and frames, relative to each frame's largest bin. */
    static double worstRelativeError(double[] window, int frames, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] s = new double[Fft400.HOP * (frames + 2)];
        for (int i = 0; i < s.length; i++) s[i] = r.nextGaussian() * Math.pow(10, r.nextInt(-3, 2));
        Fft400 fft = new Fft400(window, frames);
        double[][] p = new double[Fft400.BINS][frames];
        double[][] cols = columns(s, frames);
        for (int t0 = 0; t0 < frames; t0 += Fft400.LANES) fft.power(cols, t0, Math.min(frames, t0 + Fft400.LANES), p);
        double worst = 0;
        for (int t = 0; t < frames; t++) {
            double[] ref = reference(s, window, t);
            double scale = Arrays.stream(ref).max().orElseThrow();
            for (int k = 0; k < Fft400.BINS; k++) worst = Math.max(worst, Math.abs(p[k][t] - ref[k]) / scale);
        }
        return worst;
    }

    @Test
    void powerSpectrumMatchesJTransformsOnRandomFrames() {
        double[] ones = new double[Fft400.N];
        Arrays.fill(ones, 1);
        double worst = worstRelativeError(ones, 3 * Fft400.LANES + 5, 11);   // full batches and a partial one
        assertTrue(worst <= 1e-12, "max |P - P_jtransforms| / max P = " + worst);
    }

    @Test
    void windowedPowerSpectrumMatchesJTransforms() {
        double[] hamming = new double[Fft400.N];
        for (int i = 0; i < Fft400.N; i++) hamming[i] = 0.54 - 0.46 * Math.cos(2 * Math.PI * i / Fft400.N);
        double worst = worstRelativeError(hamming, 37, 12);
        assertTrue(worst <= 1e-12, "max |P - P_jtransforms| / max P = " + worst);
    }

    @Test
    void aSineLandsInItsBin() {
        // 1 kHz = bin 25 exactly: all the power of cos there and at no other bin (the 400-point FFT, not 512)
        double[] s = new double[Fft400.HOP * 3];
        for (int i = 0; i < s.length; i++) s[i] = Math.cos(2 * Math.PI * 1000 * i / 16000.0);
        double[] ones = new double[Fft400.N];
        Arrays.fill(ones, 1);
        double[][] p = new double[Fft400.BINS][1];
        new Fft400(ones, 1).power(columns(s, 1), 0, 1, p);
        for (int k = 0; k < Fft400.BINS; k++)
            assertTrue(Math.abs(p[k][0] - (k == 25 ? 200.0 * 200.0 : 0)) < 1e-9, "bin " + k + ": " + p[k][0]);
    }
}
