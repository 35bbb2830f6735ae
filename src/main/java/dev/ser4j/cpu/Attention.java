package dev.ser4j.cpu;

import java.util.Arrays;

/**
 * attention: the bimodal attention of the paper (equations 4-6; no projection, no scaling). For utterance b
 * with n = len[b] valid keys, each of the G queries q_g (the audio pooling blocks, width C):
 * <pre>
 *   score[g, k] = q_g . h_k      p[g, :] = softmax over k < n      S_g = sum_k p[g, k] h_k      (S = 0 if n = 0)
 * </pre>
 * q row b (stride Sq) holds [q_0 | .. | q_{G-1}]; keys h [B, T+2P, C] padded; probs [B, G, T] cached for backward;
 * out row b (stride So) receives [S_0 | .. | S_{G-1}]. Backward, with dS_g given:
 * <pre>
 *   dp[g,k] = dS_g . h_k      ds[g,k] = p[g,k] (dp[g,k] - sum_k' p[g,k'] dp[g,k'])     (softmax Jacobian)
 *   dq_g += sum_k ds[g,k] h_k      dh_k += sum_g p[g,k] dS_g + ds[g,k] q_g
 * </pre>
 */
public final class Attention {
    private Attention() {}

    public static void forward(int B, int G, int T, int P, int C, float[] q, int qOff, int qStride,
                               float[] keys, int kOff, int[] len, int lenOff, float[] probs, int pOff,
                               float[] out, int outOff, int outStride) {
        int stride = T + 2 * P;
        Parallel.forEach(B, b -> {
            int n = len[lenOff + b], kb = kOff + (b * stride + P) * C;
            double[] s = new double[Math.max(n, 1)];
            for (int g = 0; g < G; g++) {
                int qg = qOff + b * qStride + g * C, pg = pOff + (b * G + g) * T, og = outOff + b * outStride + g * C;
                Arrays.fill(probs, pg, pg + T, 0f);
                Arrays.fill(out, og, og + C, 0f);
                if (n == 0) continue;
                double max = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < n; k++) {
                    double dot = 0;
                    for (int c = 0; c < C; c++) dot += q[qg + c] * keys[kb + k * C + c];
                    s[k] = dot;
                    max = Math.max(max, dot);
                }
                double z = 0;
                for (int k = 0; k < n; k++) z += (s[k] = Math.exp(s[k] - max));
                for (int k = 0; k < n; k++) {
                    float p = (float) (s[k] / z);
                    probs[pg + k] = p;
                    for (int c = 0; c < C; c++) out[og + c] += p * keys[kb + k * C + c];
                }
            }
        });
    }

    public static void backward(int B, int G, int T, int P, int C, float[] q, int qOff, int qStride,
                                float[] keys, int kOff, int[] len, int lenOff, float[] probs, int pOff,
                                float[] dout, int doutOff, int outStride, float[] dq, int dqOff, float[] dkeys, int dkOff) {
        int stride = T + 2 * P;
        Parallel.forEach(B, b -> {
            int n = len[lenOff + b];
            if (n == 0) return;
            int kb = (b * stride + P) * C;
            double[] ds = new double[n];
            for (int g = 0; g < G; g++) {
                int qg = b * qStride + g * C, pg = pOff + (b * G + g) * T, og = doutOff + b * outStride + g * C;
                double sum = 0;
                for (int k = 0; k < n; k++) {
                    double dp = 0;
                    for (int c = 0; c < C; c++) dp += dout[og + c] * keys[kOff + kb + k * C + c];
                    ds[k] = dp;
                    sum += probs[pg + k] * dp;
                }
                for (int k = 0; k < n; k++) ds[k] = probs[pg + k] * (ds[k] - sum);
                for (int k = 0; k < n; k++) {
                    float p = probs[pg + k], d = (float) ds[k];
                    int kr = kb + k * C;
                    for (int c = 0; c < C; c++) {
                        dq[dqOff + qg + c] += d * keys[kOff + kr + c];
                        dkeys[dkOff + kr + c] += p * dout[og + c] + d * q[qOff + qg + c];
                    }
                }
            }
        });
    }

    // ---- naive twin, double precision ----

    public static void naiveForward(int B, int G, int T, int P, int C, double[] q, int qStride, double[] keys,
                                    int[] len, double[] probs, double[] out, int outStride) {
        int stride = T + 2 * P;
        for (int b = 0; b < B; b++)
            for (int g = 0; g < G; g++) {
                int n = len[b];
                double[] s = new double[n];
                double max = Double.NEGATIVE_INFINITY, z = 0;
                for (int k = 0; k < n; k++) {
                    for (int c = 0; c < C; c++) s[k] += q[b * qStride + g * C + c] * keys[(b * stride + P + k) * C + c];
                    max = Math.max(max, s[k]);
                }
                for (int k = 0; k < n; k++) z += Math.exp(s[k] - max);
                for (int c = 0; c < C; c++) out[b * outStride + g * C + c] = 0;
                for (int k = 0; k < T; k++) {
                    double p = k < n ? Math.exp(s[k] - max) / z : 0;
                    probs[(b * G + g) * T + k] = p;
                    for (int c = 0; c < C && k < n; c++) out[b * outStride + g * C + c] += p * keys[(b * stride + P + k) * C + c];
                }
            }
    }

    public static void naiveBackward(int B, int G, int T, int P, int C, double[] q, int qStride, double[] keys,
                                     int[] len, double[] probs, double[] dout, int outStride, double[] dq, double[] dkeys) {
        int stride = T + 2 * P;
        for (int b = 0; b < B; b++)
            for (int g = 0; g < G; g++) {
                int n = len[b];
                double[] dp = new double[n];
                double sum = 0;
                for (int k = 0; k < n; k++) {
                    for (int c = 0; c < C; c++) dp[k] += dout[b * outStride + g * C + c] * keys[(b * stride + P + k) * C + c];
                    sum += probs[(b * G + g) * T + k] * dp[k];
                }
                for (int k = 0; k < n; k++) {
                    double p = probs[(b * G + g) * T + k], ds = p * (dp[k] - sum);
                    for (int c = 0; c < C; c++) {
                        int ki = (b * stride + P + k) * C + c, qi = b * qStride + g * C + c;
                        dq[qi] += ds * keys[ki];
                        dkeys[ki] += p * dout[b * outStride + g * C + c] + ds * q[qi];
                    }
                }
            }
    }
}
