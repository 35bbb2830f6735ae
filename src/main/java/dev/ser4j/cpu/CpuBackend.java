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
 * through {@link Sgemm}. Not thread-safe: one model drives it at a time.
 */
public final class CpuBackend implements Backend {
    private final Map<ConvShape, Conv.Workspace> convWorkspaces = new HashMap<>();
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

    @Override
    public String name() { return "cpu"; }

    @Override
    public CpuFloats allocFloats(long n) { return new CpuFloats(new float[Math.toIntExact(n)]); }

    @Override
    public CpuInts allocInts(long n) { return new CpuInts(new int[Math.toIntExact(n)]); }

    @Override
    public void free(FloatBuf buf) {
        // heap storage: the collector reclaims it once the model drops its reference
    }

    @Override
    public void free(IntBuf buf) {
        // as above
    }

    static CpuFloats f(FloatBuf b) { return (CpuFloats) b; }

    static CpuInts i(IntBuf b) { return (CpuInts) b; }

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

    @Override
    public void padForward(int B, int T, int P, int C, FloatBuf x, IntBuf len, FloatBuf out) {
        Pad.forward(B, T, P, C, f(x).array(), f(x).offset(), i(len).array(), i(len).offset(), f(out).array(), f(out).offset());
    }

    @Override
    public void embeddingForward(int B, int T, int P, int D, IntBuf tokens, IntBuf len, FloatBuf table, FloatBuf out) {
        Embedding.forward(B, T, P, D, i(tokens).array(), i(tokens).offset(), i(len).array(), i(len).offset(),
                f(table).array(), f(table).offset(), f(out).array(), f(out).offset());
    }

    @Override
    public void embeddingBackward(int B, int T, int P, int D, IntBuf tokens, IntBuf len, FloatBuf dout, FloatBuf dtable) {
        Embedding.backward(B, T, P, D, i(tokens).array(), i(tokens).offset(), i(len).array(), i(len).offset(),
                f(dout).array(), f(dout).offset(), f(dtable).array(), f(dtable).offset());
    }

    private Conv.Workspace convWorkspace(ConvShape s) {
        return convWorkspaces.computeIfAbsent(s, Conv.Workspace::new);
    }

    private static float[][] arrays(FloatBuf[] bufs) {
        float[][] a = new float[bufs.length][];
        for (int k = 0; k < bufs.length; k++) a[k] = f(bufs[k]).array();
        return a;
    }

    private static int[] offsets(FloatBuf[] bufs) {
        int[] o = new int[bufs.length];
        for (int k = 0; k < bufs.length; k++) o[k] = f(bufs[k]).offset();
        return o;
    }

    @Override
    public void convForward(ConvShape s, int B, int T, FloatBuf x, IntBuf len, FloatBuf[] w, FloatBuf[] b, FloatBuf out) {
        Conv.forward(s, B, T, f(x).array(), f(x).offset(), i(len).array(), i(len).offset(),
                arrays(w), offsets(w), arrays(b), offsets(b), f(out).array(), f(out).offset(), convWorkspace(s), version(w));
    }

    @Override
    public void convBackward(ConvShape s, int B, int T, FloatBuf x, IntBuf len, FloatBuf[] w, FloatBuf out,
                             FloatBuf dout, FloatBuf dx, FloatBuf[] dw, FloatBuf[] db) {
        Conv.backward(s, B, T, f(x).array(), f(x).offset(), i(len).array(), i(len).offset(),
                arrays(w), offsets(w), f(out).array(), f(out).offset(), f(dout).array(), f(dout).offset(),
                dx == null ? null : f(dx).array(), dx == null ? 0 : f(dx).offset(),
                arrays(dw), offsets(dw), arrays(db), offsets(db), convWorkspace(s), version(w));
    }

    @Override
    public void convStatPoolForward(ConvShape s, Pooling st, int B, int T, FloatBuf x, IntBuf len, FloatBuf[] w, FloatBuf[] b,
                                FloatBuf out, FloatBuf pooled, int pooledStride, IntBuf argmax) {
        Conv.forwardStatPool(s, st, B, T, f(x).array(), f(x).offset(), i(len).array(), i(len).offset(), arrays(w), offsets(w),
                arrays(b), offsets(b), f(out).array(), f(out).offset(), f(pooled).array(), f(pooled).offset(), pooledStride,
                i(argmax).array(), i(argmax).offset(), convWorkspace(s), version(w));
    }

    @Override
    public void convStatPoolBackward(ConvShape s, Pooling st, int B, int T, FloatBuf x, IntBuf len, FloatBuf[] w, FloatBuf out,
                                 FloatBuf pooled, int pooledStride, IntBuf argmax, FloatBuf dpooled, FloatBuf dout,
                                 FloatBuf dx, FloatBuf[] dw, FloatBuf[] db) {
        Conv.backwardStatPool(s, st, B, T, f(x).array(), f(x).offset(), i(len).array(), i(len).offset(), arrays(w), offsets(w),
                f(out).array(), f(out).offset(), f(pooled).array(), f(pooled).offset(), pooledStride, i(argmax).array(), i(argmax).offset(),
                f(dpooled).array(), f(dpooled).offset(), dx == null ? null : f(dx).array(), dx == null ? 0 : f(dx).offset(),
                arrays(dw), offsets(dw), arrays(db), offsets(db), convWorkspace(s), version(w));
    }

    @Override
    public void statPoolForward(Pooling st, int B, int T, int P, int C, FloatBuf x, IntBuf len,
                                FloatBuf out, int outStride, IntBuf argmax) {
        StatPool.forward(st, B, T, P, C, f(x).array(), f(x).offset(), i(len).array(), i(len).offset(),
                f(out).array(), f(out).offset(), outStride, i(argmax).array(), i(argmax).offset());
    }

    @Override
    public void statPoolBackward(Pooling st, int B, int T, int P, int C, FloatBuf x, IntBuf len, FloatBuf out, int outStride,
                                 IntBuf argmax, FloatBuf dout, FloatBuf dx) {
        StatPool.backward(st, B, T, P, C, f(x).array(), f(x).offset(), i(len).array(), i(len).offset(),
                f(out).array(), f(out).offset(), outStride, i(argmax).array(), i(argmax).offset(),
                f(dout).array(), f(dout).offset(), f(dx).array(), f(dx).offset());
    }

    @Override
    public void attentionForward(int B, int G, int T, int P, int C, FloatBuf q, int qStride, FloatBuf keys, IntBuf len,
                                 FloatBuf probs, FloatBuf out, int outStride) {
        Attention.forward(B, G, T, P, C, f(q).array(), f(q).offset(), qStride, f(keys).array(), f(keys).offset(),
                i(len).array(), i(len).offset(), f(probs).array(), f(probs).offset(), f(out).array(), f(out).offset(), outStride);
    }

    @Override
    public void attentionBackward(int B, int G, int T, int P, int C, FloatBuf q, int qStride, FloatBuf keys, IntBuf len,
                                  FloatBuf probs, FloatBuf dout, int outStride, FloatBuf dq, FloatBuf dkeys) {
        Attention.backward(B, G, T, P, C, f(q).array(), f(q).offset(), qStride, f(keys).array(), f(keys).offset(),
                i(len).array(), i(len).offset(), f(probs).array(), f(probs).offset(),
                f(dout).array(), f(dout).offset(), outStride, f(dq).array(), f(dq).offset(), f(dkeys).array(), f(dkeys).offset());
    }

    @Override
    public void linearForward(int N, int I, int O, FloatBuf x, FloatBuf w, FloatBuf b, FloatBuf out) {
        Linear.forward(N, I, O, f(x).array(), f(x).offset(), f(w).array(), f(w).offset(), f(b).array(), f(b).offset(),
                f(out).array(), f(out).offset());
    }

    @Override
    public void linearBackward(int N, int I, int O, FloatBuf x, FloatBuf w, FloatBuf dout, FloatBuf dx, FloatBuf dw, FloatBuf db) {
        Linear.backward(N, I, O, f(x).array(), f(x).offset(), f(w).array(), f(w).offset(), f(dout).array(), f(dout).offset(),
                dx == null ? null : f(dx).array(), dx == null ? 0 : f(dx).offset(),
                f(dw).array(), f(dw).offset(), f(db).array(), f(db).offset());
    }

    @Override
    public void reluForward(long n, FloatBuf x, FloatBuf out) {
        Relu.forward((int) n, f(x).array(), f(x).offset(), f(out).array(), f(out).offset());
    }

    @Override
    public void reluBackward(long n, FloatBuf out, FloatBuf dout, FloatBuf dx) {
        Relu.backward((int) n, f(out).array(), f(out).offset(), f(dout).array(), f(dout).offset(), f(dx).array(), f(dx).offset());
    }

    @Override
    public void dropoutForward(long n, float p, long seed, FloatBuf x, FloatBuf out) {
        Dropout.forward((int) n, p, seed, f(x).array(), f(x).offset(), f(out).array(), f(out).offset());
    }

    @Override
    public void dropoutBackward(long n, float p, long seed, FloatBuf dout, FloatBuf dx) {
        Dropout.backward((int) n, p, seed, f(dout).array(), f(dout).offset(), f(dx).array(), f(dx).offset());
    }

    @Override
    public void crossEntropyForward(int N, int E, FloatBuf logits, IntBuf labels, FloatBuf probs, FloatBuf losses) {
        CrossEntropy.forward(N, E, f(logits).array(), f(logits).offset(), i(labels).array(), i(labels).offset(),
                f(probs).array(), f(probs).offset(), losses == null ? null : f(losses).array(), losses == null ? 0 : f(losses).offset());
    }

    @Override
    public void crossEntropyBackward(int N, int E, FloatBuf probs, IntBuf labels, FloatBuf dlogits) {
        CrossEntropy.backward(N, E, f(probs).array(), f(probs).offset(), i(labels).array(), i(labels).offset(),
                f(dlogits).array(), f(dlogits).offset());
    }

    @Override
    public void squaredNorm(FloatBuf g, FloatBuf acc) {
        CpuFloats a = f(acc);
        a.array()[a.offset()] += (float) Adam.squaredNorm(f(g).array(), f(g).offset(), (int) g.length());
    }

    @Override
    public void adam(AdamHyper h, int step, FloatBuf normSq, FloatBuf p, FloatBuf g, FloatBuf m, FloatBuf v) {
        wrote(p);
        float scale = h.clipScale(Math.sqrt(f(normSq).array()[f(normSq).offset()]));
        Adam.update(h, step, scale, (int) p.length(), f(p).array(), f(p).offset(), f(g).array(), f(g).offset(),
                f(m).array(), f(m).offset(), f(v).array(), f(v).offset());
    }

    @Override
    public void close() {
        convWorkspaces.clear();
        versions.clear();
    }
}
