/*
 * conv (cpu/Conv.java): the masked multi-scale "same" convolution + ReLU, around cuDNN.
 *   out[b, t, k*F + o] = ReLU( bias_k[o] + sum_{j < s_k} sum_c w_k[o, c, j] x[b, t - left(s_k) + j, c] ),  t < len[b]
 * The input x [B, W = T+2P, cin] already holds P zero rows around every utterance (and zeros past its length),
 * so cuDNN runs each kernel size k as an unpadded NHWC convolution (N = B, H = 1, W, C = cin) into a packed
 * y_k [B, Wk = W - s_k + 1, F], whose position u reads x rows u .. u + s_k - 1. Output t needs rows
 * P + t - left .. P + t + right, i.e. u = t + off with off = P - left(s_k) >= 0: the "same" padding, asymmetric
 * for even kernels, is exactly this choice of window, and no padding is asked of cuDNN.
 * Weights: PyTorch's [F, cin, s] (KCRS) is repacked to cuDNN's NHWC filter layout [F, 1, s, cin] (KRSC) before
 * the convolution; the filter gradient comes back the same way and is added into dw.
 * Backward: dout becomes the pre-ReLU gradient in place (zero where out <= 0 and off the valid rows, as the
 * Backend contract says), each kernel's columns are gathered into a packed dy_k [B, Wk, F] (zero outside
 * 0 <= t < T), and cuDNN's backward-data (accumulating, beta = 1) and backward-filter run on dy_k; the bias
 * gradient is the column sum of dy_k (linear.cu).
 */
#include "common.cuh"

SER4J_KERNEL void conv_pack_weights(int F, int cin, int s, const float *w, float *wt) {
    FOR_EACH_INDEX(i, (long long) F * cin * s) {           /* i indexes w [o][c][j] */
        int j = (int) (i % s);
        long long oc = i / s;
        int c = (int) (oc % cin), o = (int) (oc / cin);
        wt[((long long) o * s + j) * cin + c] = w[i];
    }
}

SER4J_KERNEL void conv_unpack_add(int F, int cin, int s, const float *dwt, float *dw) {
    FOR_EACH_INDEX(i, (long long) F * cin * s) {
        int j = (int) (i % s);
        long long oc = i / s;
        int c = (int) (oc % cin), o = (int) (oc / cin);
        dw[i] += dwt[((long long) o * s + j) * cin + c];
    }
}

/* out [B, W, co] columns col0 .. col0+F-1 from y_k [B, Wk, F]: bias + ReLU on valid rows, zero elsewhere. */
SER4J_KERNEL void conv_bias_relu(int B, int T, int P, int Wk, int off, int F, int co, int col0,
                                 const float *y, const float *bias, const int *len, float *out) {
    int W = T + 2 * P;
    FOR_EACH_INDEX(i, (long long) B * W * F) {
        int o = (int) (i % F);
        long long br = i / F;
        int b = (int) (br / W), t = (int) (br % W) - P;
        float v = 0.0f;
        if (t >= 0 && t < len[b]) v = relu_f(y[((long long) b * Wk + off + t) * F + o] + bias[o]);
        out[br * co + col0 + o] = v;
    }
}

/* dout [B, W, co] becomes dY = dout * (out > 0) on valid rows, 0 on every other row. */
SER4J_KERNEL void conv_relu_mask(int B, int T, int P, int co, const float *out, const int *len, float *dout) {
    int W = T + 2 * P;
    FOR_EACH_INDEX(i, (long long) B * W * co) {
        long long br = i / co;
        int b = (int) (br / W), t = (int) (br % W) - P;
        if (!(t >= 0 && t < len[b] && out[i] > 0.0f)) dout[i] = 0.0f;
    }
}

/* dy_k [B, Wk, F] from the masked dout's columns col0 .. col0+F-1: position u is output t = u - off. */
SER4J_KERNEL void conv_gather_dy(int B, int T, int P, int Wk, int off, int F, int co, int col0,
                                 const float *dout, float *dy) {
    FOR_EACH_INDEX(i, (long long) B * Wk * F) {
        int o = (int) (i % F);
        long long bu = i / F;
        int b = (int) (bu / Wk), t = (int) (bu % Wk) - off;
        dy[i] = (t >= 0 && t < T) ? dout[seq_row(b, t, T, P) * co + col0 + o] : 0.0f;
    }
}
