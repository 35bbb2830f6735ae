package dev.ser4j.cpu;

import dev.ser4j.backend.AdamHyper;
import dev.ser4j.backend.Backend;
import dev.ser4j.backend.ConvShape;
import dev.ser4j.backend.FloatBuf;
import dev.ser4j.backend.IntBuf;
import dev.ser4j.core.Pooling;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The reference backend: heap {@code float[]} storage, the ops of this package, matrix products
 * through {@link Sgemm}. Not thread-safe: one model drives it at a time. Each convolution shape gets the algorithm
 * {@link ConvAlgorithm} chooses for it (by default {@code auto}: Winograd for the audio convolution, direct for the
 * text one; {@code SER4J_CONV}, the system property {@code ser4j.conv} or {@link #CpuBackend(ConvAlgorithm)} choose
 * otherwise).
 */
public final class CpuBackend implements Backend {
    private final Map<ConvShape, Conv.Workspace> convWorkspaces = new HashMap<>();
    private final java.util.function.Function<ConvShape, ConvAlgorithm> convAlgorithm;
    /** Bumped whenever an op writes into an array through upload, fill, copy or adam: the weights' version. */
    private final Map<float[], Long> versions = new java.util.IdentityHashMap<>();
    private long writes;

    private void wrote(FloatBuf dst) {
        versions.put(f(dst).array(), ++writes);
    }

    private long version(FloatBuf[] bufs) {
        long v = 0;
        for (FloatBuf b : bufs) v = Math.max(v, versions.getOrDefault(f(b).array(), 0L));
        return v;
    }

    /** Convolution algorithms as {@link ConvAlgorithm#configured()} says (by default {@link ConvAlgorithm#auto}). */
    public CpuBackend() {
        this.convAlgorithm = ConvAlgorithm.configured();
    }

    /** Every convolution with {@code conv}. */
    public CpuBackend(ConvAlgorithm conv) {
        this.convAlgorithm = s -> conv;
    }

    /** The algorithm this backend uses for convolutions of shape {@code s}. */
    public ConvAlgorithm convAlgorithm(ConvShape s) {
        return convAlgorithm.apply(s);
    }

    @Override
    public String name() { return "cpu"; }

    @Override
    public CpuFloats allocFloats(long n) { return new CpuFloats(new float[Math.toIntExact(n)]); }

    @Override
    public CpuInts allocInts(long n) { return new CpuInts(new int[Math.toIntExact(n)]); }

    /** Heap storage: the collector reclaims it once the model drops its reference. */
    @Override
    public void free(FloatBuf buf) {}

    @Override
    public void free(IntBuf buf) {}

    /** This backend's view of its own buffers; null stays null (an optional gradient). */
    static CpuFloats f(FloatBuf b) { return (CpuFloats) b; }

    static CpuInts i(IntBuf b) { return (CpuInts) b; }

    static CpuFloats[] f(FloatBuf[] bufs) {
        CpuFloats[] a = new CpuFloats[bufs.length];
        for (int k = 0; k < bufs.length; k++) a[k] = f(bufs[k]);
        return a;
    }

    @Override
    public void upload(float[] src, int srcOffset, FloatBuf dst) {
        wrote(dst);
        System.arraycopy(src, srcOffset, f(dst).array(), f(dst).offset(), (int) dst.length());
    }

    @Override
    public void upload(int[] src, int srcOffset, IntBuf dst) {
        System.arraycopy(src, srcOffset, i(dst).array(), i(dst).offset(), (int) dst.length());
    }

    @Override
    public void download(FloatBuf src, float[] dst, int dstOffset) {
        System.arraycopy(f(src).array(), f(src).offset(), dst, dstOffset, (int) src.length());
    }

    @Override
    public void download(IntBuf src, int[] dst, int dstOffset) {
        System.arraycopy(i(src).array(), i(src).offset(), dst, dstOffset, (int) src.length());
    }

    @Override
    public void uploadRows(float[] src, int rows, int width, FloatBuf dst, int dstStride) {
        wrote(dst);
        CpuFloats d = f(dst);
        for (int r = 0; r < rows; r++) System.arraycopy(src, r * width, d.array(), d.offset() + r * dstStride, width);
    }

    @Override
    public void fill(FloatBuf dst, float value) {
        wrote(dst);
        CpuFloats d = f(dst);
        Arrays.fill(d.array(), d.offset(), d.offset() + d.length0(), value);
    }

    @Override
    public void copy(FloatBuf src, FloatBuf dst) {
        wrote(dst);
        if (src.length() != dst.length()) throw new IllegalArgumentException("copy of " + src.length() + " into " + dst.length());
        System.arraycopy(f(src).array(), f(src).offset(), f(dst).array(), f(dst).offset(), (int) src.length());
    }

    // ---- the ops: each casts its buffers and calls the op of this package ----

    @Override
    public void padForward(int B, int T, int P, int C, FloatBuf x, IntBuf len, FloatBuf out) {
        Pad.forward(B, T, P, C, f(x), i(len), f(out));
    }

    @Override
    public void embeddingForward(int B, int T, int P, int D, IntBuf tokens, IntBuf len, FloatBuf table, FloatBuf out) {
        Embedding.forward(B, T, P, D, i(tokens), i(len), f(table), f(out));
    }

    @Override
    public void embeddingBackward(int B, int T, int P, int D, IntBuf tokens, IntBuf len, FloatBuf dout, FloatBuf dtable) {
        Embedding.backward(B, T, P, D, i(tokens), i(len), f(dout), f(dtable));
    }

    private Conv.Workspace convWorkspace(ConvShape s) {
        return convWorkspaces.computeIfAbsent(s, shape -> new Conv.Workspace(shape, convAlgorithm.apply(shape)));
    }

    @Override
    public void convForward(ConvShape s, int B, int T, FloatBuf x, IntBuf len, FloatBuf[] w, FloatBuf[] b, FloatBuf out) {
        Conv.forward(s, B, T, f(x), i(len), f(w), f(b), f(out), convWorkspace(s), version(w));
    }

    @Override
    public void convBackward(ConvShape s, int B, int T, FloatBuf x, IntBuf len, FloatBuf[] w, FloatBuf out,
                             FloatBuf dout, FloatBuf dx, FloatBuf[] dw, FloatBuf[] db) {
        Conv.backward(s, B, T, f(x), i(len), f(w), f(out), f(dout), f(dx), f(dw), f(db), convWorkspace(s), version(w));
    }

    @Override
    public void convStatPoolForward(ConvShape s, Pooling st, int B, int T, FloatBuf x, IntBuf len, FloatBuf[] w, FloatBuf[] b,
                                FloatBuf out, FloatBuf pooled, int pooledStride, IntBuf argmax) {
        Conv.forwardStatPool(s, st, B, T, f(x), i(len), f(w), f(b), f(out), f(pooled), pooledStride, i(argmax),
                convWorkspace(s), version(w));
    }

    @Override
    public void convStatPoolBackward(ConvShape s, Pooling st, int B, int T, FloatBuf x, IntBuf len, FloatBuf[] w, FloatBuf out,
                                 FloatBuf pooled, int pooledStride, IntBuf argmax, FloatBuf dpooled, FloatBuf dout,
                                 FloatBuf dx, FloatBuf[] dw, FloatBuf[] db) {
        Conv.backwardStatPool(s, st, B, T, f(x), i(len), f(w), f(out), f(pooled), pooledStride, i(argmax), f(dpooled),
                f(dx), f(dw), f(db), convWorkspace(s), version(w));
    }

    @Override
    public void statPoolForward(Pooling st, int B, int T, int P, int C, FloatBuf x, IntBuf len,
                                FloatBuf out, int outStride, IntBuf argmax) {
        StatPool.forward(st, B, T, P, C, f(x), i(len), f(out), outStride, i(argmax));
    }

    @Override
    public void statPoolBackward(Pooling st, int B, int T, int P, int C, FloatBuf x, IntBuf len, FloatBuf out, int outStride,
                                 IntBuf argmax, FloatBuf dout, FloatBuf dx) {
        StatPool.backward(st, B, T, P, C, f(x), i(len), f(out), outStride, i(argmax), f(dout), f(dx));
    }

    @Override
    public void attentionForward(int B, int G, int T, int P, int C, FloatBuf q, int qStride, FloatBuf keys, IntBuf len,
                                 FloatBuf probs, FloatBuf out, int outStride) {
        Attention.forward(B, G, T, P, C, f(q), qStride, f(keys), i(len), f(probs), f(out), outStride);
    }

    @Override
    public void attentionBackward(int B, int G, int T, int P, int C, FloatBuf q, int qStride, FloatBuf keys, IntBuf len,
                                  FloatBuf probs, FloatBuf dout, int outStride, FloatBuf dq, FloatBuf dkeys) {
        Attention.backward(B, G, T, P, C, f(q), qStride, f(keys), i(len), f(probs), f(dout), outStride, f(dq), f(dkeys));
    }

    @Override
    public void linearForward(int N, int I, int O, FloatBuf x, FloatBuf w, FloatBuf b, FloatBuf out) {
        Linear.forward(N, I, O, f(x), f(w), f(b), f(out));
    }

    @Override
    public void linearBackward(int N, int I, int O, FloatBuf x, FloatBuf w, FloatBuf dout, FloatBuf dx, FloatBuf dw, FloatBuf db) {
        Linear.backward(N, I, O, f(x), f(w), f(dout), f(dx), f(dw), f(db));
    }

    @Override
    public void reluForward(long n, FloatBuf x, FloatBuf out) { Relu.forward((int) n, f(x), f(out)); }

    @Override
    public void reluBackward(long n, FloatBuf out, FloatBuf dout, FloatBuf dx) { Relu.backward((int) n, f(out), f(dout), f(dx)); }

    @Override
    public void dropoutForward(long n, float p, long seed, FloatBuf x, FloatBuf out) {
        Dropout.forward((int) n, p, seed, f(x), f(out));
    }

    @Override
    public void dropoutBackward(long n, float p, long seed, FloatBuf dout, FloatBuf dx) {
        Dropout.backward((int) n, p, seed, f(dout), f(dx));
    }

    @Override
    public void crossEntropyForward(int N, int E, FloatBuf logits, IntBuf labels, FloatBuf probs, FloatBuf losses) {
        CrossEntropy.forward(N, E, f(logits), i(labels), f(probs), f(losses));
    }

    @Override
    public void crossEntropyBackward(int N, int E, FloatBuf probs, IntBuf labels, FloatBuf dlogits) {
        CrossEntropy.backward(N, E, f(probs), i(labels), f(dlogits));
    }

    @Override
    public void squaredNorm(FloatBuf g, FloatBuf acc) {
        f(acc).array()[f(acc).offset()] += (float) Adam.squaredNorm(f(g));
    }

    @Override
    public void adam(AdamHyper h, int step, FloatBuf normSq, FloatBuf p, FloatBuf g, FloatBuf m, FloatBuf v) {
        wrote(p);
        float scale = h.clipScale(Math.sqrt(f(normSq).array()[f(normSq).offset()]));
        Adam.update(h, step, scale, (int) p.length(), f(p), f(g), f(m), f(v));
    }

    @Override
    public void close() {
        convWorkspaces.clear();
        versions.clear();
    }
}
