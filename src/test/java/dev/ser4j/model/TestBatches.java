package dev.ser4j.model;

import dev.ser4j.core.ModelConfig;

import java.util.SplittableRandom;

/** Seeded batches for model tests: each utterance's values depend only on its own seed and lengths. */
public final class TestBatches {
    private TestBatches() {}

    /** An utterance of {@code frames} audio frames and {@code words} tokens. */
    public record Utt(int frames, int words) {}

    public static Batch batch(ModelConfig cfg, Utt[] utts, int T, int M, long seed) {
        int B = utts.length, A = cfg.audioDim();
        float[] audio = new float[B * T * A], xv = cfg.xvector() ? new float[B * cfg.xvectorDim()] : null;
        int[] aLen = new int[B], tokens = new int[B * M], tLen = new int[B], labels = new int[B];
        for (int b = 0; b < B; b++) {
            SplittableRandom rng = new SplittableRandom(seed + b);      // an utterance's values depend only on itself
            aLen[b] = utts[b].frames;
            tLen[b] = utts[b].words;
            labels[b] = b % 4;
            for (int t = 0; t < aLen[b]; t++)
                for (int c = 0; c < A; c++) audio[(b * T + t) * A + c] = (float) rng.nextGaussian();
            for (int t = 0; t < tLen[b]; t++) tokens[b * M + t] = rng.nextInt(1, Math.max(2, cfg.vocab()));
            if (xv != null) for (int c = 0; c < cfg.xvectorDim(); c++) xv[b * cfg.xvectorDim() + c] = (float) rng.nextGaussian();
        }
        return new Batch(B, T, M, audio, aLen, tokens, tLen, labels, xv);
    }


    public static float[] logits(MscnnSpuAtt m, Batch b) {
        m.forward(b, 0f, 0);
        return m.logits();
    }
}
