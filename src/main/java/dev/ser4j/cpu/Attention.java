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

    public static void forward(int B, int G, int T, int P, int C, CpuFloats q, int qStride, CpuFloats keys, CpuInts len,
                               CpuFloats probs, CpuFloats out, int outStride) {
        float[] qa = q.array(), ka = keys.array(), pa = probs.array(), outa = out.array();
        int[] lena = len.array();
        int qOff = q.offset(), kOff = keys.offset(), lenOff = len.offset(), pOff = probs.offset(), outOff = out.offset();
        int stride = T + 2 * P;
        Parallel.forEach(B, b -> {
            int n = lena[lenOff + b], kb = kOff + (b * stride + P) * C;
            double[] s = new double[Math.max(n, 1)];
            for (int g = 0; g < G; g++) {
                int qg = qOff + b * qStride + g * C, pg = pOff + (b * G + g) * T, og = outOff + b * outStride + g * C;
                Arrays.fill(pa, pg, pg + T, 0f);
                Arrays.fill(outa, og, og + C, 0f);
                if (n == 0) continue;
                double max = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < n; k++) {
                    double dot = 0;
                    for (int c = 0; c < C; c++) dot += qa[qg + c] * ka[kb + k * C + c];
                    s[k] = dot;
                    max = Math.max(max, dot);
                }
                double z = 0;
                for (int k = 0; k < n; k++) z += (s[k] = Math.exp(s[k] - max));
                for (int k = 0; k < n; k++) {
                    float p = (float) (s[k] / z);
                    pa[pg + k] = p;
                    for (int c = 0; c < C; c++) outa[og + c] += p * ka[kb + k * C + c];
                }
            }
        });
    }

    public static void backward(int B, int G, int T, int P, int C, CpuFloats q, int qStride, CpuFloats keys, CpuInts len,
                                CpuFloats probs, CpuFloats dout, int outStride, CpuFloats dq, CpuFloats dkeys) {
        float[] qa = q.array(), ka = keys.array(), pa = probs.array(), douta = dout.array(), dqa = dq.array(), dka = dkeys.array();
        int[] lena = len.array();
        int qOff = q.offset(), kOff = keys.offset(), lenOff = len.offset(), pOff = probs.offset(), doutOff = dout.offset();
        int dqOff = dq.offset(), dkOff = dkeys.offset();
        int stride = T + 2 * P;
        Parallel.forEach(B, b -> {
            int n = lena[lenOff + b];
            if (n == 0) return;
            int kb = (b * stride + P) * C;
            double[] ds = new double[n];
            for (int g = 0; g < G; g++) {
                int qg = b * qStride + g * C, pg = pOff + (b * G + g) * T, og = doutOff + b * outStride + g * C;
                double sum = 0;
                for (int k = 0; k < n; k++) {
                    double dp = 0;
                    for (int c = 0; c < C; c++) dp += douta[og + c] * ka[kOff + kb + k * C + c];
                    ds[k] = dp;
                    sum += pa[pg + k] * dp;
                }
                for (int k = 0; k < n; k++) ds[k] = pa[pg + k] * (ds[k] - sum);
                for (int k = 0; k < n; k++) {
                    float p = pa[pg + k], d = (float) ds[k];
                    int kr = kb + k * C;
                    for (int c = 0; c < C; c++) {
                        dqa[dqOff + qg + c] += d * ka[kOff + kr + c];
                        dka[dkOff + kr + c] += p * douta[og + c] + d * qa[qOff + qg + c];
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
