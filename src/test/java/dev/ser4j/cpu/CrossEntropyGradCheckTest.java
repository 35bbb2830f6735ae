package dev.ser4j.cpu;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static dev.ser4j.cpu.GradCheck.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** softmax cross-entropy, batch mean. */
class CrossEntropyGradCheckTest {
    static final int N = 3, E = 4;
    static final int[] LABELS = {2, 0, 3};

    @Test
    void naiveBackwardMatchesFiniteDifferences() {
        double[] logits = gaussian(new SplittableRandom(90), N * E), probs = new double[N * E], d = new double[N * E];
        CrossEntropy.naiveForward(N, E, logits, LABELS, probs);
        CrossEntropy.naiveBackward(N, E, probs, LABELS, d);
        assertGradient("dlogits", d, numeric(logits, () -> CrossEntropy.naiveForward(N, E, logits, LABELS, new double[N * E])));
    }

    @Test
    void fastPathMatchesNaiveTwinAndIsStableForLargeLogits() {
        double[] logits = roundToFloat(gaussian(new SplittableRandom(91), N * E));
        logits[0] = 300;                                       // exp(300) overflows float: log-sum-exp must not
        double[] probs = new double[N * E], d = new double[N * E];
        double loss = CrossEntropy.naiveForward(N, E, logits, LABELS, probs);
        CrossEntropy.naiveBackward(N, E, probs, LABELS, d);
        float[] probsF = new float[N * E], lossesF = new float[N], dF = new float[N * E];
        CrossEntropy.forward(N, E, new CpuFloats(toFloat(logits)), new CpuInts(LABELS), new CpuFloats(probsF),
                new CpuFloats(lossesF));
        CrossEntropy.backward(N, E, new CpuFloats(probsF), new CpuInts(LABELS), new CpuFloats(dF));
        assertClose("probs", probsF, probs, 1e-6);
        assertClose("dlogits", dF, d, 1e-6);
        assertEquals(loss, (lossesF[0] + lossesF[1] + lossesF[2]) / 3.0, 1e-5 * loss);
    }
}
