/*
 * The launcher ABI of ser4j's CUDA kernels: every entry point of the fatbin, by symbol name and parameter list.
 *
 * The kernels are `extern "C" __global__` so their symbols are these plain names (facts sheet D, "Symbol names").
 * Java launches them with cudaLibraryGetKernel + cudaLaunchKernel (sheet A.4) through
 * bindings/dev/ser4j/bindings/kernels/Kernels.java, which mirrors this file parameter by parameter;
 * KernelsAbiTest checks that mirror against the .entry declarations of the PTX in the built fatbin.
 * kernels/*.cu include this header, so nvcc rejects a definition that disagrees with a declaration here.
 *
 * Conventions: sizes are int, element counts that may exceed 2^31 and seeds are long long, pointers are device
 * pointers. Sequences use the padded layout [B, T+2P, C] (row b*(T+2P) + P + t). Gradients are ADDED into.
 * Launch geometry is the caller's, except where a kernel names a fixed block size (SER4J_*_THREADS below).
 */
#ifndef SER4J_KERNELS_H
#define SER4J_KERNELS_H

#ifdef __CUDACC__
#define SER4J_KERNEL extern "C" __global__
#else
#ifdef __cplusplus
#define SER4J_KERNEL extern "C"
#else
#define SER4J_KERNEL extern
#endif
#endif

/* Fixed block sizes: the result's summation order depends on them, so they are part of the ABI. */
#define SER4J_EMB_THREADS 128      /* embedding_backward: one block of 128 per token position */
#define SER4J_NORM_THREADS 256     /* squared_norm_partial / squared_norm_finish */
#define SER4J_NORM_BLOCKS 256      /* squared_norm_partial's grid, independent of the device */
#define SER4J_COLSUM_ROWS 256      /* colsum_partial: rows per chunk */

/* statpool modes (dev.ser4j.core.Pooling ordinal order) */
#define SER4J_STATS_SPU 0
#define SER4J_STATS_MAX 1
#define SER4J_STATS_SWEM 2

/* pad.cu */
SER4J_KERNEL void pad_forward(int B, int T, int P, int C, const float *x, const int *len, float *out);

/* fill.cu: fills and strided copies */
SER4J_KERNEL void fill_f32(long long n, float value, float *x);
SER4J_KERNEL void copy_rows(int rows, int width, const float *src, float *dst, int dstStride);

/* linear.cu: the parts of the linear layer around cuBLAS; colsum also gives the convolution's bias gradient */
SER4J_KERNEL void bias_rows(int N, int O, const float *bias, float *out);
SER4J_KERNEL void colsum_partial(int rows, int cols, const float *x, int ldx, double *partial);
SER4J_KERNEL void colsum_finish(int chunks, int cols, const double *partial, float *out);

/* embedding.cu */
SER4J_KERNEL void embedding_forward(int B, int T, int P, int D, const int *tokens, const int *len,
                                    const float *table, float *out);
SER4J_KERNEL void embedding_backward(int B, int T, int P, int D, const int *tokens, const int *len,
                                     const float *dout, float *dtable);

/* conv.cu: the parts of the multi-scale convolution around cuDNN */
SER4J_KERNEL void conv_pack_weights(int F, int cin, int s, const float *w, float *wt);
SER4J_KERNEL void conv_unpack_add(int F, int cin, int s, const float *dwt, float *dw);
SER4J_KERNEL void conv_bias_relu(int B, int T, int P, int Wk, int off, int F, int co, int col0,
                                 const float *y, const float *bias, const int *len, float *out);
SER4J_KERNEL void conv_relu_mask(int B, int T, int P, int co, const float *out, const int *len, float *dout);
SER4J_KERNEL void conv_gather_dy(int B, int T, int P, int Wk, int off, int F, int co, int col0,
                                 const float *dout, float *dy);

/* statpool.cu */
SER4J_KERNEL void statpool_forward(int mode, int B, int T, int P, int C, const float *x, const int *len,
                                   float *out, int outStride, int *argmax);
SER4J_KERNEL void statpool_backward(int mode, int B, int T, int P, int C, const float *x, const int *len,
                                    const float *out, int outStride, const int *argmax, const float *dout,
                                    float *dx);

/* attention.cu; scores is a [B, G, T] double scratch shared by forward and backward */
SER4J_KERNEL void attention_scores(int B, int G, int T, int P, int C, const float *q, int qStride,
                                   const float *keys, const int *len, double *scores);
SER4J_KERNEL void attention_softmax(int B, int G, int T, const int *len, double *scores, float *probs);
SER4J_KERNEL void attention_weighted_sum(int B, int G, int T, int P, int C, const float *keys, const int *len,
                                         const float *probs, float *out, int outStride);
SER4J_KERNEL void attention_backward_scores(int B, int G, int T, int P, int C, const float *keys,
                                            const int *len, const float *dout, int outStride, double *ds);
SER4J_KERNEL void attention_backward_softmax(int B, int G, int T, const int *len, const float *probs, double *ds);
SER4J_KERNEL void attention_backward_dq(int B, int G, int T, int P, int C, const float *keys, const int *len,
                                        const double *ds, float *dq, int qStride);
SER4J_KERNEL void attention_backward_dkeys(int B, int G, int T, int P, int C, const float *q, int qStride,
                                           const int *len, const float *probs, const double *ds,
                                           const float *dout, int outStride, float *dkeys);

/* relu.cu */
SER4J_KERNEL void relu_forward(long long n, const float *x, float *out);
SER4J_KERNEL void relu_backward(long long n, const float *out, const float *dout, float *dx);

/* dropout.cu */
SER4J_KERNEL void dropout_forward(long long n, float p, long long seed, const float *x, float *out);
SER4J_KERNEL void dropout_backward(long long n, float p, long long seed, const float *dout, float *dx);

/* crossentropy.cu */
SER4J_KERNEL void crossentropy_forward(int N, int E, const float *logits, const int *labels, float *probs,
                                       float *losses);
SER4J_KERNEL void crossentropy_backward(int N, int E, const float *probs, const int *labels, float *dlogits);

/* adam.cu: the squared-norm reduction and the update */
SER4J_KERNEL void squared_norm_partial(long long n, const float *g, double *partial);
SER4J_KERNEL void squared_norm_finish(const double *partial, float *acc);
SER4J_KERNEL void adam_update(long long n, float stepSize, float bc2Sqrt, float beta1, float beta2, float eps,
                              float clipNorm, const float *normSq, float *p, const float *g, float *m, float *v);

#endif
