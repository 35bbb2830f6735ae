package dev.ser4j.perf;

import dev.ser4j.ModelConfig;
import dev.ser4j.model.Batch;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The benchmark workloads of issue 6: audio lengths ~ N(444, 306) clipped to [56, 750] frames, text lengths
 * ~ N(15, 9) clipped to [1, 128] tokens (IEMOCAP's statistics), random features and token ids.
 */
public final class Workloads {
    private Workloads() {}

    /** Lengths for {@code n} utterances. */
    public static int[][] lengths(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[][] l = new int[n][2];
        for (int i = 0; i < n; i++) {
            l[i][0] = (int) Math.round(Math.min(750, Math.max(56, 444 + 306 * rng.nextGaussian())));
            l[i][1] = (int) Math.round(Math.min(128, Math.max(1, 15 + 9 * rng.nextGaussian())));
        }
        return l;
    }

    /** One batch with the given (frames, tokens) per utterance, padded to its own maximum. */
    public static Batch batch(ModelConfig cfg, int[][] lengths, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int B = lengths.length, T = Arrays.stream(lengths).mapToInt(l -> l[0]).max().orElse(1),
                M = Arrays.stream(lengths).mapToInt(l -> l[1]).max().orElse(1), A = cfg.audioDim();
        float[] audio = new float[B * T * A], xv = cfg.xvector() ? new float[B * cfg.xvectorDim()] : null;
        int[] aLen = new int[B], tokens = new int[B * M], tLen = new int[B], labels = new int[B];
        for (int b = 0; b < B; b++) {
            aLen[b] = lengths[b][0];
            tLen[b] = lengths[b][1];
            labels[b] = rng.nextInt(4);
            for (int i = 0; i < aLen[b] * A; i++) audio[b * T * A + i] = (float) rng.nextGaussian();
            for (int t = 0; t < tLen[b]; t++) tokens[b * M + t] = rng.nextInt(1, cfg.vocab());
            if (xv != null) for (int c = 0; c < cfg.xvectorDim(); c++) xv[b * cfg.xvectorDim() + c] = (float) rng.nextGaussian();
        }
        return new Batch(B, T, M, audio, aLen, tokens, tLen, labels, xv);
    }

    /** A batch of {@code B} utterances with lengths uniform in [lo, hi] frames and [tlo, thi] tokens. */
    public static Batch uniformBatch(ModelConfig cfg, int B, int lo, int hi, int tlo, int thi, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[][] l = new int[B][];
        for (int b = 0; b < B; b++) l[b] = new int[]{rng.nextInt(lo, hi + 1), rng.nextInt(tlo, thi + 1)};
        return batch(cfg, l, seed + 1);
    }
}
