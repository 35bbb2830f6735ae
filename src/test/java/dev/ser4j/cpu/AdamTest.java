package dev.ser4j.cpu;

import dev.ser4j.backend.AdamHyper;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static dev.ser4j.cpu.GradCheck.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * adam with global-norm clipping. Not differentiated, so no finite differences: the float update is checked
 * against its double twin over several steps, and the clip factor against PyTorch's rule. The whole-model golden
 * test checks both against torch.optim.Adam and clip_grad_norm_.
 */
class AdamTest {
    @Test
    void fastUpdateMatchesNaiveTwinOverFiveSteps() {
        SplittableRandom rng = new SplittableRandom(110);
        AdamHyper h = AdamHyper.paper();
        int n = 500;
        double[] p = roundToFloat(gaussian(rng, n)), m = new double[n], v = new double[n];
        float[] pF = toFloat(p), mF = new float[n], vF = new float[n];
        for (int step = 1; step <= 5; step++) {
            double[] g = roundToFloat(gaussian(rng, n));
            double norm = Math.sqrt(Adam.squaredNorm(new CpuFloats(toFloat(g), 0, n)));
            float scale = h.clipScale(norm);
            Adam.naiveUpdate(h, step, scale, p, g, m, v);
            Adam.update(h, step, scale, n, new CpuFloats(pF), new CpuFloats(toFloat(g)), new CpuFloats(mF), new CpuFloats(vF));
        }
        double[] change = new double[n];
        float[] changeF = new float[n];
        double[] p0 = roundToFloat(gaussian(new SplittableRandom(110), n));
        for (int i = 0; i < n; i++) { change[i] = p[i] - p0[i]; changeF[i] = (float) (pF[i] - p0[i]); }
        assertClose("parameter change", changeF, change, 1e-3);
    }

    @Test
    void clipScaleFollowsClipGradNorm() {
        AdamHyper h = AdamHyper.paper();
        assertEquals(1f, h.clipScale(0.5));
        assertEquals((float) (1.0 / (4.0 + 1e-6)), h.clipScale(4.0));
        assertEquals(1f, new AdamHyper(1e-3f, 0.9f, 0.999f, 1e-8f, 0f).clipScale(100), "clipNorm 0 disables clipping");
    }

    @Test
    void firstStepMovesEachParameterByTheLearningRate() {
        // after one step m/sqrt(v) = sign(g) once bias-corrected, so |dp| = lr (for |g| >> eps)
        AdamHyper h = AdamHyper.paper();
        float[] p = {1, 1, 1}, g = {0.3f, -2f, 1e-3f}, m = new float[3], v = new float[3];
        Adam.update(h, 1, 1f, 3, new CpuFloats(p), new CpuFloats(g), new CpuFloats(m), new CpuFloats(v));
        assertEquals(1 - 5e-4, p[0], 1e-7);
        assertEquals(1 + 5e-4, p[1], 1e-7);
        assertEquals(1 - 5e-4, p[2], 1e-6);
    }
}
