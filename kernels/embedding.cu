/*
 * embedding (cpu/Embedding.java): out[b, t] = table[tokens[b, t]] for t < len[b], zero on every other row of
 * the padded out [B, T+2P, D]; tokens [B, T]; table [V, D]. Backward adds each valid position's gradient row
 * into its token's row of dtable, except for PAD (0), in position order q = b*T + t, like the Java op.
 *
 * Backward without atomics, deterministic: one block (SER4J_EMB_THREADS threads) per position p. The block
 * first asks whether an earlier valid position holds the same token (threads share the scan, then
 * __syncthreads_or); only the block of the token's FIRST occurrence goes on. It walks the positions q >= p in
 * chunks of one block: each warp ballots which of its 32 positions match, and every thread — one per channel d,
 * D in strides of the block — adds the matching rows to its running value (starting from dtable[v, d]) in
 * increasing q: the Java summation order exactly. The host twin below does the same walk serially.
 */
#include "common.cuh"

/* Whether position q (= b*T + t) is a valid, non-PAD occurrence of token v. */
HD int embedding_match(const int *tokens, const int *len, int T, long long q, int v) {
    int b = (int) (q / T), t = (int) (q % T);
    return t < len[b] && tokens[q] == v;
}

SER4J_KERNEL void embedding_forward(int B, int T, int P, int D, const int *tokens, const int *len,
                                    const float *table, float *out) {
    int W = T + 2 * P;
    FOR_EACH_INDEX(i, (long long) B * W * D) {
        int d = (int) (i % D);
        long long br = i / D;
        int b = (int) (br / W), t = (int) (br % W) - P;
        out[i] = (t >= 0 && t < len[b]) ? table[(long long) tokens[(long long) b * T + t] * D + d] : 0.0f;
    }
}

#ifdef __CUDACC__
SER4J_KERNEL void embedding_backward(int B, int T, int P, int D, const int *tokens, const int *len,
                                     const float *dout, float *dtable) {
    __shared__ unsigned masks[SER4J_EMB_THREADS / 32];
    long long p = blockIdx.x, N = (long long) B * T;
    int v = tokens[p];
    if (!embedding_match(tokens, len, T, p, v) || v == SER4J_PAD) return;        /* uniform over the block */
    int seen = 0;
    for (long long q = threadIdx.x; q < p; q += blockDim.x) seen |= embedding_match(tokens, len, T, q, v);
    if (__syncthreads_or(seen)) return;                                          /* not the first occurrence */
    int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    for (int d0 = 0; d0 < D; d0 += blockDim.x) {
        int d = d0 + threadIdx.x;
        float acc = d < D ? dtable[(long long) v * D + d] : 0.0f;
        for (long long q0 = p; q0 < N; q0 += blockDim.x) {
            long long q = q0 + threadIdx.x;
            unsigned m = __ballot_sync(0xffffffffu, q < N && embedding_match(tokens, len, T, q, v));
            if (lane == 0) masks[warp] = m;
            __syncthreads();
            for (int w = 0; w < SER4J_EMB_THREADS / 32; w++)
                for (unsigned bits = masks[w]; bits; bits &= bits - 1) {
                    long long qq = q0 + 32 * w + (__ffs(bits) - 1);
                    if (d < D) acc += dout[seq_row((int) (qq / T), (int) (qq % T), T, P) * D + d];
                }
            __syncthreads();
        }
        if (d < D) dtable[(long long) v * D + d] = acc;
    }
}
#else
SER4J_KERNEL void embedding_backward(int B, int T, int P, int D, const int *tokens, const int *len,
                                     const float *dout, float *dtable) {
    long long N = (long long) B * T;
    for (long long p = 0; p < N; p++) {
        int v = tokens[p];
        if (!embedding_match(tokens, len, T, p, v) || v == SER4J_PAD) continue;
        int seen = 0;
        for (long long q = 0; q < p; q++) seen |= embedding_match(tokens, len, T, q, v);
        if (seen) continue;
        for (int d = 0; d < D; d++) {
            float acc = dtable[(long long) v * D + d];
            for (long long q = p; q < N; q++)
                if (embedding_match(tokens, len, T, q, v)) acc += dout[seq_row((int) (q / T), (int) (q % T), T, P) * D + d];
            dtable[(long long) v * D + d] = acc;
        }
    }
}
#endif
