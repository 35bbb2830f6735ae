package dev.ser4j.model;

import dev.ser4j.core.ModelConfig;
import dev.ser4j.core.Pooling;
import dev.ser4j.core.Variant;
import dev.ser4j.cpu.CpuBackend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Padding never changes a result: an utterance's logits alone equal its logits inside a batch padded to longer
 * utterances (within 1e-5 absolute, float), for every variant at the spec's sizes, including a length-1 audio and
 * an empty transcript.
 */
class PaddingInvarianceTest {
    @ParameterizedTest
    @EnumSource(Variant.class)
    void paddingDoesNotChangeLogits(Variant v) {
        for (ModelConfig cfg : new ModelConfig[]{ModelConfig.of(v, 60, true),
                v == Variant.MSCNN_SPU_ATT ? ModelConfig.of(v, 60, true).withAudioPooling(Pooling.MAX).withTextPooling(Pooling.MAX) : null}) {
            if (cfg == null) continue;
            MscnnSpuAtt m = new MscnnSpuAtt(cfg, new CpuBackend());
            m.initialize(42);
            TestBatches.Utt[] inBatch = {new TestBatches.Utt(60, 14), new TestBatches.Utt(23, 7), new TestBatches.Utt(1, 0), new TestBatches.Utt(41, 16)};
            float[] batched = TestBatches.logits(m, TestBatches.batch(cfg, inBatch, 64, 18, 100));
            for (int i = 1; i <= 2; i++) {
                TestBatches.Utt u = inBatch[i];
                float[] alone = TestBatches.logits(m, TestBatches.batch(cfg, new TestBatches.Utt[]{u}, u.frames(), Math.max(u.words(), 1), 100 + i));
                for (int e = 0; e < 4; e++)
                    assertEquals(alone[e], batched[i * 4 + e], 1e-5, v + " utterance " + i + " class " + e);
            }
        }
    }
}
