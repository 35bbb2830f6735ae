package dev.ser4j.cli;

import dev.ser4j.ModelConfig;
import dev.ser4j.Variant;
import dev.ser4j.backend.AdamHyper;
import dev.ser4j.cpu.Sgemm;
import dev.ser4j.model.Batch;
import dev.ser4j.model.MscnnSpuAtt;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * {@code ./ser4j demo}: until the synthetic speech corpus exists, a small end-to-end training of the full model
 * on generated batches whose audio carries arousal and whose words carry the class half of the time.
 */
@Command(name = "demo", description = "Train MSCNN-SPU-ATT end to end on generated batches and report accuracy.")
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--seed", defaultValue = "1")
    long seed;

    @Option(names = "--epochs", defaultValue = "6")
    int epochs;

    @picocli.CommandLine.Mixin
    BackendOptions backendOptions;

    @Override
    public Integer call() {
        int vocab = 40, batchSize = 32;
        ModelConfig cfg = ModelConfig.of(Variant.MSCNN_SPU_ATT, vocab, false);
        System.out.println("ser4j demo: MSCNN-SPU-ATT (" + cfg.headInput() + "-wide head input) on generated batches; matrix products: " + Sgemm.describe());
        SplittableRandom rng = new SplittableRandom(seed);
        Batch[] train = new Batch[8];
        for (int i = 0; i < train.length; i++) train[i] = generate(rng, batchSize, cfg);
        Batch test = generate(rng, 64, cfg);
        try (dev.ser4j.backend.Backend backend = backendOptions.open(); MscnnSpuAtt m = new MscnnSpuAtt(cfg, backend)) {
            System.out.println("backend: " + backend.name());
            m.initialize(seed);
            AdamHyper h = AdamHyper.paper();
            for (int e = 1; e <= epochs; e++) {
                long t0 = System.nanoTime();
                double loss = 0;
                for (int i = 0; i < train.length; i++) {
                    m.zeroGrad();
                    loss += m.forward(train[i], cfg.dropout(), seed * 1000 + e * 100 + i);
                    m.backward();
                    m.adamStep(h);
                }
                double ms = (System.nanoTime() - t0) / 1e6 / train.length;
                m.forward(test, 0f, 0);
                System.out.printf("epoch %d  train loss %.3f  test accuracy %.1f%%  (%.0f ms per step of %d)%n",
                        e, loss / train.length, 100 * accuracy(m.probabilities(), test.labels()), ms, batchSize);
            }
        }
        System.out.println("(The real demo, on synthesized emotional speech, comes with the corpus generator.)");
        return 0;
    }

    private static Batch generate(SplittableRandom rng, int B, ModelConfig cfg) {
        int T = 160, M = 12, A = cfg.audioDim();
        float[] audio = new float[B * T * A];
        int[] aLen = new int[B], tokens = new int[B * M], tLen = new int[B], labels = new int[B];
        for (int b = 0; b < B; b++) {
            int label = rng.nextInt(4);
            labels[b] = label;
            aLen[b] = rng.nextInt(40, T + 1);
            double arousal = label <= 1 ? 0.6 : -0.6, inPair = (label % 2 == 0 ? 0.25 : -0.25);
            for (int t = 0; t < aLen[b]; t++)
                for (int c = 0; c < A; c++)
                    audio[(b * T + t) * A + c] = (float) (rng.nextGaussian() + (c < 8 ? arousal : c < 16 ? inPair : 0));
            tLen[b] = rng.nextInt(0, M + 1);
            for (int t = 0; t < tLen[b]; t++) tokens[b * M + t] = rng.nextInt(6, cfg.vocab());
            if (tLen[b] > 0 && rng.nextBoolean()) tokens[b * M + rng.nextInt(tLen[b])] = 2 + label;
        }
        return new Batch(B, T, M, audio, aLen, tokens, tLen, labels, null);
    }

    static double accuracy(float[] probs, int[] labels) {
        int right = 0;
        for (int b = 0; b < labels.length; b++) {
            int best = 0;
            for (int e = 1; e < 4; e++) if (probs[b * 4 + e] > probs[b * 4 + best]) best = e;
            if (best == labels[b]) right++;
        }
        return (double) right / labels.length;
    }
}
