/*
 * statpool (cpu/StatPool.java): masked statistical pooling over the valid positions t < n = len[b] of
 * x [B, T+2P, C]. Per channel: max (first position attaining it cached in argmax [B, C]), mean, and the
 * population std sqrt(mean (x - mean)^2 + 1e-6), written as the blocks [max | mean | std] (mode SPU),
 * [max] (MAX) or [max | mean] (SWEM) into row b of out (row stride outStride). n = 0 gives zeros and argmax -1.
 * Forward: one thread per (b, c) walking t, the sums in double as in the Java op; consecutive threads read
 * consecutive channels, so every step of the walk is one coalesced row read.
 * Backward: one thread per (b, t, c):
 *   dx[t] += (t == argmax) dmax  +  dmean / n + dstd (x[t] - mean) / (n std)
 * (d var / d x_t = 2 (x_t - mean) / n; the mean's own dependence on x_t sums to zero), added in the Java order.
 */
#include "common.cuh"

#define STATPOOL_EPS 1e-6

HD int statpool_has_mean(int mode) { return mode != SER4J_STATS_MAX; }

HD int statpool_has_std(int mode) { return mode == SER4J_STATS_SPU; }

SER4J_KERNEL void statpool_forward(int mode, int B, int T, int P, int C, const float *x, const int *len,
                                   float *out, int outStride, int *argmax) {
    FOR_EACH_INDEX(i, (long long) B * C) {
        int b = (int) (i / C), c = (int) (i % C), n = len[b];
        float *o = out + (long long) b * outStride + c;
        if (n == 0) {
            o[0] = 0.0f;
            if (statpool_has_mean(mode)) o[C] = 0.0f;
            if (statpool_has_std(mode)) o[2 * C] = 0.0f;
            argmax[i] = -1;
            continue;
        }
        const float *xc = x + seq_row(b, 0, T, P) * C + c;
        float mx = xc[0];
        int arg = 0;
        double sum = 0;
        for (int t = 0; t < n; t++) {
            float v = xc[(long long) t * C];
            sum += v;
            if (v > mx) { mx = v; arg = t; }
        }
        o[0] = mx;
        argmax[i] = arg;
        if (!statpool_has_mean(mode)) continue;
        double mean = sum / n;
        o[C] = (float) mean;
        if (!statpool_has_std(mode)) continue;
        double sq = 0;
        for (int t = 0; t < n; t++) {
            double dv = xc[(long long) t * C] - mean;
            sq += dv * dv;
        }
        o[2 * C] = (float) sqrt(sq / n + STATPOOL_EPS);
    }
}

SER4J_KERNEL void statpool_backward(int mode, int B, int T, int P, int C, const float *x, const int *len,
                                    const float *out, int outStride, const int *argmax, const float *dout,
                                    float *dx) {
    FOR_EACH_INDEX(i, (long long) B * T * C) {
        int c = (int) (i % C);
        long long bt = i / C;
        int t = (int) (bt % T), b = (int) (bt / T), n = len[b];
        if (t >= n) continue;
        const float *o = out + (long long) b * outStride, *d = dout + (long long) b * outStride;
        long long xi = seq_row(b, t, T, P) * C + c;
        float g = dx[xi];
        if (argmax[(long long) b * C + c] == t) g += d[c];
        if (statpool_has_mean(mode)) {
            float dmean = d[C + c] / n;
            float coef = statpool_has_std(mode) ? d[2 * C + c] / (n * o[2 * C + c]) : 0.0f;
            g += dmean + coef * (x[xi] - o[C + c]);
        }
        dx[xi] = g;
    }
}
