package dev.ser4j.backend;

import dev.ser4j.core.Pooling;

/**
 * The compute of the model: one forward/backward pair per op, over buffers this backend owns. The CPU
 * backend is the reference; every other backend computes the same function (see docs/model-spec.md).
 *
 * <p>Conventions shared by every op:
 * <ul>
 * <li>Sequences are padded per utterance: {@code [B, T + 2P, C]}, utterance b's position t at row
 *     {@code b*(T+2P) + P + t}; rows outside {@code 0 <= t < len[b]} are zero where an op writes them.</li>
 * <li>Every backward <b>adds</b> into its gradient outputs ({@code dx, dw, db}); a gradient block is zeroed
 *     once per step with {@link #fill}. A {@code null} gradient output is not computed.</li>
 * <li>Outputs written into a row of a wider matrix (the head's concatenated input) take a row stride.</li>
 * </ul>
 */
public interface Backend extends AutoCloseable {
    /** A short name for messages and reports, e.g. {@code cpu} or {@code cuda}. */
    String name();

    /** Zero-filled storage, freed when the backend is closed. */
    FloatBuf allocFloats(long n);

    IntBuf allocInts(long n);

    /** Returns a buffer from {@link #allocFloats} (not a slice) to the backend before close, e.g. when activations grow. */
    void free(FloatBuf buf);

    void free(IntBuf buf);

    /** Copies {@code dst.length()} values from {@code src[srcOffset..]}. */
    void upload(float[] src, int srcOffset, FloatBuf dst);

    void upload(int[] src, int srcOffset, IntBuf dst);

    /** Copies all of {@code src} to {@code dst[dstOffset..]}. */
    void download(FloatBuf src, float[] dst, int dstOffset);

    void download(IntBuf src, int[] dst, int dstOffset);

    /** Copies {@code rows x width} dense values of {@code src} into rows of {@code dst} (row stride {@code dstStride}). */
    void uploadRows(float[] src, int rows, int width, FloatBuf dst, int dstStride);

    void fill(FloatBuf dst, float value);

    void copy(FloatBuf src, FloatBuf dst);

    /** Dense {@code x [B, T, C]} into padded {@code out [B, T+2P, C]}; frames past {@code len} become zero. */
    void padForward(int B, int T, int P, int C, FloatBuf x, IntBuf len, FloatBuf out);

    /** {@code out[b, t] = table[tokens[b, t]]} for {@code t < len[b]}, zero elsewhere; padded layout. */
    void embeddingForward(int B, int T, int P, int D, IntBuf tokens, IntBuf len, FloatBuf table, FloatBuf out);

    /** Adds {@code dout} rows into their tokens' rows of {@code dtable}; the PAD row (0) gets nothing. */
    void embeddingBackward(int B, int T, int P, int D, IntBuf tokens, IntBuf len, FloatBuf dout, FloatBuf dtable);

    /** Masked multi-scale "same" convolution + ReLU: {@code x [B,T+2P,cin] -> out [B,T+2P,cout]}. */
    void convForward(ConvShape s, int B, int T, FloatBuf x, IntBuf len, FloatBuf[] w, FloatBuf[] b, FloatBuf out);

    /** Backward of {@link #convForward}; {@code dout} may be overwritten (a backend may turn it into the pre-ReLU gradient). */
    void convBackward(ConvShape s, int B, int T, FloatBuf x, IntBuf len, FloatBuf[] w, FloatBuf out,
                      FloatBuf dout, FloatBuf dx, FloatBuf[] dw, FloatBuf[] db);

    /**
     * {@link #convForward} then {@link #statPoolForward} (SPU or MAX) of its output into {@code pooled}; a backend may
     * fuse the two into one pass over the output. {@code P} is {@code s.pad()}, C is {@code s.cout()}.
     */
    default void convStatPoolForward(ConvShape s, Pooling st, int B, int T, FloatBuf x, IntBuf len, FloatBuf[] w, FloatBuf[] b,
                                 FloatBuf out, FloatBuf pooled, int pooledStride, IntBuf argmax) {
        convForward(s, B, T, x, len, w, b, out);
        statPoolForward(st, B, T, s.pad(), s.cout(), out, len, pooled, pooledStride, argmax);
    }

    /**
     * Backward of {@link #convStatPoolForward} for an output whose pooling is its only consumer: {@link #statPoolBackward}
     * into {@code dout} (zeroed by the caller; a backend that fuses the two may not touch it), then
     * {@link #convBackward}.
     */
    default void convStatPoolBackward(ConvShape s, Pooling st, int B, int T, FloatBuf x, IntBuf len, FloatBuf[] w, FloatBuf out,
                                  FloatBuf pooled, int pooledStride, IntBuf argmax, FloatBuf dpooled, FloatBuf dout,
                                  FloatBuf dx, FloatBuf[] dw, FloatBuf[] db) {
        statPoolBackward(st, B, T, s.pad(), s.cout(), out, len, pooled, pooledStride, argmax, dpooled, dout);
        convBackward(s, B, T, x, len, w, out, dout, dx, dw, db);
    }

    /**
     * Masked pooling of {@code x [B, T+2P, C]} over {@code t < len[b]}: the {@link Pooling} blocks, each C wide,
     * into row b of {@code out} (row stride {@code outStride}). {@code argmax [B, C]} caches the max's position.
     */
    void statPoolForward(Pooling st, int B, int T, int P, int C, FloatBuf x, IntBuf len,
                         FloatBuf out, int outStride, IntBuf argmax);

    /** Backward of {@link #statPoolForward}; reads the mean and std from {@code out}; {@code dout} has out's stride. */
    void statPoolBackward(Pooling st, int B, int T, int P, int C, FloatBuf x, IntBuf len, FloatBuf out, int outStride,
                          IntBuf argmax, FloatBuf dout, FloatBuf dx);

    /**
     * Bimodal attention: G queries of width C per row of {@code q} (row stride {@code qStride}) over the keys
     * {@code keys [B, T+2P, C]}, {@code t < len[b]}: {@code probs [B, G, T]} = masked softmax of the dot products,
     * {@code out} row b (stride {@code outStride}) = the G probability-weighted sums of keys.
     */
    void attentionForward(int B, int G, int T, int P, int C, FloatBuf q, int qStride, FloatBuf keys, IntBuf len,
                          FloatBuf probs, FloatBuf out, int outStride);

    /** Backward of {@link #attentionForward}; {@code dq} has q's stride, {@code dout} out's. */
    void attentionBackward(int B, int G, int T, int P, int C, FloatBuf q, int qStride, FloatBuf keys, IntBuf len,
                           FloatBuf probs, FloatBuf dout, int outStride, FloatBuf dq, FloatBuf dkeys);

    /** {@code out [N, O] = x [N, I] w^T + b}, {@code w [O, I]} (PyTorch's layout). */
    void linearForward(int N, int I, int O, FloatBuf x, FloatBuf w, FloatBuf b, FloatBuf out);

    void linearBackward(int N, int I, int O, FloatBuf x, FloatBuf w, FloatBuf dout, FloatBuf dx, FloatBuf dw, FloatBuf db);

    void reluForward(long n, FloatBuf x, FloatBuf out);

    void reluBackward(long n, FloatBuf out, FloatBuf dout, FloatBuf dx);

    /** Inverted dropout with a counter-based mask: element i is kept iff {@code Dropout.keep(seed, i, p)}. */
    void dropoutForward(long n, float p, long seed, FloatBuf x, FloatBuf out);

    void dropoutBackward(long n, float p, long seed, FloatBuf dout, FloatBuf dx);

    /** Softmax of {@code logits [N, E]} into {@code probs}, and {@code -log probs[label]} into {@code losses [N]}. */
    void crossEntropyForward(int N, int E, FloatBuf logits, IntBuf labels, FloatBuf probs, FloatBuf losses);

    /** Gradient of the batch-mean loss: {@code dlogits += (probs - onehot(label)) / N}. */
    void crossEntropyBackward(int N, int E, FloatBuf probs, IntBuf labels, FloatBuf dlogits);

    /** {@code acc[0] += sum(g^2)}; {@code acc} is a one-element buffer (the clip norm stays on the device). */
    void squaredNorm(FloatBuf g, FloatBuf acc);

    /**
     * One Adam step (PyTorch's update, bias-corrected) on {@code p} with gradient {@code g} scaled by the
     * global-norm clip factor {@code min(1, h.clipNorm / (sqrt(normSq[0]) + 1e-6))}.
     */
    void adam(AdamHyper h, int step, FloatBuf normSq, FloatBuf p, FloatBuf g, FloatBuf m, FloatBuf v);

    @Override
    void close();
}
