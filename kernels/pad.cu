/*
 * pad: dense sequences x [B, T, C] into the padded layout out [B, T+2P, C] (cpu/Pad.java): rows
 * t < min(len[b], T) are copied, every other row (the P pad rows on each side included) is zero.
 * Not differentiated. One thread per output element.
 */
#include "common.cuh"

SER4J_KERNEL void pad_forward(int B, int T, int P, int C, const float *x, const int *len, float *out) {
    int W = T + 2 * P;
    FOR_EACH_INDEX(i, (long long) B * W * C) {
        int c = (int) (i % C);
        long long r = i / C;
        int b = (int) (r / W), t = (int) (r % W) - P;
        int n = len[b] < T ? len[b] : T;
        out[i] = (t >= 0 && t < n) ? x[((long long) b * T + t) * C + c] : 0.0f;
    }
}
