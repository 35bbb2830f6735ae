package dev.ser4j.model;

import dev.ser4j.core.ModelConfig;
import dev.ser4j.core.Variant;
import dev.ser4j.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link MscnnSpuAtt#backward} adds into the gradient block, so two passes before one step (the audio-only pass of
 * {@code robust}) give the sum of their gradients, every parameter included.
 */
class GradientAccumulationTest {
    @Test
    void twoBackwardPassesGiveTheSumOfTheirGradients() {
        ModelConfig cfg = ModelConfig.of(Variant.MSCNN_SPU_ATT, 60, true);
        try (MscnnSpuAtt m = new MscnnSpuAtt(cfg, new CpuBackend())) {
            m.initialize(7);
            TestBatches.Utt[] utts = {new TestBatches.Utt(60, 14), new TestBatches.Utt(23, 7), new TestBatches.Utt(41, 16)};
            Batch withText = TestBatches.batch(cfg, utts, 64, 18, 300), withoutText = withText.withoutText();
            float[] a = gradients(m, withText), b = gradients(m, withoutText);
            m.zeroGrad();
            m.forward(withText, 0.3f, 11);
            m.backward();
            m.forward(withoutText, 0.3f, 12);
            m.backward();
            float[] both = gradientBlock(m);
            double alone = 0;
            for (int i = 0; i < both.length; i++) {
                assertEquals(a[i] + b[i], both[i], 1e-6 + 1e-5 * Math.abs(both[i]), "gradient " + i);
                alone += Math.abs(b[i]);
            }
            assertTrue(alone > 0, "the pass without text has a gradient of its own");
            gradients(m, withoutText);
            for (float g : m.gradient("text.embedding.weight")) assertEquals(0f, g, "no transcript, no embedding gradient");
        }
    }

    private static float[] gradients(MscnnSpuAtt m, Batch b) {
        m.zeroGrad();
        m.forward(b, 0.3f, b.textLen()[0] == 0 ? 12 : 11);
        m.backward();
        return gradientBlock(m);
    }

    private static float[] gradientBlock(MscnnSpuAtt m) {
        java.util.List<float[]> parts = new java.util.ArrayList<>();
        int n = 0;
        for (var p : m.layout().all()) {
            float[] g = m.gradient(p.name());
            parts.add(g);
            n += g.length;
        }
        float[] out = new float[n];
        int o = 0;
        for (float[] g : parts) {
            System.arraycopy(g, 0, out, o, g.length);
            o += g.length;
        }
        return out;
    }
}
