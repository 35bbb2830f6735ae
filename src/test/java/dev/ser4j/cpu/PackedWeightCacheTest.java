package dev.ser4j.cpu;

import dev.ser4j.backend.AdamHyper;
import dev.ser4j.core.ModelConfig;
import dev.ser4j.core.Variant;
import dev.ser4j.model.Batch;
import dev.ser4j.model.MscnnSpuAtt;
import dev.ser4j.model.TestBatches;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The CPU backend reuses regrouped convolution weights only while they are unchanged. */
class PackedWeightCacheTest {
    static final ModelConfig CFG = ModelConfig.of(Variant.MSCNN_SPU_ATT, 30, false).withSizes(96, 16, 8, 8, 16);

    @Test
    void aChangedWeightIsSeenByTheNextForward() {
        Batch b = TestBatches.batch(CFG, new TestBatches.Utt[]{new TestBatches.Utt(20, 4), new TestBatches.Utt(9, 2)}, 20, 4, 1);
        MscnnSpuAtt m = new MscnnSpuAtt(CFG, new CpuBackend());
        m.initialize(1);
        float[] before = TestBatches.logits(m, b);
        assertArrayEquals(before, TestBatches.logits(m, b), "the same weights give the same logits");
        for (String name : new String[]{"audio.conv.2.weight", "text.conv.1.weight"}) {
            float[] w = m.parameter(name);
            for (int i = 0; i < w.length; i++) w[i] *= 1.5f;
            m.setParameter(name, w);
            float[] after = TestBatches.logits(m, b);
            MscnnSpuAtt fresh = new MscnnSpuAtt(CFG, new CpuBackend());
            fresh.setParameterBlock(m.parameterBlock());
            assertArrayEquals(TestBatches.logits(fresh, b), after, name + ": the cached regrouped weights were refreshed");
            assertFalse(java.util.Arrays.equals(before, after), name + " changes the logits");
            before = after;
        }
        // an Adam step changes every weight: again the next forward must match a fresh model
        m.zeroGrad();
        m.forward(b, 0f, 0);
        m.backward();
        m.adamStep(AdamHyper.paper());
        MscnnSpuAtt fresh = new MscnnSpuAtt(CFG, new CpuBackend());
        fresh.setParameterBlock(m.parameterBlock());
        assertArrayEquals(TestBatches.logits(fresh, b), TestBatches.logits(m, b));
    }
}
