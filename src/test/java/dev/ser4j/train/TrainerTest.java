package dev.ser4j.train;

import dev.ser4j.backend.AdamHyper;
import dev.ser4j.core.ModelConfig;
import dev.ser4j.core.TrainingException;
import dev.ser4j.core.Variant;
import dev.ser4j.cpu.CpuBackend;
import dev.ser4j.model.Batcher;
import dev.ser4j.model.Example;
import dev.ser4j.model.FeatureNormalizer;
import dev.ser4j.model.MscnnSpuAtt;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class TrainerTest {
    static final ModelConfig CFG = ModelConfig.of(Variant.MSCNN_SPU_ATT, 30, true).withSizes(16, 12, 4, 8, 32);

    static Trainer.Config quick(long seed) {
        return Trainer.Config.paper(seed).withEpochs(6, 3).withBatchSize(16);
    }

    private static MscnnSpuAtt trained(List<Example> train, List<Example> dev, Trainer.Config c, Trainer.Result[] result) {
        MscnnSpuAtt m = new MscnnSpuAtt(CFG, new CpuBackend());
        m.initialize(c.seed());
        Batcher batcher = new Batcher(CFG, FeatureNormalizer.fit(train));
        result[0] = Trainer.train(m, batcher, train, dev, c, null);
        return m;
    }

    @Test
    void sameSeedGivesTheSameWeights() {
        List<Example> data = Examples.make(4, 24, 16, 30, true, 1);
        Trainer.Result[] r = new Trainer.Result[1];
        float[] a = trained(data.subList(0, 72), data.subList(72, 96), quick(5), r).parameterBlock();
        float[] b = trained(data.subList(0, 72), data.subList(72, 96), quick(5), r).parameterBlock();
        float[] c = trained(data.subList(0, 72), data.subList(72, 96), quick(6), r).parameterBlock();
        assertArrayEquals(a, b);
        assertFalse(java.util.Arrays.equals(a, c), "another seed gives other weights");
    }

    @Test
    void learnsAndKeepsTheBestDevEpoch() {
        List<Example> data = Examples.make(6, 40, 16, 30, true, 2);
        List<Example> train = data.subList(0, 160), dev = data.subList(160, 200), test = data.subList(200, 240);
        Trainer.Result[] r = new Trainer.Result[1];
        MscnnSpuAtt m = trained(train, dev, quick(3).withEpochs(10, 3), r);
        Trainer.Result res = r[0];
        assertTrue(res.bestEpoch() >= 1 && res.bestEpoch() <= res.history().size());
        Batcher batcher = new Batcher(CFG, FeatureNormalizer.fit(train));
        Metrics devNow = Predictor.evaluate(m, batcher, dev, 16);
        assertEquals(res.bestScore(), devNow.ua(), 1e-12, "the model holds the best epoch's weights");
        assertEquals(res.history().stream().mapToDouble(Trainer.Epoch::devUa).max().orElseThrow(), res.bestScore());
        assertTrue(Predictor.evaluate(m, batcher, test, 16).wa() > 0.6, "the generated task is learnable");
    }

    @Test
    void averagingKeepsTheMovingAverageOfTheEpochEnds() {
        List<Example> data = Examples.make(4, 24, 16, 30, true, 4);
        List<Example> train = data.subList(0, 72);
        Trainer.Result[] r = new Trainer.Result[1];
        float a = 0.6f;
        // the same seed without averaging: the weights at the end of epochs 1, 2, 3 (averaging leaves training alone)
        float[] avg = null;
        for (int epochs = 1; epochs <= 3; epochs++) {
            float[] w = trained(train, List.of(), quick(7).withEpochs(epochs, 3), r).parameterBlock();
            avg = avg == null ? w : Trainer.movingAverage(avg, w, a);
        }
        float[] kept = trained(train, List.of(), quick(7).withEpochs(3, 3).withAverage(a), r).parameterBlock();
        assertArrayEquals(avg, kept, 1e-7f, "without a dev set the last epoch's average is kept");
        float[] last = trained(train, List.of(), quick(7).withEpochs(3, 3), r).parameterBlock();
        assertFalse(java.util.Arrays.equals(last, kept), "the average is not the last weights");
    }

    @Test
    void averagingScoresAndKeepsTheAverageOnTheDevSet() {
        List<Example> data = Examples.make(6, 40, 16, 30, true, 2);
        List<Example> train = data.subList(0, 160), dev = data.subList(160, 200);
        Trainer.Result[] r = new Trainer.Result[1];
        MscnnSpuAtt m = trained(train, dev, quick(3).withEpochs(8, 3).withAverage(0.75f), r);
        Metrics devNow = Predictor.evaluate(m, new Batcher(CFG, FeatureNormalizer.fit(train)), dev, 16);
        assertEquals(r[0].bestScore(), devNow.ua(), 1e-12, "the model holds the average that scored best");
        assertThrows(IllegalArgumentException.class, () -> quick(3).withAverage(1f));
    }

    @Test
    void aBimodalModelTrainedWithoutTranscriptsIsChosenForBothConditions() {
        List<Example> data = Examples.make(6, 40, 16, 30, true, 2);
        List<Example> train = data.subList(0, 160), dev = data.subList(160, 200);
        Augmentation dropText = new Augmentation(false, 0, 0, 0, 0, 0f, 0.3f, 0f);
        Trainer.Result[] r = new Trainer.Result[1];
        MscnnSpuAtt m = trained(train, dev, quick(3).withEpochs(8, 3).withAugmentation(dropText), r);
        Batcher batcher = new Batcher(CFG, FeatureNormalizer.fit(train));
        double with = Predictor.evaluate(m, batcher, dev, 16).ua();
        double without = Predictor.evaluate(m, batcher, dev.stream().map(Example::withoutText).toList(), 16).ua();
        Trainer.Epoch chosen = r[0].history().get(r[0].bestEpoch() - 1);
        assertEquals(with, chosen.devUa(), 1e-12, "the epoch's dev UA with transcripts");
        assertEquals(without, chosen.devUaWithoutText(), 1e-12, "and without them");
        assertEquals((with + without) / 2, r[0].bestScore(), 1e-12, "the kept epoch is chosen by their mean");
        assertEquals(r[0].history().stream().mapToDouble(Trainer.Epoch::score).max().orElseThrow(), r[0].bestScore());

        trained(train, dev, quick(3).withEpochs(2, 3), r);
        assertTrue(r[0].history().stream().allMatch(e -> Double.isNaN(e.devUaWithoutText()) && e.score() == e.devUa()),
                "without transcript dropout the dev UA alone chooses");
    }

    @Test
    void theAudioOnlyPassTrainsEachBatchAlsoWithoutTranscripts() {
        List<Example> data = Examples.make(6, 40, 16, 30, true, 2);
        List<Example> train = data.subList(0, 160), dev = data.subList(160, 200);
        Augmentation pass = Augmentation.NONE.withAudioOnlyPass(true);
        Trainer.Result[] r = new Trainer.Result[1];
        float[] with = trained(train, dev, quick(3).withEpochs(3, 3).withAugmentation(pass), r).parameterBlock();
        assertTrue(r[0].history().stream().noneMatch(e -> Double.isNaN(e.devUaWithoutText())), "the epoch is chosen with and without text");
        assertArrayEquals(with, trained(train, dev, quick(3).withEpochs(3, 3).withAugmentation(pass), r).parameterBlock(), "seeded");
        float[] without = trained(train, dev, quick(3).withEpochs(3, 3), r).parameterBlock();
        assertFalse(java.util.Arrays.equals(with, without), "the second pass changes the steps");
    }

    @Test
    void aNonFiniteLossStopsTheRunNamingEpochAndStep() {
        List<Example> data = Examples.make(2, 40, 16, 30, true, 3);
        Trainer.Config bad = new Trainer.Config(3, 3, 16, new AdamHyper(Float.NaN, 0.9f, 0.999f, 1e-8f, 1f), 1, dev.ser4j.io.Progress.NONE, Augmentation.NONE, 0f);
        TrainingException e = assertThrows(TrainingException.class, () -> trained(data, List.of(), bad, new Trainer.Result[1]));
        assertTrue(e.getMessage().contains("epoch 1, step 2"), e.getMessage());
    }
}
