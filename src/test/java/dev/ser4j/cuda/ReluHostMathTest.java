package dev.ser4j.cuda;

import dev.ser4j.cpu.CpuFloats;
import dev.ser4j.cpu.Relu;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

/** kernels/relu.cu against cpu/Relu, with Java's Math.max semantics for NaN and -0. */
class ReluHostMathTest {
    @Test
    void forwardAndBackwardMatchTheJavaOpBitForBit() {
        HostMath hm = HostMath.get();
        float[] x = Data.gaussian(new SplittableRandom(2), 1003, 1);
        x[0] = Float.NaN;
        x[1] = -0f;
        x[2] = 0f;
        x[3] = Float.NEGATIVE_INFINITY;
        x[4] = Float.MIN_VALUE;
        float[] outJ = new float[x.length], outK = new float[x.length];
        Relu.forward(x.length, new CpuFloats(x), new CpuFloats(outJ));
        hm.call("relu_forward", (long) x.length, x, outK);
        for (int i = 0; i < x.length; i++)
            org.junit.jupiter.api.Assertions.assertEquals(Float.floatToIntBits(outJ[i]), Float.floatToIntBits(outK[i]), "element " + i);
        float[] dout = Data.gaussian(new SplittableRandom(3), x.length, 1), dxJ = Data.gaussian(new SplittableRandom(4), x.length, 1), dxK = dxJ.clone();
        Relu.backward(x.length, new CpuFloats(outJ), new CpuFloats(dout), new CpuFloats(dxJ));
        hm.call("relu_backward", (long) x.length, outK, dout, dxK);
        Data.assertExact(dxJ, dxK, "dx");
    }
}
