package dev.ser4j.train;

import dev.ser4j.core.InputException;
import dev.ser4j.core.ModelConfig;
import dev.ser4j.model.Batch;
import dev.ser4j.model.Example;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * What training does to its inputs beyond the paper, each part seeded by (seed, epoch, step) so that a run is
 * reproducible and resumes exactly:
 * <ul>
 * <li>augmented copies: each epoch takes, for an utterance that has them ({@code Example.copies}, speed-perturbed and
 *     noisy recordings made by the data pipeline), the utterance or one of its copies, with equal chances;</li>
 * <li>{@code balance}: each epoch repeats the utterances of the smaller classes (a seeded draw) until every class has
 *     as many as the largest, so that the loss, and the epoch chosen by dev UA, weigh the classes equally;</li>
 * <li>SpecAugment (Park et al. 2019) on the normalised features: {@code timeMasks} spans of up to {@code maxTime}
 *     frames and {@code featureMasks} spans of up to {@code maxFeatures} cepstral coefficients (the same coefficients of
 *     the MFCC, delta and delta-delta blocks) set to zero, i.e. to the training mean;</li>
 * <li>word dropout: each token becomes UNK with probability {@code wordDropout}, so that UNK's embedding is trained
 *     and unseen words are not noise;</li>
 * <li>modality dropout (bimodal models): the whole transcript is dropped with probability {@code textDropout}, or
 *     else the whole audio (one frame of the mean) with probability {@code audioDropout}, so that the model works,
 *     as its better single modality, when one is missing;</li>
 * <li>{@code audioOnlyPass} (bimodal models): each training batch is run a second time with every transcript
 *     removed and both passes' gradients are added before the step, so that every utterance also trains the audio
 *     path alone, as an audio-only model's would be ({@link Trainer}); a step then costs about twice as much.</li>
 * </ul>
 */
public record Augmentation(boolean balance, int timeMasks, int maxTime, int featureMasks, int maxFeatures,
                           float wordDropout, float textDropout, float audioDropout, boolean audioOnlyPass) {
    /** The paper's training: none of it. */
    public static final Augmentation NONE = new Augmentation(false, 0, 0, 0, 0, 0f, 0f, 0f);
    /** The cepstral coefficients of a feature block (MFCC, delta, delta-delta). */
    static final int CEPSTRA = 32;

    public Augmentation {
        if (timeMasks < 0 || maxTime < 0 || featureMasks < 0 || maxFeatures < 0 || maxFeatures > CEPSTRA)
            throw new InputException("--spec-augment", "mask counts and widths must be non-negative, feature widths at most " + CEPSTRA);
        for (float p : new float[]{wordDropout, textDropout, audioDropout})
            if (!(p >= 0 && p < 1)) throw new InputException("--word-dropout/--modality-dropout", p + " is not a probability in [0, 1)");
    }

    /** Without the audio-only pass. */
    public Augmentation(boolean balance, int timeMasks, int maxTime, int featureMasks, int maxFeatures,
                        float wordDropout, float textDropout, float audioDropout) {
        this(balance, timeMasks, maxTime, featureMasks, maxFeatures, wordDropout, textDropout, audioDropout, false);
    }

    /** The same with the audio-only pass on or off. */
    public Augmentation withAudioOnlyPass(boolean on) {
        return new Augmentation(balance, timeMasks, maxTime, featureMasks, maxFeatures, wordDropout, textDropout, audioDropout, on);
    }

    /** Whether any part is on. */
    public boolean any() {
        return !equals(NONE);
    }

    /**
     * The training examples of one epoch: {@code train} itself, or with {@link #balance} the smaller classes' examples
     * repeated (a draw without replacement from a seeded shuffle, cycling) up to the largest class's count.
     */
    public List<Example> epoch(List<Example> train, long seed) {
        List<Example> out = balance ? balanced(train, seed) : train;
        if (out.stream().allMatch(e -> e.copies().isEmpty())) return out;
        // each utterance of the epoch is itself or one of its augmented copies, with equal chances
        SplittableRandom rng = new SplittableRandom(seed ^ 0x5DEECE66DL);
        return out.stream().map(e -> e.copies().isEmpty() ? e : e.copy(rng.nextInt(e.copies().size() + 1))).toList();
    }

    private static List<Example> balanced(List<Example> train, long seed) {
        Map<Integer, List<Example>> byClass = new TreeMap<>();
        for (Example e : train) byClass.computeIfAbsent(e.label(), k -> new ArrayList<>()).add(e);
        int most = byClass.values().stream().mapToInt(List::size).max().orElse(0);
        List<Example> out = new ArrayList<>(train);
        Random rng = new Random(seed);
        for (List<Example> members : byClass.values()) {
            List<Example> pool = new ArrayList<>(members);
            Collections.shuffle(pool, rng);
            for (int i = 0; i < most - members.size(); i++) out.add(pool.get(i % pool.size()));
        }
        return out;
    }

    /** Applies masks and dropouts to a training batch of normalised features, in place. */
    public void apply(Batch b, ModelConfig cfg, long seed) {
        if (!any()) return;
        SplittableRandom rng = new SplittableRandom(seed);
        int B = b.size(), T = b.frames(), M = b.maxTokens(), A = cfg.audioDim();
        boolean bimodal = cfg.variant().audio && cfg.variant().text;
        for (int u = 0; u < B; u++) {
            boolean dropText = bimodal && textDropout > 0 && rng.nextDouble() < textDropout;
            boolean dropAudio = bimodal && !dropText && audioDropout > 0 && rng.nextDouble() < audioDropout;
            if (cfg.variant().text) {
                if (dropText) {
                    java.util.Arrays.fill(b.tokens(), u * M, u * M + b.textLen()[u], 0);
                    b.textLen()[u] = 0;
                } else if (wordDropout > 0) {
                    for (int t = 0; t < b.textLen()[u]; t++) if (rng.nextDouble() < wordDropout) b.tokens()[u * M + t] = 1;   // UNK
                }
            }
            if (!cfg.variant().audio) continue;
            float[] audio = b.audio();
            int len = b.audioLen()[u], row = u * T * A;
            if (dropAudio) {
                java.util.Arrays.fill(audio, row, row + len * A, 0f);
                b.audioLen()[u] = 1;
                continue;
            }
            for (int m = 0; m < timeMasks; m++) {
                int w = rng.nextInt(Math.min(maxTime, len - 1) + 1), t0 = rng.nextInt(len - w + 1);
                java.util.Arrays.fill(audio, row + t0 * A, row + (t0 + w) * A, 0f);
            }
            int blocks = A / CEPSTRA;
            for (int m = 0; m < featureMasks; m++) {
                int w = rng.nextInt(maxFeatures + 1), c0 = rng.nextInt(CEPSTRA - w + 1);
                for (int t = 0; t < len; t++)
                    for (int k = 0; k < blocks; k++) java.util.Arrays.fill(audio, row + t * A + k * CEPSTRA + c0, row + t * A + k * CEPSTRA + c0 + w, 0f);
            }
        }
    }
}
