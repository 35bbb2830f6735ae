package dev.ser4j.cpu;

import dev.ser4j.backend.DropoutMask;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static dev.ser4j.cpu.GradCheck.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** dropout: inverted scaling, a counter-based mask that backward recomputes, seeded and reproducible. */
class DropoutGradCheckTest {
    @Test
    void naiveBackwardMatchesFiniteDifferences() {
        SplittableRandom rng = new SplittableRandom(80);
        double[] x = gaussian(rng, 50), r = gaussian(rng, 50), dx = new double[50];
        Dropout.naiveBackward(50, 0.3f, 1234, r, dx);
        assertGradient("dx", dx, numeric(x, () -> {
            double[] o = new double[50];
            Dropout.naiveForward(50, 0.3f, 1234, x, o);
            return dot(r, o);
        }));
    }

    @Test
    void fastPathMatchesNaiveTwin() {
        SplittableRandom rng = new SplittableRandom(81);
        double[] x = roundToFloat(gaussian(rng, 1000)), r = roundToFloat(gaussian(rng, 1000)), out = new double[1000], dx = new double[1000];
        Dropout.naiveForward(1000, 0.3f, 99, x, out);
        Dropout.naiveBackward(1000, 0.3f, 99, r, dx);
        float[] outF = new float[1000], dxF = new float[1000];
        Dropout.forward(1000, 0.3f, 99, new CpuFloats(toFloat(x)), new CpuFloats(outF));
        Dropout.backward(1000, 0.3f, 99, new CpuFloats(toFloat(r)), new CpuFloats(dxF));
        assertClose("out", outF, out, 1e-7);
        assertClose("dx", dxF, dx, 1e-7);
    }

    @Test
    void keepsAFractionOneMinusPAndPreservesTheMean() {
        int n = 200_000, kept = 0;
        float[] x = new float[n], out = new float[n];
        java.util.Arrays.fill(x, 1f);
        Dropout.forward(n, 0.3f, 5, new CpuFloats(x), new CpuFloats(out));
        double sum = 0;
        for (float v : out) { sum += v; if (v != 0) kept++; }
        assertEquals(0.7, kept / (double) n, 0.005, "fraction kept");
        assertEquals(1.0, sum / n, 0.01, "inverted scaling keeps the mean");
    }

    @Test
    void masksDependOnTheSeedAndAreReproducible() {
        int same = 0, differ = 0;
        for (int i = 0; i < 1000; i++) {
            assertEquals(DropoutMask.keep(7, i, 0.5f), DropoutMask.keep(7, i, 0.5f));
            if (DropoutMask.keep(7, i, 0.5f) == DropoutMask.keep(8, i, 0.5f)) same++; else differ++;
        }
        assertTrue(differ > 400 && same > 400, "seeds 7 and 8 give independent masks: " + same + " equal, " + differ + " different");
        assertNotEquals(DropoutMask.seed(1, 0, 0), DropoutMask.seed(1, 0, 1));
        assertNotEquals(DropoutMask.seed(1, 0, 0), DropoutMask.seed(1, 1, 0));
    }
}
