/*
 * attention (cpu/Attention.java): the paper's bimodal attention (equations 4-6; no projection, no scaling).
 * For utterance b with n = len[b] valid keys h_k (rows of keys [B, T+2P, C]) and the G queries q_g (row b of q,
 * stride qStride, [q_0 | .. | q_{G-1}]):
 *   score[g,k] = q_g . h_k    p[g,:] = softmax over k < n    S_g = sum_k p[g,k] h_k    (S = 0 and p = 0 if n = 0)
 * probs [B, G, T] is cached for backward; out row b (stride outStride) receives [S_0 | .. | S_{G-1}]. Backward:
 *   dp[g,k] = dS_g . h_k    ds[g,k] = p[g,k] (dp[g,k] - sum_k' p[g,k'] dp[g,k'])
 *   dq_g += sum_k ds[g,k] h_k    dh_k += sum_g p[g,k] dS_g + ds[g,k] q_g
 * Each stage is its own kernel with one thread per output (no atomics, no cross-thread sums): the sizes are
 * small (G <= 3, T = tokens <= 128) next to the convolutions. Scores and ds live in a [B, G, T] double scratch;
 * dot products are float products summed in double and the softmax is in double, as in the Java op.
 */
#include "common.cuh"

SER4J_KERNEL void attention_scores(int B, int G, int T, int P, int C, const float *q, int qStride,
                                   const float *keys, const int *len, double *scores) {
    FOR_EACH_INDEX(i, (long long) B * G * T) {
        int k = (int) (i % T);
        long long bg = i / T;
        int g = (int) (bg % G), b = (int) (bg / G);
        if (k >= len[b]) continue;
        const float *qg = q + (long long) b * qStride + (long long) g * C, *h = keys + seq_row(b, k, T, P) * C;
        double dot = 0;
        for (int c = 0; c < C; c++) dot += qg[c] * h[c];
        scores[i] = dot;
    }
}

/* Turns the scores of row (b, g) into exp(score - max) in place and writes the probabilities. */
SER4J_KERNEL void attention_softmax(int B, int G, int T, const int *len, double *scores, float *probs) {
    FOR_EACH_INDEX(bg, (long long) B * G) {
        int n = len[bg / G];
        double *s = scores + bg * T;
        float *p = probs + bg * T;
        for (int k = 0; k < T; k++) p[k] = 0.0f;
        if (n == 0) continue;
        double mx = -INFINITY, z = 0;
        for (int k = 0; k < n; k++) mx = (s[k] > mx || s[k] != s[k]) ? s[k] : mx;
        for (int k = 0; k < n; k++) z += (s[k] = exp(s[k] - mx));
        for (int k = 0; k < n; k++) p[k] = (float) (s[k] / z);
    }
}

SER4J_KERNEL void attention_weighted_sum(int B, int G, int T, int P, int C, const float *keys, const int *len,
                                         const float *probs, float *out, int outStride) {
    FOR_EACH_INDEX(i, (long long) B * G * C) {
        int c = (int) (i % C);
        long long bg = i / C;
        int g = (int) (bg % G), b = (int) (bg / G), n = len[b];
        float acc = 0.0f;
        for (int k = 0; k < n; k++) acc += probs[bg * T + k] * keys[seq_row(b, k, T, P) * C + c];
        out[(long long) b * outStride + (long long) g * C + c] = acc;
    }
}

SER4J_KERNEL void attention_backward_scores(int B, int G, int T, int P, int C, const float *keys,
                                            const int *len, const float *dout, int outStride, double *ds) {
    FOR_EACH_INDEX(i, (long long) B * G * T) {
        int k = (int) (i % T);
        long long bg = i / T;
        int g = (int) (bg % G), b = (int) (bg / G);
        if (k >= len[b]) continue;
        const float *d = dout + (long long) b * outStride + (long long) g * C, *h = keys + seq_row(b, k, T, P) * C;
        double dp = 0;
        for (int c = 0; c < C; c++) dp += d[c] * h[c];
        ds[i] = dp;
    }
}

/* dp -> ds in place for row (b, g): the softmax Jacobian. */
SER4J_KERNEL void attention_backward_softmax(int B, int G, int T, const int *len, const float *probs, double *ds) {
    FOR_EACH_INDEX(bg, (long long) B * G) {
        int n = len[bg / G];
        const float *p = probs + bg * T;
        double *d = ds + bg * T, sum = 0;
        for (int k = 0; k < n; k++) sum += p[k] * d[k];
        for (int k = 0; k < n; k++) d[k] = p[k] * (d[k] - sum);
    }
}

SER4J_KERNEL void attention_backward_dq(int B, int G, int T, int P, int C, const float *keys, const int *len,
                                        const double *ds, float *dq, int qStride) {
    FOR_EACH_INDEX(i, (long long) B * G * C) {
        int c = (int) (i % C);
        long long bg = i / C;
        int g = (int) (bg % G), b = (int) (bg / G), n = len[b];
        float *dst = dq + (long long) b * qStride + (long long) g * C + c, acc = *dst;
        for (int k = 0; k < n; k++) acc += (float) ds[bg * T + k] * keys[seq_row(b, k, T, P) * C + c];
        *dst = acc;
    }
}

SER4J_KERNEL void attention_backward_dkeys(int B, int G, int T, int P, int C, const float *q, int qStride,
                                           const int *len, const float *probs, const double *ds,
                                           const float *dout, int outStride, float *dkeys) {
    FOR_EACH_INDEX(i, (long long) B * T * C) {
        int c = (int) (i % C);
        long long bk = i / C;
        int k = (int) (bk % T), b = (int) (bk / T);
        if (k >= len[b]) continue;
        float *dst = dkeys + seq_row(b, k, T, P) * C + c, acc = *dst;
        for (int g = 0; g < G; g++) {
            long long bg = (long long) b * G + g, qo = (long long) b * qStride + (long long) g * C + c;
            acc += probs[bg * T + k] * dout[(long long) b * outStride + (long long) g * C + c]
                   + (float) ds[bg * T + k] * q[qo];
        }
        *dst = acc;
    }
}
