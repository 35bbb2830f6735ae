/*
 * common: what every kernel file shares — the host/device qualifier, grid-stride index math, the padded
 * sequence layout, ReLU with Java's semantics, and the deterministic warp/block sums with their host twins.
 *
 * Every .cu here is compiled twice: by nvcc into the fatbin (kernels/ser4j.cu includes them all), and by the
 * host C++ compiler into native/libser4j_hostmath.so (native/hostmath.cpp includes them), where __CUDACC__ is
 * undefined: SER4J_KERNEL then declares a plain extern "C" host function of the same name and parameters, and a
 * kernel written as a grid-stride loop (FOR_EACH_INDEX) runs its very body on the host as one thread visiting
 * every index. The few kernels that cooperate inside a block (shuffles, ballots, block sums) carry a host twin
 * under #ifndef __CUDACC__ that reproduces their decomposition and summation order. The kernels are built with
 * --fmad=false (CMakeLists.txt) and the host library with -ffp-contract=off, so a*b+c is two rounded operations
 * on both, as in Java: the host build then reproduces the device's float arithmetic, transcendental functions
 * (exp, log) aside.
 */
#ifndef SER4J_COMMON_CUH
#define SER4J_COMMON_CUH

#include "../native/ser4j_kernels.h"

#ifdef __CUDACC__
#define HD __host__ __device__ __forceinline__
#else
#include <math.h>
#include <stdint.h>
#define HD static inline
#endif

/* The PAD token id (cpu/Embedding.PAD). */
#define SER4J_PAD 0

/* Row of position t of utterance b in the padded layout [B, T+2P, C]. */
HD long long seq_row(int b, int t, int T, int P) { return (long long) b * (T + 2 * P) + P + t; }

/* Java's Math.max(0f, v): NaN stays NaN, -0 becomes +0. */
HD float relu_f(float v) { return (v > 0.0f || v != v) ? v : 0.0f; }

#ifdef __CUDACC__
/* Grid-stride loop over [0, n). */
#define FOR_EACH_INDEX(i, n) \
    for (long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x; i < (n); i += (long long) gridDim.x * blockDim.x)

/*
 * Butterfly sum over a warp: after the step with offset o, lane l holds the sum of its group of 2o lanes.
 * Addition is commutative, so lane l and lane l^o compute bit-identical values and every lane ends with the
 * same total, summed in a fixed order that warp_sum_host reproduces.
 */
__device__ __forceinline__ double warp_sum(double v) {
    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
    return v;
}

/* Sum over a block of exactly `threads` (a multiple of 32, at most 1024): warp sums, then warp 0 sums them. */
__device__ __forceinline__ double block_sum(double v, int threads) {
    __shared__ double warps[32];
    int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    v = warp_sum(v);
    if (lane == 0) warps[warp] = v;
    __syncthreads();
    double total = 0;
    if (warp == 0) {
        total = warp_sum(lane < threads / 32 ? warps[lane] : 0.0);
    }
    return total;    /* valid in warp 0 */
}
#else
/* On the host a kernel's grid-stride loop is one thread visiting every index in order. */
#define FOR_EACH_INDEX(i, n) for (long long i = 0; i < (n); i++)

/* Host twin of warp_sum: v holds the 32 lanes' values; returns the value every lane ends with. */
static inline double warp_sum_host(const double *v) {
    double cur[32], next[32];
    for (int l = 0; l < 32; l++) cur[l] = v[l];
    for (int o = 16; o > 0; o >>= 1) {
        for (int l = 0; l < 32; l++) next[l] = cur[l] + cur[l ^ o];
        for (int l = 0; l < 32; l++) cur[l] = next[l];
    }
    return cur[0];
}

/* Host twin of block_sum over `threads` values. */
static inline double block_sum_host(const double *v, int threads) {
    double warps[32];
    for (int w = 0; w < 32; w++) warps[w] = w < threads / 32 ? warp_sum_host(v + 32 * w) : 0.0;
    return warp_sum_host(warps);
}
#endif

#endif
