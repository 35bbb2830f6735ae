package dev.ser4j.backend;

/**
 * Which statistics a pooling op computes over the valid positions of a sequence, in output order.
 * SPU is the paper's statistical pooling unit, MAX its max-only ablation, SWEM the word-embedding pooling.
 */
public enum Stats {
    SPU(true, true),
    MAX(false, false),
    SWEM(true, false);

    public final boolean mean;
    public final boolean std;

    Stats(boolean mean, boolean std) {
        this.mean = mean;
        this.std = std;
    }

    /** Number of C-wide blocks in the output: max, then mean, then std. */
    public int blocks() {
        return 1 + (mean ? 1 : 0) + (std ? 1 : 0);
    }
}
