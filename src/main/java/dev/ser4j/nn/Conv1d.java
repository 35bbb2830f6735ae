package dev.ser4j.nn;

import dev.ser4j.backend.ConvShape;
import dev.ser4j.cpu.Parallel;
import dev.ser4j.cpu.Sgemm;

import java.util.Arrays;
import java.util.List;

/**
 * conv1d: masked multi-scale "same" 1-D convolution followed by ReLU (model spec, "Multi-scale CNN").
 * <pre>
 *   out[b, t, k*F + o] = ReLU( bias_k[o] + sum_{j < s_k} sum_c w_k[o, c, j] * x[b, t - left(s_k) + j, c] )   for t < len[b]
 * </pre>
 * x [B, T+2P, Ci] padded and zero outside the valid rows; w_k [F, Ci, s_k] (PyTorch's layout); bias_k [F];
 * out [B, T+2P, Co = F*K], zero outside the valid rows. Forward caches nothing but out (the ReLU mask is out > 0).
 *
 * <p>Fast path: regroup the weights by offset {@code d = j - left(s)} into {@code W_d [Co, Ci]}. The kernels
 * reading d fill contiguous output columns ({@link ConvShape#runs}), so the whole convolution is one sgemm per
 * (offset, run) over every row of the batch: {@code out[r, run] += x[r + d] . W_d[run]^T}. The P zero rows
 * around each utterance keep utterances apart; rows outside an utterance are masked afterwards.
 * Backward: {@code dW_d[run] += dY[:, run]^T . x[r + d]}, {@code dx[r + d] += dY[:, run] . W_d[run]},
 * {@code db = sum_r dY}, with {@code dY = dout * (out > 0)} on valid rows and 0 elsewhere.
 */
public final class Conv1d {
    private Conv1d() {}

    /** Floats of the offset-major weight workspace {@code W_d[Co, Ci]} for every offset d. */
    public static int packedSize(ConvShape s) {
        return (s.maxOffset() - s.minOffset() + 1) * s.cout() * s.cin();
    }

    /** Regroups the PyTorch-layout weights into {@code wp} (offset-major). */
    static void pack(ConvShape s, float[][] w, int[] wOff, float[] wp) {
        int ci = s.cin(), co = s.cout(), f = s.filters(), dmin = s.minOffset();
        int[] ks = s.kernels();
        for (int d = dmin; d <= s.maxOffset(); d++)
            for (ConvShape.Run run : s.runs(d))
                for (int col = run.c0(); col < run.c1(); col++) {
                    int k = col / f, o = col % f, ksz = ks[k], j = d + ConvShape.left(ksz);
                    int dst = ((d - dmin) * co + col) * ci, src = wOff[k] + o * ci * ksz + j;
                    for (int c = 0; c < ci; c++) wp[dst + c] = w[k][src + c * ksz];
                }
    }

    /** Adds the offset-major gradient {@code dwp} into the PyTorch-layout gradients. */
    static void unpackAdd(ConvShape s, float[] dwp, float[][] dw, int[] dwOff) {
        int ci = s.cin(), co = s.cout(), f = s.filters(), dmin = s.minOffset();
        int[] ks = s.kernels();
        for (int d = dmin; d <= s.maxOffset(); d++)
            for (ConvShape.Run run : s.runs(d))
                for (int col = run.c0(); col < run.c1(); col++) {
                    int k = col / f, o = col % f, ksz = ks[k], j = d + ConvShape.left(ksz);
                    int src = ((d - dmin) * co + col) * ci, dst = dwOff[k] + o * ci * ksz + j;
                    for (int c = 0; c < ci; c++) dw[k][dst + c * ksz] += dwp[src + c];
                }
    }

    /** {@code wp} is a workspace of {@link #packedSize} floats. */
    public static void forward(ConvShape s, int B, int T, float[] x, int xOff, int[] len, int lenOff,
                               float[][] w, int[] wOff, float[][] bias, int[] bOff, float[] out, int outOff, float[] wp) {
        int ci = s.cin(), co = s.cout(), f = s.filters(), P = s.pad(), stride = T + 2 * P, rows = B * stride;
        int dmin = s.minOffset();
        pack(s, w, wOff, wp);
        Arrays.fill(out, outOff, outOff + rows * co, 0f);
        for (int d = dmin; d <= s.maxOffset(); d++)
            for (ConvShape.Run run : s.runs(d))
                Sgemm.sgemm(false, true, rows - 2 * P, run.width(), ci, 1f,
                        x, xOff + (P + d) * ci, ci,
                        wp, ((d - dmin) * co + run.c0()) * ci, ci,
                        1f, out, outOff + P * co + run.c0(), co);
        // bias + ReLU on valid rows, zero elsewhere
        float[] b = new float[co];
        for (int col = 0; col < co; col++) b[col] = bias[col / f][bOff[col / f] + col % f];
        Parallel.forEach(B, bi -> {
            int n = len[lenOff + bi];
            for (int t = -P; t < T + P; t++) {
                int r = outOff + (bi * stride + P + t) * co;
                if (t >= 0 && t < n) {
                    for (int col = 0; col < co; col++) out[r + col] = Math.max(0f, out[r + col] + b[col]);
                } else {
                    Arrays.fill(out, r, r + co, 0f);
                }
            }
        });
    }

    /**
     * Overwrites {@code dout} with the pre-ReLU gradient dY, then adds into dx (unless null), dw and db.
     * {@code wp} and {@code dwp} are workspaces of {@link #packedSize} floats.
     */
    public static void backward(ConvShape s, int B, int T, float[] x, int xOff, int[] len, int lenOff,
                                float[][] w, int[] wOff, float[] out, int outOff, float[] dout, int doutOff,
                                float[] dx, int dxOff, float[][] dw, int[] dwOff, float[][] db, int[] dbOff,
                                float[] wp, float[] dwp) {
        int ci = s.cin(), co = s.cout(), f = s.filters(), P = s.pad(), stride = T + 2 * P, rows = B * stride;
        int dmin = s.minOffset();
        // dY = dout * ReLU'(out) on valid rows; 0 on every other row, so padding contributes nothing below.
        Parallel.forEach(B, bi -> {
            int n = len[lenOff + bi];
            for (int t = -P; t < T + P; t++) {
                int r = (bi * stride + P + t) * co;
                if (t >= 0 && t < n) {
                    for (int col = 0; col < co; col++) if (!(out[outOff + r + col] > 0f)) dout[doutOff + r + col] = 0f;
                } else {
                    Arrays.fill(dout, doutOff + r, doutOff + r + co, 0f);
                }
            }
        });
        // db[col] = sum over rows of dY; column blocks in parallel, rows in order (deterministic).
        int blk = 64;
        Parallel.forEach((co + blk - 1) / blk, cb -> {
            int c0 = cb * blk, c1 = Math.min(co, c0 + blk);
            double[] acc = new double[c1 - c0];
            for (int r = 0; r < rows; r++) {
                int base = doutOff + r * co;
                for (int col = c0; col < c1; col++) acc[col - c0] += dout[base + col];
            }
            for (int col = c0; col < c1; col++) db[col / f][dbOff[col / f] + col % f] += (float) acc[col - c0];
        });
        pack(s, w, wOff, wp);
        for (int d = dmin; d <= s.maxOffset(); d++) {
            List<ConvShape.Run> runs = s.runs(d);
            for (ConvShape.Run run : runs) {
                int wpOff = ((d - dmin) * co + run.c0()) * ci;
                // dW_d[run] = dY[:, run]^T . x[r + d]
                Sgemm.sgemm(true, false, run.width(), ci, rows - 2 * P, 1f,
                        dout, doutOff + P * co + run.c0(), co,
                        x, xOff + (P + d) * ci, ci,
                        0f, dwp, wpOff, ci);
                // dx[r + d] += dY[:, run] . W_d[run]
                if (dx != null)
                    Sgemm.sgemm(false, false, rows - 2 * P, ci, run.width(), 1f,
                            dout, doutOff + P * co + run.c0(), co,
                            wp, wpOff, ci,
                            1f, dx, dxOff + (P + d) * ci, ci);
            }
        }
        unpackAdd(s, dwp, dw, dwOff);
    }

    // ---- naive twin, double precision: the definition above, loop by loop ----

    public static void naiveForward(ConvShape s, int B, int T, double[] x, int[] len,
                                    double[][] w, double[][] bias, double[] out) {
        int ci = s.cin(), co = s.cout(), f = s.filters(), P = s.pad(), stride = T + 2 * P;
        int[] ks = s.kernels();
        Arrays.fill(out, 0, B * stride * co, 0.0);
        for (int b = 0; b < B; b++)
            for (int t = 0; t < len[b]; t++)
                for (int k = 0; k < ks.length; k++)
                    for (int o = 0; o < f; o++) {
                        double acc = bias[k][o];
                        for (int j = 0; j < ks[k]; j++) {
                            int tt = t - ConvShape.left(ks[k]) + j;
                            if (tt < 0 || tt >= len[b]) continue;
                            for (int c = 0; c < ci; c++)
                                acc += w[k][(o * ci + c) * ks[k] + j] * x[(b * stride + P + tt) * ci + c];
                        }
                        out[(b * stride + P + t) * co + k * f + o] = Math.max(0.0, acc);
                    }
    }

    /** Adds into dx (unless null), dw and db; does not modify dout. */
    public static void naiveBackward(ConvShape s, int B, int T, double[] x, int[] len, double[][] w,
                                     double[] out, double[] dout, double[] dx, double[][] dw, double[][] db) {
        int ci = s.cin(), co = s.cout(), f = s.filters(), P = s.pad(), stride = T + 2 * P;
        int[] ks = s.kernels();
        for (int b = 0; b < B; b++)
            for (int t = 0; t < len[b]; t++)
                for (int k = 0; k < ks.length; k++)
                    for (int o = 0; o < f; o++) {
                        int r = (b * stride + P + t) * co + k * f + o;
                        if (!(out[r] > 0)) continue;                // ReLU passes gradient where it is active
                        double g = dout[r];
                        db[k][o] += g;
                        for (int j = 0; j < ks[k]; j++) {
                            int tt = t - ConvShape.left(ks[k]) + j;
                            if (tt < 0 || tt >= len[b]) continue;
                            for (int c = 0; c < ci; c++) {
                                int xi = (b * stride + P + tt) * ci + c, wi = (o * ci + c) * ks[k] + j;
                                dw[k][wi] += g * x[xi];
                                if (dx != null) dx[xi] += g * w[k][wi];
                            }
                        }
                    }
    }
}
