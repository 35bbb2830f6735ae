/*
 * crossentropy (cpu/CrossEntropy.java): probs = softmax(logits [N, E]), losses[n] = logsumexp(logits_n) -
 * logits_n[label_n] (skipped when losses is null); backward dlogits += (probs - onehot(label)) / N.
 * Forward: one thread per row, in double like the Java op; backward: one thread per element.
 */
#include "common.cuh"

SER4J_KERNEL void crossentropy_forward(int N, int E, const float *logits, const int *labels, float *probs,
                                       float *losses) {
    FOR_EACH_INDEX(n, N) {
        const float *l = logits + n * E;
        double mx = -INFINITY, z = 0;
        for (int e = 0; e < E; e++) {
            double v = l[e];
            mx = (v > mx || v != v) ? v : mx;          /* Math.max: NaN wins */
        }
        for (int e = 0; e < E; e++) z += exp(l[e] - mx);
        double lse = mx + log(z);
        for (int e = 0; e < E; e++) probs[n * E + e] = (float) exp(l[e] - lse);
        if (losses) losses[n] = (float) (lse - l[labels[n]]);
    }
}

SER4J_KERNEL void crossentropy_backward(int N, int E, const float *probs, const int *labels, float *dlogits) {
    FOR_EACH_INDEX(i, (long long) N * E) {
        int n = (int) (i / E), e = (int) (i % E);
        float target = e == labels[n] ? 1.0f : 0.0f;
        dlogits[i] += (probs[i] - target) / N;
    }
}
