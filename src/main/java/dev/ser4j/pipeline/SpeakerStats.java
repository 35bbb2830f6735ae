package dev.ser4j.pipeline;

import dev.ser4j.audio.Mfcc;

/**
 * Running statistics of one speaker's features: per feature, the number of frames, their sum and sum of squares
 * (in double). Two uses: {@link #normalize} z-normalises an utterance by its speaker's mean and standard deviation
 * (speaker normalisation, which takes the speaker's voice out of the features; no label is needed), and
 * {@link #embedding} gives the mean and standard deviation as a speaker embedding ({@code --xvectors speaker-stats}).
 * Thread-safe: a speaker enrolled from several threads accumulates every frame.
 */
public final class SpeakerStats {
    /** Floor of a standard deviation used to divide: a constant feature does not blow up. */
    public static final double MIN_STD = 1e-5;
    private static final int D = Mfcc.FEATURES;

    private final double[] sum = new double[D], sq = new double[D];
    private long frames;

    /** Statistics of one utterance alone. */
    public static SpeakerStats of(float[] features) {
        SpeakerStats s = new SpeakerStats();
        s.add(features);
        return s;
    }

    /** Adds every frame of {@code features [frames, 96]}. */
    public synchronized void add(float[] features) {
        for (int t = 0; t < features.length / D; t++)
            for (int c = 0; c < D; c++) {
                double v = features[t * D + c];
                sum[c] += v;
                sq[c] += v * v;
            }
        frames += features.length / D;
    }

    /** Frames seen so far. */
    public synchronized long frames() {
        return frames;
    }

    /** The mean of every feature, then its population standard deviation: {@code 2 * 96} values. */
    public synchronized float[] embedding() {
        float[] v = new float[2 * D];
        for (int c = 0; c < D; c++) {
            double mean = sum[c] / frames;
            v[c] = (float) mean;
            v[D + c] = (float) Math.sqrt(Math.max(0, sq[c] / frames - mean * mean));
        }
        return v;
    }

    /**
     * {@code (x - mean) / std} per feature, as a new array; the standard deviation is floored at 1e-5. Mean and
     * standard deviation are used in double: rounded to float (as {@link #embedding} gives them), a feature far from
     * zero with little spread (a steady recording's c0: mean -250, deviation 0.05) would be off-centre by 1e-4.
     */
    public float[] normalize(float[] features) {
        double[] mean = new double[D], std = new double[D];
        synchronized (this) {
            for (int c = 0; c < D; c++) {
                mean[c] = sum[c] / frames;
                std[c] = Math.max(MIN_STD, Math.sqrt(Math.max(0, sq[c] / frames - mean[c] * mean[c])));
            }
        }
        float[] out = new float[features.length];
        for (int t = 0; t < features.length / D; t++)
            for (int c = 0; c < D; c++) out[t * D + c] = (float) ((features[t * D + c] - mean[c]) / std[c]);
        return out;
    }
}
