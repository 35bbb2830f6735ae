/*
 * dropout (cpu/Dropout.java): inverted dropout, out[i] = keep(i) ? x[i] / (1 - p) : 0, backward
 * dx[i] += keep(i) ? dout[i] / (1 - p) : 0. The mask is recomputed, never stored: keep is the counter-based
 * SplitMix64 of backend/DropoutMask.keep, bit for bit (64-bit wrapping arithmetic, logical shifts, 24 bits to [0, 1)), so
 * the CPU and the GPU drop the same elements for the same seed.
 */
#include "common.cuh"

HD int dropout_keep(unsigned long long seed, unsigned long long i, float p) {
    unsigned long long z = seed + (i + 1ULL) * 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    z ^= z >> 31;
    return (float) (z >> 40) * 0x1.0p-24f >= p;      /* exact: a 24-bit integer times 2^-24 */
}

SER4J_KERNEL void dropout_forward(long long n, float p, long long seed, const float *x, float *out) {
    float scale = 1.0f / (1.0f - p);
    FOR_EACH_INDEX(i, n) out[i] = dropout_keep((unsigned long long) seed, (unsigned long long) i, p) ? x[i] * scale : 0.0f;
}

SER4J_KERNEL void dropout_backward(long long n, float p, long long seed, const float *dout, float *dx) {
    float scale = 1.0f / (1.0f - p);
    FOR_EACH_INDEX(i, n) if (dropout_keep((unsigned long long) seed, (unsigned long long) i, p)) dx[i] += dout[i] * scale;
}
