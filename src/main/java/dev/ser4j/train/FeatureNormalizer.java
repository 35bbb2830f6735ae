package dev.ser4j.train;

import java.util.Arrays;
import java.util.List;

/**
 * Per-coefficient standardisation of the audio features, {@code (x - mean) / std}, with mean and std measured
 * over every frame of the training part of a fold. Stored in the checkpoint and applied at prediction time.
 */
public record FeatureNormalizer(float[] mean, float[] std) {
    /** Floor of the standard deviation, so a constant coefficient does not divide by zero. */
    static final double MIN_STD = 1e-5;

    public FeatureNormalizer {
        if (mean.length != std.length) throw new IllegalArgumentException("mean and std of different widths");
    }

    public static FeatureNormalizer identity(int dim) {
        float[] ones = new float[dim];
        Arrays.fill(ones, 1f);
        return new FeatureNormalizer(new float[dim], ones);
    }

    /** Mean and (population) standard deviation of every coefficient over all frames of {@code examples}. */
    public static FeatureNormalizer fit(List<Example> examples) {
        int dim = examples.getFirst().dim();
        double[] sum = new double[dim], sq = new double[dim];
        long n = 0;
        for (Example e : examples) {
            for (int t = 0; t < e.frames(); t++)
                for (int c = 0; c < dim; c++) sum[c] += e.audio()[t * dim + c];
            n += e.frames();
        }
        float[] mean = new float[dim], std = new float[dim];
        for (int c = 0; c < dim; c++) mean[c] = (float) (sum[c] / n);
        for (Example e : examples)
            for (int t = 0; t < e.frames(); t++)
                for (int c = 0; c < dim; c++) {
                    double d = e.audio()[t * dim + c] - mean[c];
                    sq[c] += d * d;
                }
        for (int c = 0; c < dim; c++) std[c] = (float) Math.max(MIN_STD, Math.sqrt(sq[c] / n));
        return new FeatureNormalizer(mean, std);
    }

    public int dim() {
        return mean.length;
    }

    /** Writes {@code frames} normalised frames of {@code src} into {@code dst} at {@code dstOffset}. */
    public void apply(float[] src, int frames, float[] dst, int dstOffset) {
        int dim = mean.length;
        for (int t = 0; t < frames; t++)
            for (int c = 0; c < dim; c++) dst[dstOffset + t * dim + c] = (src[t * dim + c] - mean[c]) / std[c];
    }
}
