package dev.ser4j.cpu;

import dev.ser4j.core.Pooling;

import java.util.Arrays;

/**
 * statpool: masked statistical pooling over the valid positions {@code t < len[b]} of a padded sequence
 * (model spec, "SPU" and "SWEM"), per channel c:
 * <pre>
 *   max = max_t x[b,t,c]     mean = (1/n) sum_t x[b,t,c]     std = sqrt( (1/n) sum_t (x[b,t,c] - mean)^2 + 1e-6 )
 * </pre>
 * x [B, T+2P, C]; out row b (stride S): the {@link Pooling} blocks [max | mean | std], each C wide;
 * argmax [B, C] caches the first position attaining the max (-1 for n = 0). For n = 0 every output is 0 and
 * passes no gradient. Backward reads mean and std back from out.
 * <pre>
 *   dx[argmax] += dmax      dx[t] += dmean / n      dx[t] += dstd * (x[t] - mean) / (n * std)
 * </pre>
 * (the last because d var / d x_t = 2 (x_t - mean) / n: the mean's own dependence on x_t sums to zero).
 */
public final class StatPool {
    private StatPool() {}

    /** The population-variance epsilon inside the square root (model spec). */
    public static final double EPS = 1e-6;

    public static void forward(Pooling st, int B, int T, int P, int C, CpuFloats x, CpuInts len,
                               CpuFloats out, int outStride, CpuInts argmax) {
        float[] xa = x.array(), outa = out.array();
        int[] lena = len.array(), ama = argmax.array();
        int xOff = x.offset(), lenOff = len.offset(), outOff = out.offset(), amOff = argmax.offset();
        int stride = T + 2 * P;
        Parallel.forEach(B, b -> {
            int n = lena[lenOff + b], o = outOff + b * outStride, am = amOff + b * C;
            if (n == 0) {
                Arrays.fill(outa, o, o + st.blocks() * C, 0f);
                Arrays.fill(ama, am, am + C, -1);
                return;
            }
            int base = xOff + (b * stride + P) * C;
            float[] max = Arrays.copyOfRange(xa, base, base + C);
            int[] arg = new int[C];
            double[] sum = new double[C];
            for (int t = 0; t < n; t++) {
                int r = base + t * C;
                for (int c = 0; c < C; c++) {
                    float v = xa[r + c];
                    sum[c] += v;
                    if (v > max[c]) { max[c] = v; arg[c] = t; }
                }
            }
            System.arraycopy(max, 0, outa, o, C);
            System.arraycopy(arg, 0, ama, am, C);
            if (!st.mean) return;
            for (int c = 0; c < C; c++) sum[c] /= n;                       // sum now holds the mean
            for (int c = 0; c < C; c++) outa[o + C + c] = (float) sum[c];
            if (!st.std) return;
            double[] sq = new double[C];
            for (int t = 0; t < n; t++) {
                int r = base + t * C;
                for (int c = 0; c < C; c++) {
                    double dv = xa[r + c] - sum[c];
                    sq[c] += dv * dv;
                }
            }
            for (int c = 0; c < C; c++) outa[o + 2 * C + c] = (float) Math.sqrt(sq[c] / n + EPS);
        });
    }

    public static void backward(Pooling st, int B, int T, int P, int C, CpuFloats x, CpuInts len,
                                CpuFloats out, int outStride, CpuInts argmax, CpuFloats dout, CpuFloats dx) {
        float[] xa = x.array(), outa = out.array(), douta = dout.array(), dxa = dx.array();
        int[] lena = len.array(), ama = argmax.array();
        int xOff = x.offset(), lenOff = len.offset(), outOff = out.offset(), amOff = argmax.offset();
        int doutOff = dout.offset(), dxOff = dx.offset();
        int stride = T + 2 * P;
        Parallel.forEach(B, b -> {
            int n = lena[lenOff + b];
            if (n == 0) return;
            int o = b * outStride, base = (b * stride + P) * C;
            for (int c = 0; c < C; c++) dxa[dxOff + base + ama[amOff + b * C + c] * C + c] += douta[doutOff + o + c];
            if (!st.mean) return;
            float[] dmean = new float[C], coef = new float[C], mean = new float[C];
            for (int c = 0; c < C; c++) {
                dmean[c] = douta[doutOff + o + C + c] / n;
                mean[c] = outa[outOff + o + C + c];
                if (st.std) coef[c] = douta[doutOff + o + 2 * C + c] / (n * outa[outOff + o + 2 * C + c]);
            }
            for (int t = 0; t < n; t++) {
                int r = base + t * C;
                for (int c = 0; c < C; c++)
                    dxa[dxOff + r + c] += dmean[c] + coef[c] * (xa[xOff + r + c] - mean[c]);
            }
        });
    }

    // ---- naive twin, double precision ----

    public static void naiveForward(Pooling st, int B, int T, int P, int C, double[] x, int[] len,
                                    double[] out, int outStride, int[] argmax) {
        int stride = T + 2 * P;
        for (int b = 0; b < B; b++) {
            int n = len[b];
            for (int c = 0; c < C; c++) {
                double max = 0, mean = 0, var = 0;
                int arg = -1;
                for (int t = 0; t < n; t++) {
                    double v = x[(b * stride + P + t) * C + c];
                    if (arg < 0 || v > max) { max = v; arg = t; }
                    mean += v / n;
                }
                for (int t = 0; t < n; t++) {
                    double v = x[(b * stride + P + t) * C + c];
                    var += (v - mean) * (v - mean) / n;
                }
                argmax[b * C + c] = arg;
                out[b * outStride + c] = max;
                if (st.mean) out[b * outStride + C + c] = mean;
                if (st.std) out[b * outStride + 2 * C + c] = n == 0 ? 0 : Math.sqrt(var + EPS);
            }
        }
    }

    public static void naiveBackward(Pooling st, int B, int T, int P, int C, double[] x, int[] len,
                                     double[] out, int outStride, int[] argmax, double[] dout, double[] dx) {
        int stride = T + 2 * P;
        for (int b = 0; b < B; b++) {
            int n = len[b];
            for (int c = 0; c < C; c++) {
                if (n == 0) continue;
                dx[(b * stride + P + argmax[b * C + c]) * C + c] += dout[b * outStride + c];
                for (int t = 0; t < n; t++) {
                    int xi = (b * stride + P + t) * C + c;
                    if (st.mean) dx[xi] += dout[b * outStride + C + c] / n;
                    if (st.std) {
                        double mean = out[b * outStride + C + c], std = out[b * outStride + 2 * C + c];
                        dx[xi] += dout[b * outStride + 2 * C + c] * (x[xi] - mean) / (n * std);
                    }
                }
            }
        }
    }
}
