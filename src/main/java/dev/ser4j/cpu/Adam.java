package dev.ser4j.cpu;

import dev.ser4j.backend.AdamHyper;
/**
 * adam: one step of Adam with global-norm gradient clipping, exactly PyTorch's {@code clip_grad_norm_} followed
 * by {@code torch.optim.Adam} (bias-corrected, eps added after the square root):
 * <pre>
 *   g' = g * min(1, clip / (||g||_2 + 1e-6))       m = b1 m + (1 - b1) g'       v = b2 v + (1 - b2) g'^2
 *   p -= (lr / (1 - b1^step)) * m / (sqrt(v) / sqrt(1 - b2^step) + eps)
 * </pre>
 * The global norm spans every trainable parameter, so it is accumulated first ({@link #squaredNorm}) over all
 * gradient ranges, then every range is updated.
 */
public final class Adam {
    private Adam() {}

    /** Elements per unit of parallel work: fixed, so sums do not depend on the number of threads. */
    static final int CHUNK = 1 << 16;

    /** Sum of squares in double, the first half of the global norm; chunks in parallel, added in order. */
    public static double squaredNorm(CpuFloats g) {
        float[] ga = g.array();
        int off = g.offset(), n = g.length0();
        int chunks = (n + CHUNK - 1) / CHUNK;
        double[] part = new double[chunks];
        Parallel.forEach(chunks, k -> {
            double s = 0;
            for (int i = k * CHUNK, end = Math.min(n, i + CHUNK); i < end; i++) s += (double) ga[off + i] * ga[off + i];
            part[k] = s;
        });
        double s = 0;
        for (double x : part) s += x;
        return s;
    }

    public static void update(AdamHyper h, int step, float clipScale, int n, CpuFloats p, CpuFloats g, CpuFloats m, CpuFloats v) {
        float[] pa = p.array(), ga = g.array(), ma = m.array(), va = v.array();
        int pOff = p.offset(), gOff = g.offset(), mOff = m.offset(), vOff = v.offset();
        double bc1 = 1 - Math.pow(h.beta1(), step), bc2 = 1 - Math.pow(h.beta2(), step);
        float stepSize = (float) (h.lr() / bc1), bc2Sqrt = (float) Math.sqrt(bc2);
        float b1 = h.beta1(), b2 = h.beta2(), eps = h.eps();
        Parallel.forEach((n + CHUNK - 1) / CHUNK, k -> {
            for (int i = k * CHUNK, end = Math.min(n, i + CHUNK); i < end; i++) {
                float gi = ga[gOff + i] * clipScale;
                float mi = ma[mOff + i] = b1 * ma[mOff + i] + (1 - b1) * gi;
                float vi = va[vOff + i] = b2 * va[vOff + i] + (1 - b2) * gi * gi;
                pa[pOff + i] -= stepSize * mi / ((float) Math.sqrt(vi) / bc2Sqrt + eps);
            }
        });
    }

    public static void naiveUpdate(AdamHyper h, int step, double clipScale, double[] p, double[] g, double[] m, double[] v) {
        double bc1 = 1 - Math.pow(h.beta1(), step), bc2 = 1 - Math.pow(h.beta2(), step);
        for (int i = 0; i < p.length; i++) {
            double gi = g[i] * clipScale;
            m[i] = h.beta1() * m[i] + (1 - h.beta1()) * gi;
            v[i] = h.beta2() * v[i] + (1 - h.beta2()) * gi * gi;
            p[i] -= h.lr() / bc1 * m[i] / (Math.sqrt(v[i]) / Math.sqrt(bc2) + h.eps());
        }
    }
}
