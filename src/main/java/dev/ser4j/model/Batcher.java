package dev.ser4j.model;

import dev.ser4j.core.ModelConfig;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Turns examples into padded batches: features normalised, each batch padded to its own longest utterance.
 * Training batches come from length buckets, so utterances of similar length travel together and little is padded:
 * sort by length, cut into buckets of {@link #BUCKET_BATCHES} batches, shuffle inside each bucket, cut into batches,
 * shuffle the batch order. A seed fixes the whole order.
 */
public final class Batcher {
    static final int BUCKET_BATCHES = 8;

    private final ModelConfig cfg;
    private final FeatureNormalizer norm;

    public Batcher(ModelConfig cfg, FeatureNormalizer norm) {
        this.cfg = cfg;
        this.norm = norm;
    }

    /** One epoch's batches of the training examples, bucketed by audio length (or text length for text-only models). */
    public List<List<Example>> epoch(List<Example> examples, int batchSize, long seed) {
        Random rng = new Random(seed);
        List<Example> sorted = new ArrayList<>(examples);
        Collections.shuffle(sorted, rng);                      // random order among equal lengths
        sorted.sort(Comparator.comparingInt(this::length));
        int bucket = batchSize * BUCKET_BATCHES;
        List<List<Example>> batches = new ArrayList<>();
        for (int b0 = 0; b0 < sorted.size(); b0 += bucket) {
            List<Example> inBucket = new ArrayList<>(sorted.subList(b0, Math.min(sorted.size(), b0 + bucket)));
            Collections.shuffle(inBucket, rng);
            inBucket.sort(Comparator.comparingInt(this::length));
            // shuffled membership, then sorted again in windows of batchSize: similar lengths, varying company
            for (int i = 0; i < inBucket.size(); i += batchSize)
                batches.add(List.copyOf(inBucket.subList(i, Math.min(inBucket.size(), i + batchSize))));
        }
        Collections.shuffle(batches, rng);
        return batches;
    }

    /** Batches for evaluation: sorted by length so little is padded; {@link #order} maps them back. */
    public List<List<Example>> sequential(List<Example> examples, int batchSize) {
        List<Example> sorted = new ArrayList<>(examples);
        sorted.sort(Comparator.comparingInt(this::length));
        List<List<Example>> batches = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i += batchSize) batches.add(sorted.subList(i, Math.min(sorted.size(), i + batchSize)));
        return batches;
    }

    private int length(Example e) {
        return cfg.variant().audio ? e.frames() : e.tokens().length;
    }

    /** The padded, normalised batch of {@code examples}; labels are included when every example has one. */
    public Batch batch(List<Example> examples) {
        int B = examples.size(), A = cfg.audioDim();
        int T = 1, M = 1;
        boolean labelled = true;
        for (Example e : examples) {
            T = Math.max(T, e.frames());
            M = Math.max(M, e.tokens().length);
            labelled &= e.label() >= 0;
        }
        float[] audio = cfg.variant().audio ? new float[B * T * A] : null;
        float[] xv = cfg.xvector() ? new float[B * cfg.xvectorDim()] : null;
        int[] aLen = new int[B], tokens = new int[B * M], tLen = new int[B], labels = labelled ? new int[B] : null;
        for (int b = 0; b < B; b++) {
            Example e = examples.get(b);
            aLen[b] = e.frames();
            if (audio != null) norm.apply(e.audio(), e.frames(), audio, b * T * A);
            tLen[b] = e.tokens().length;
            System.arraycopy(e.tokens(), 0, tokens, b * M, e.tokens().length);
            if (xv != null) {
                if (e.xvector() == null || e.xvector().length != cfg.xvectorDim())
                    throw new IllegalStateException(e.id() + " has no " + cfg.xvectorDim() + "-d speaker embedding");
                norm.applyXvector(e.xvector(), xv, b * cfg.xvectorDim());
            }
            if (labels != null) labels[b] = e.label();
        }
        return new Batch(B, T, M, audio, aLen, tokens, tLen, labels, xv);
    }
}
