/*
 * relu (cpu/Relu.java): out = max(0, x) with Java's Math.max semantics; backward dx += dout where out > 0
 * (the gradient at 0 is 0). Forward may run in place. One thread per element.
 */
#include "common.cuh"

SER4J_KERNEL void relu_forward(long long n, const float *x, float *out) {
    FOR_EACH_INDEX(i, n) out[i] = relu_f(x[i]);
}

SER4J_KERNEL void relu_backward(long long n, const float *out, const float *dout, float *dx) {
    FOR_EACH_INDEX(i, n) if (out[i] > 0.0f) dx[i] += dout[i];
}
