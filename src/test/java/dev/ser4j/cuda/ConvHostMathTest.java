package dev.ser4j.cuda;

import dev.ser4j.backend.ConvShape;
import dev.ser4j.cpu.Conv;
import dev.ser4j.cpu.CpuFloats;
import dev.ser4j.cpu.CpuInts;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The convolution pipeline of CudaBackend with kernels/conv.cu (and linear.cu's column sum) built for the host,
 * and cuDNN replaced by its definition: an unpadded NHWC cross-correlation with a KRSC filter, written out below.
 * Checked against cpu/Conv on the audio kernels (5, 7, 9, 11) and the text kernels (2, 3, 4, 5), whose even sizes
 * need the asymmetric "same" window (off = P - left), with lengths 1 and, for text, 0. This is the evidence for the
 * window offsets, weight repacking, masking and bias gradient; cuDNN itself is only exercised on a GPU.
 */
class ConvHostMathTest {
    private static final double TOL = 2e-6;

    @Test
    void audioKernelsMatchConv() {
        check(new ConvShape(6, 4, new int[]{5, 7, 9, 11}), 3, 13, false, 1);
        check(new ConvShape(3, 2, new int[]{5, 7, 9, 11}), 1, 1, false, 2);
    }

    @Test
    void textKernelsWithEvenSizesMatchConv() {
        check(new ConvShape(5, 3, new int[]{2, 3, 4, 5}), 4, 7, true, 3);
        check(new ConvShape(4, 2, new int[]{2, 4}), 3, 1, true, 4);
        check(new ConvShape(7, 5, new int[]{1, 2, 6}), 2, 9, false, 5);
    }

    private static void check(ConvShape s, int B, int T, boolean allowZero, long seed) {
        HostMath hm = HostMath.get();
        SplittableRandom r = new SplittableRandom(seed);
        int P = s.pad(), W = T + 2 * P, F = s.filters(), cin = s.cin(), co = s.cout(), K = s.kernels().length;
        int[] ks = s.kernels(), len = Data.lengths(r, B, T, allowZero);
        float[] x = Data.padded(r, B, T, P, cin, len);
        float[][] w = new float[K][], bias = new float[K][];
        for (int k = 0; k < K; k++) {
            w[k] = Data.gaussian(r, (int) s.weightSize(k), 0.4);
            bias[k] = Data.gaussian(r, F, 0.2);
        }
        // reference
        float[] outJ = new float[B * W * co];
        Conv.forward(s, B, T, new CpuFloats(x), new CpuInts(len), cpu(w), cpu(bias), new CpuFloats(outJ),
                new Conv.Workspace(s), -1);
        // CudaBackend.convForward, step by step
        float[] outK = Data.gaussian(r, B * W * co, 1);
        for (int k = 0; k < K; k++) {
            int sk = ks[k], off = P - ConvShape.left(sk), Wk = W - sk + 1;
            float[] wt = new float[F * sk * cin], y = new float[B * Wk * F];
            hm.call("conv_pack_weights", F, cin, sk, w[k], wt);
            cudnnForward(B, W, cin, F, sk, x, wt, y);
            hm.call("conv_bias_relu", B, T, P, Wk, off, F, co, k * F, y, bias[k], len, outK);
        }
        String what = s + " B=" + B + " T=" + T + " len=" + Arrays.toString(len);
        Data.assertClose(outJ, outK, TOL, what + " out");

        float[] dout = Data.gaussian(r, B * W * co, 1), doutJ = dout.clone(), doutK = dout.clone();
        float[] dxJ = Data.gaussian(r, x.length, 1), dxK = dxJ.clone();
        float[][] dwJ = new float[K][], dwK = new float[K][], dbJ = new float[K][], dbK = new float[K][];
        for (int k = 0; k < K; k++) {
            dwJ[k] = Data.gaussian(r, w[k].length, 1);
            dwK[k] = dwJ[k].clone();
            dbJ[k] = Data.gaussian(r, F, 1);
            dbK[k] = dbJ[k].clone();
        }
        Conv.backward(s, B, T, new CpuFloats(x), new CpuInts(len), cpu(w), new CpuFloats(outJ), new CpuFloats(doutJ),
                new CpuFloats(dxJ), cpu(dwJ), cpu(dbJ), new Conv.Workspace(s), -1);
        // CudaBackend.convBackward, step by step
        hm.call("conv_relu_mask", B, T, P, co, outK, len, doutK);
        for (int k = 0; k < K; k++) {
            int sk = ks[k], off = P - ConvShape.left(sk), Wk = W - sk + 1;
            float[] dy = new float[B * Wk * F], dwt = new float[F * sk * cin], wt = new float[F * sk * cin];
            hm.call("conv_gather_dy", B, T, P, Wk, off, F, co, k * F, doutK, dy);
            int chunks = (B * Wk + 255) / 256;
            double[] partial = new double[chunks * F];
            hm.call("colsum_partial", B * Wk, F, dy, F, partial);
            hm.call("colsum_finish", chunks, F, partial, dbK[k]);
            cudnnBackwardFilter(B, W, cin, F, sk, x, dy, dwt);
            hm.call("conv_unpack_add", F, cin, sk, dwt, dwK[k]);
            hm.call("conv_pack_weights", F, cin, sk, w[k], wt);
            cudnnBackwardData(B, W, cin, F, sk, wt, dy, dxK);
        }
        Data.assertClose(dxJ, dxK, TOL, what + " dx");
        for (int k = 0; k < K; k++) {
            Data.assertClose(dwJ[k], dwK[k], TOL, what + " dw[" + k + "]");
            Data.assertClose(dbJ[k], dbK[k], TOL, what + " db[" + k + "]");
        }
    }

    // ---- cuDNN's definitions: NHWC x [B, 1, W, cin], KRSC filter [F, 1, s, cin], y [B, 1, W-s+1, F], no padding ----

    private static void cudnnForward(int B, int W, int cin, int F, int s, float[] x, float[] wt, float[] y) {
        int Wk = W - s + 1;
        for (int b = 0; b < B; b++)
            for (int u = 0; u < Wk; u++)
                for (int o = 0; o < F; o++) {
                    double acc = 0;
                    for (int j = 0; j < s; j++)
                        for (int c = 0; c < cin; c++) acc += (double) wt[(o * s + j) * cin + c] * x[(b * W + u + j) * cin + c];
                    y[(b * Wk + u) * F + o] = (float) acc;      // alpha 1, beta 0
                }
    }

    private static void cudnnBackwardFilter(int B, int W, int cin, int F, int s, float[] x, float[] dy, float[] dwt) {
        int Wk = W - s + 1;
        for (int o = 0; o < F; o++)
            for (int j = 0; j < s; j++)
                for (int c = 0; c < cin; c++) {
                    double acc = 0;
                    for (int b = 0; b < B; b++)
                        for (int u = 0; u < Wk; u++) acc += (double) dy[(b * Wk + u) * F + o] * x[(b * W + u + j) * cin + c];
                    dwt[(o * s + j) * cin + c] = (float) acc;   // beta 0
                }
    }

    private static void cudnnBackwardData(int B, int W, int cin, int F, int s, float[] wt, float[] dy, float[] dx) {
        int Wk = W - s + 1;
        for (int b = 0; b < B; b++)
            for (int v = 0; v < W; v++)
                for (int c = 0; c < cin; c++) {
                    double acc = 0;
                    for (int j = 0; j < s; j++) {
                        int u = v - j;
                        if (u < 0 || u >= Wk) continue;
                        for (int o = 0; o < F; o++) acc += (double) dy[(b * Wk + u) * F + o] * wt[(o * s + j) * cin + c];
                    }
                    dx[(b * W + v) * cin + c] += (float) acc;   // beta 1
                }
    }

    /** Whole arrays as CPU buffers, one per kernel size, as the conv op takes its weights. */
    private static CpuFloats[] cpu(float[][] a) {
        return Arrays.stream(a).map(CpuFloats::new).toArray(CpuFloats[]::new);
    }
}
