/*
 * adam (cpu/Adam.java): global-norm clipping and one bias-corrected Adam step, PyTorch's clip_grad_norm_ then
 * torch.optim.Adam:
 *   g' = g min(1, clip / (sqrt(normSq) + 1e-6))   m = b1 m + (1-b1) g'   v = b2 v + (1-b2) g'^2
 *   p -= stepSize m / (sqrt(v) / bc2Sqrt + eps)        stepSize = lr / (1 - b1^step), bc2Sqrt = sqrt(1 - b2^step)
 * normSq stays in device memory: squared_norm_partial / squared_norm_finish add sum(g^2) into it
 * deterministically (a fixed grid of SER4J_NORM_BLOCKS x SER4J_NORM_THREADS, double partial sums, warp-shuffle
 * and shared-memory block sums, a second one-block pass over the partials, no atomics), and every adam_update
 * thread derives the clip factor from it, so no value crosses to the host between backward and update.
 */
#include "common.cuh"

/* AdamHyper.clipScale(sqrt(normSq)), with Java's Math.min (a NaN norm gives NaN). */
HD float adam_clip_scale(float clipNorm, float normSq) {
    if (clipNorm <= 0.0f) return 1.0f;
    double r = clipNorm / (sqrt((double) normSq) + 1e-6);
    return (float) ((r != r || r < 1.0) ? r : 1.0);
}

#ifdef __CUDACC__
SER4J_KERNEL void squared_norm_partial(long long n, const float *g, double *partial) {
    double s = 0;
    for (long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (long long) gridDim.x * blockDim.x)
        s += (double) g[i] * g[i];
    double total = block_sum(s, blockDim.x);
    if (threadIdx.x == 0) partial[blockIdx.x] = total;
}

SER4J_KERNEL void squared_norm_finish(const double *partial, float *acc) {
    double total = block_sum(threadIdx.x < SER4J_NORM_BLOCKS ? partial[threadIdx.x] : 0.0, blockDim.x);
    if (threadIdx.x == 0) acc[0] = acc[0] + (float) total;
}
#else
SER4J_KERNEL void squared_norm_partial(long long n, const float *g, double *partial) {
    const long long threads = (long long) SER4J_NORM_BLOCKS * SER4J_NORM_THREADS;
    double s[SER4J_NORM_THREADS];
    for (int blk = 0; blk < SER4J_NORM_BLOCKS; blk++) {
        for (int tid = 0; tid < SER4J_NORM_THREADS; tid++) {
            s[tid] = 0;
            for (long long i = (long long) blk * SER4J_NORM_THREADS + tid; i < n; i += threads) s[tid] += (double) g[i] * g[i];
        }
        partial[blk] = block_sum_host(s, SER4J_NORM_THREADS);
    }
}

SER4J_KERNEL void squared_norm_finish(const double *partial, float *acc) {
    double v[SER4J_NORM_THREADS];
    for (int tid = 0; tid < SER4J_NORM_THREADS; tid++) v[tid] = tid < SER4J_NORM_BLOCKS ? partial[tid] : 0.0;
    acc[0] = acc[0] + (float) block_sum_host(v, SER4J_NORM_THREADS);
}
#endif

SER4J_KERNEL void adam_update(long long n, float stepSize, float bc2Sqrt, float beta1, float beta2, float eps,
                              float clipNorm, const float *normSq, float *p, const float *g, float *m, float *v) {
    float scale = adam_clip_scale(clipNorm, normSq[0]);
    FOR_EACH_INDEX(i, n) {
        float gi = g[i] * scale;
        float mi = m[i] = beta1 * m[i] + (1 - beta1) * gi;
        float vi = v[i] = beta2 * v[i] + (1 - beta2) * gi * gi;
        p[i] -= stepSize * mi / (sqrtf(vi) / bc2Sqrt + eps);
    }
}
