package dev.ser4j.cpu;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static dev.ser4j.cpu.GradCheck.*;

/** relu, with inputs kept away from the kink at 0 (where finite differences are meaningless). */
class ReluGradCheckTest {
    @Test
    void naiveBackwardMatchesFiniteDifferences() {
        SplittableRandom rng = new SplittableRandom(70);
        double[] x = gaussian(rng, 40), r = gaussian(rng, 40);
        for (int i = 0; i < x.length; i++) if (Math.abs(x[i]) < 0.05) x[i] += Math.copySign(0.1, x[i]);
        double[] out = new double[40], dx = new double[40];
        Relu.naiveForward(40, x, out);
        Relu.naiveBackward(40, out, r, dx);
        assertGradient("dx", dx, numeric(x, () -> {
            double[] o = new double[40];
            Relu.naiveForward(40, x, o);
            return dot(r, o);
        }));
    }

    @Test
    void fastPathMatchesNaiveTwin() {
        SplittableRandom rng = new SplittableRandom(71);
        double[] x = roundToFloat(gaussian(rng, 100)), r = roundToFloat(gaussian(rng, 100)), out = new double[100], dx = new double[100];
        Relu.naiveForward(100, x, out);
        Relu.naiveBackward(100, out, r, dx);
        float[] outF = new float[100], dxF = new float[100];
        Relu.forward(100, new CpuFloats(toFloat(x)), new CpuFloats(outF));
        Relu.backward(100, new CpuFloats(outF), new CpuFloats(toFloat(r)), new CpuFloats(dxF));
        assertClose("out", outF, out, 0);
        assertClose("dx", dxF, dx, 0);
    }
}
