package dev.ser4j.model;

import dev.ser4j.backend.ConvShape;
import dev.ser4j.core.ModelConfig;
import dev.ser4j.core.Variant;
import dev.ser4j.cpu.ConvAlgorithm;
import dev.ser4j.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code auto} chooses the audio convolution's algorithm call by call: a batch under {@link ConvAlgorithm#AUTO_MIN_FRAMES}
 * frames is computed exactly as by the direct path (bit for bit), a larger one by fast filtering (within float
 * rounding of it), and each backward pass uses its own forward's algorithm whatever ran in between.
 */
class ConvChoiceByCallSizeTest {
    static final ModelConfig CFG = ModelConfig.of(Variant.MSCNN_SPU_ATT, 60, true);
    static final ConvShape AUDIO = new ConvShape(CFG.audioDim(), CFG.filters(), CFG.audioKernels());

    @Test
    void smallCallsRunDirectAndLargeOnesFast() {
        assumeTrue(System.getenv("SER4J_CONV") == null && System.getProperty("ser4j.conv") == null, "SER4J_CONV chooses here");
        CpuBackend auto = new CpuBackend();
        assertEquals(ConvAlgorithm.DIRECT, auto.convAlgorithm(AUDIO, ConvAlgorithm.AUTO_MIN_FRAMES - 1));
        assertEquals(ConvAlgorithm.winograd(ConvAlgorithm.DEFAULT_POINTS), auto.convAlgorithm(AUDIO, ConvAlgorithm.AUTO_MIN_FRAMES));

        MscnnSpuAtt a = model(auto), d = model(new CpuBackend(ConvAlgorithm.DIRECT));
        Batch small = TestBatches.batch(CFG, utts(3, 450), 450, 16, 5);      // 1,350 frames
        Batch large = TestBatches.batch(CFG, utts(6, 450), 450, 16, 9);      // 2,700 frames

        assertArrayEquals(TestBatches.logits(d, small), TestBatches.logits(a, small), "one small batch: the direct path");
        float[] fast = TestBatches.logits(a, large), direct = TestBatches.logits(d, large);
        assertFalse(java.util.Arrays.equals(fast, direct), "a large batch takes the fast path, which rounds differently");
        assertArrayEquals(direct, fast, 1e-4f);

        for (Batch b : new Batch[]{large, small}) {
            MscnnSpuAtt m = model(new CpuBackend()), ref = model(new CpuBackend(ConvAlgorithm.DIRECT));
            m.zeroGrad();
            m.forward(b, 0f, 0);
            m.backward();
            ref.zeroGrad();
            ref.forward(b, 0f, 0);
            ref.backward();
            String w = "audio.conv.3.weight";
            float[] g = m.gradient(w), r = ref.gradient(w);
            if (b == small) assertArrayEquals(r, g, "the small batch's gradient: the direct path's, bit for bit");
            else assertArrayEquals(r, g, 1e-4f * max(r), "the large batch's gradient: the fast path's, within float rounding");
        }
    }

    @Test
    void aBackwardPassFindsItsForwardsWorkspaceAfterACallOfTheOtherSize() {
        assumeTrue(System.getenv("SER4J_CONV") == null && System.getProperty("ser4j.conv") == null, "SER4J_CONV chooses here");
        CpuBackend auto = new CpuBackend();
        MscnnSpuAtt m = model(auto), probe = model(auto), ref = model(new CpuBackend(ConvAlgorithm.DIRECT));
        Batch small = TestBatches.batch(CFG, utts(2, 400), 400, 16, 21), large = TestBatches.batch(CFG, utts(6, 450), 450, 16, 23);
        m.zeroGrad();
        m.forward(small, 0f, 0);
        TestBatches.logits(probe, large);            // the same backend runs a large call between forward and backward
        m.backward();
        ref.zeroGrad();
        ref.forward(small, 0f, 0);
        ref.backward();
        assertArrayEquals(ref.gradient("audio.conv.0.weight"), m.gradient("audio.conv.0.weight"));
    }

    private static MscnnSpuAtt model(CpuBackend be) {
        MscnnSpuAtt m = new MscnnSpuAtt(CFG, be);
        m.initialize(7);
        return m;
    }

    private static TestBatches.Utt[] utts(int n, int frames) {
        TestBatches.Utt[] u = new TestBatches.Utt[n];
        for (int i = 0; i < n; i++) u[i] = new TestBatches.Utt(frames - 7 * i, 12);
        return u;
    }

    private static float max(float[] a) {
        float m = 0;
        for (float v : a) m = Math.max(m, Math.abs(v));
        return m;
    }
}
