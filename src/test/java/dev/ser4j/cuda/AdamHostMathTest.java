package dev.ser4j.cuda;

import dev.ser4j.backend.AdamHyper;
import dev.ser4j.cpu.Adam;
import dev.ser4j.cpu.CpuFloats;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * kernels/adam.cu against cpu/Adam: the two-pass squared norm (host twin of the shuffle/shared-memory tree) and
 * the update with the clip factor read from "device" memory, which must be bit-exact.
 */
class AdamHostMathTest {
    @Test
    void squaredNormMatchesTheJavaSumAndAccumulates() {
        HostMath hm = HostMath.get();
        SplittableRandom r = new SplittableRandom(8);
        for (int n : new int[]{1, 255, 256 * 256, 256 * 256 + 17, 300000}) {
            float[] g = Data.gaussian(r, n, 0.1);
            float[] accJ = {0.25f}, accK = {0.25f};
            accJ[0] += (float) Adam.squaredNorm(new CpuFloats(g, 0, n));
            double[] partial = new double[256];
            hm.call("squared_norm_partial", (long) n, g, partial);
            hm.call("squared_norm_finish", partial, accK);
            Data.assertClose(accJ, accK, 1e-7, "normSq n=" + n);
        }
    }

    @Test
    void updateMatchesTheJavaOpBitForBitWithAndWithoutClipping() {
        HostMath hm = HostMath.get();
        SplittableRandom r = new SplittableRandom(9);
        int n = 5000;
        for (float clip : new float[]{1f, 1000f, 0f, -1f}) {
            AdamHyper h = new AdamHyper(5e-4f, 0.9f, 0.999f, 1e-8f, clip);
            float[] g = Data.gaussian(r, n, 0.05);
            float[] pJ = Data.gaussian(r, n, 1), pK = pJ.clone(), mJ = new float[n], mK = new float[n], vJ = new float[n], vK = new float[n];
            float[] normSq = {(float) Adam.squaredNorm(new CpuFloats(g, 0, n))};
            for (int step = 1; step <= 4; step++) {
                Adam.update(h, step, h.clipScale(Math.sqrt(normSq[0])), n, new CpuFloats(pJ), new CpuFloats(g),
                        new CpuFloats(mJ), new CpuFloats(vJ));
                double bc1 = 1 - Math.pow(h.beta1(), step), bc2 = 1 - Math.pow(h.beta2(), step);
                hm.call("adam_update", (long) n, (float) (h.lr() / bc1), (float) Math.sqrt(bc2), h.beta1(), h.beta2(), h.eps(),
                        h.clipNorm(), normSq, pK, g, mK, vK);
            }
            Data.assertExact(pJ, pK, "p, clip " + clip);
            Data.assertExact(mJ, mK, "m, clip " + clip);
            Data.assertExact(vJ, vK, "v, clip " + clip);
        }
    }

    @Test
    void clipFactorIsPyTorchs() {
        HostMath hm = HostMath.get();
        // one parameter, gradient 4 (norm 4), clip 1: g' = 4 / (4 + 1e-6); after one step p moves by lr (Adam's first step is lr * sign)
        float[] p = {0f}, m = {0f}, v = {0f};
        hm.call("adam_update", 1L, 0.1f / (1 - 0.9f), (float) Math.sqrt(1 - 0.999), 0.9f, 0.999f, 1e-8f, 1f, new float[]{16f}, p, new float[]{4f}, m, v);
        float gClipped = (float) (1.0 / (4 + 1e-6)) * 4f;
        assertEquals((1 - 0.9f) * gClipped, m[0], 0f);
        assertEquals(-0.1f, p[0], 1e-6f);
    }
}
