package dev.ser4j.model;

import java.util.Arrays;
import java.util.List;

/**
 * Per-coefficient standardisation of the model's real-valued inputs, {@code (x - mean) / std}, with statistics from
 * the training part of a fold: the audio features (over every frame) and, when the model has one, the speaker
 * embedding (over utterances; x-vectors and speaker statistics come in arbitrary scales). Stored in the checkpoint
 * and applied at prediction time.
 *
 * @param xvMean null when there is no speaker embedding
 */
public record FeatureNormalizer(float[] mean, float[] std, float[] xvMean, float[] xvStd) {
    /** Floor of the standard deviation, so a constant coefficient does not divide by zero. */
    static final double MIN_STD = 1e-5;

    public FeatureNormalizer {
        if (mean.length != std.length) throw new IllegalArgumentException("mean and std of different widths");
        if ((xvMean == null) != (xvStd == null) || xvMean != null && xvMean.length != xvStd.length)
            throw new IllegalArgumentException("x-vector mean and std of different widths");
    }

    public static FeatureNormalizer identity(int dim) {
        return new FeatureNormalizer(new float[dim], ones(dim), null, null);
    }

    private static float[] ones(int n) {
        float[] a = new float[n];
        Arrays.fill(a, 1f);
        return a;
    }

    /** Statistics of the audio features over all frames, and of the speaker embeddings over all utterances. */
    public static FeatureNormalizer fit(List<Example> examples) {
        int dim = examples.getFirst().dim();
        double[] sum = new double[dim], sq = new double[dim];
        long n = 0;
        for (Example e : examples) {
            for (int t = 0; t < e.frames(); t++)
                for (int c = 0; c < dim; c++) {
                    double v = e.audio()[t * dim + c];
                    sum[c] += v;
                    sq[c] += v * v;
                }
            n += e.frames();
        }
        float[][] audio = moments(sum, sq, n);
        float[][] xv = null;
        float[] first = examples.getFirst().xvector();
        if (first != null) {
            int xd = first.length;
            double[] xs = new double[xd], xq = new double[xd];
            for (Example e : examples)
                for (int c = 0; c < xd; c++) {
                    xs[c] += e.xvector()[c];
                    xq[c] += (double) e.xvector()[c] * e.xvector()[c];
                }
            xv = moments(xs, xq, examples.size());
        }
        return new FeatureNormalizer(audio[0], audio[1], xv == null ? null : xv[0], xv == null ? null : xv[1]);
    }

    /** Mean and population standard deviation from sums and sums of squares (in double, as these are). */
    private static float[][] moments(double[] sum, double[] sq, long n) {
        float[] mean = new float[sum.length], std = new float[sum.length];
        for (int c = 0; c < sum.length; c++) {
            double m = sum[c] / n;
            mean[c] = (float) m;
            std[c] = (float) Math.max(MIN_STD, Math.sqrt(Math.max(0, sq[c] / n - m * m)));
        }
        return new float[][]{mean, std};
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

    /** Writes the normalised speaker embedding into {@code dst} at {@code dstOffset} (a copy without statistics). */
    public void applyXvector(float[] src, float[] dst, int dstOffset) {
        for (int c = 0; c < src.length; c++) dst[dstOffset + c] = xvMean == null ? src[c] : (src[c] - xvMean[c]) / xvStd[c];
    }
}
