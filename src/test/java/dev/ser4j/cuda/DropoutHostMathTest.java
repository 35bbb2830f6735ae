package dev.ser4j.cuda;

import dev.ser4j.backend.DropoutMask;
import dev.ser4j.cpu.CpuFloats;
import dev.ser4j.cpu.Dropout;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** kernels/dropout.cu's mask is backend/DropoutMask.keep bit for bit: every seed, every p, every index. */
class DropoutHostMathTest {
    @Test
    void maskAndScalingMatchTheJavaOpBitForBit() {
        HostMath hm = HostMath.get();
        long[] seeds = {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, DropoutMask.seed(7, 3, 1), 0x9E3779B97F4A7C15L};
        float[] ps = {0f, 0.3f, 0.5f, 0.9f, 1e-7f};
        SplittableRandom r = new SplittableRandom(5);
        int n = 20011;
        for (long seed : seeds)
            for (float p : ps) {
                float[] x = Data.gaussian(r, n, 1);
                float[] outJ = new float[n], outK = new float[n];
                Dropout.forward(n, p, seed, new CpuFloats(x), new CpuFloats(outJ));
                hm.call("dropout_forward", (long) n, p, seed, x, outK);
                Data.assertExact(outJ, outK, "forward seed " + seed + " p " + p);
                float[] dout = Data.gaussian(r, n, 1), dxJ = Data.gaussian(r, n, 1), dxK = dxJ.clone();
                Dropout.backward(n, p, seed, new CpuFloats(dout), new CpuFloats(dxJ));
                hm.call("dropout_backward", (long) n, p, seed, dout, dxK);
                Data.assertExact(dxJ, dxK, "backward seed " + seed + " p " + p);
            }
    }

    @Test
    void aboutPOfTheElementsAreDropped() {
        HostMath hm = HostMath.get();
        int n = 100000;
        float[] x = new float[n], out = new float[n];
        java.util.Arrays.fill(x, 1f);
        hm.call("dropout_forward", (long) n, 0.3f, 42L, x, out);
        int dropped = 0;
        for (float v : out) if (v == 0f) dropped++;
        assertTrue(Math.abs(dropped / (double) n - 0.3) < 0.01, "dropped fraction " + dropped / (double) n);
    }
}
