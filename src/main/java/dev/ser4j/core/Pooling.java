package dev.ser4j.core;

/**
 * How a sequence is pooled over its valid positions, in output order max, then mean, then std (model spec): the
 * paper's statistical pooling unit {@code SPU} (max, mean, std), its max-only ablation {@code MAX}
 * ({@code --audio-pooling max}, {@code --text-pooling max}), and {@code SWEM} (max and mean) of the word embeddings.
 * The ordinal is the {@code mode} argument of the statpool CUDA kernels.
 */
public enum Pooling {
    /** The statistical pooling unit: max, mean and standard deviation. */
    SPU("spu", true, true),
    /** Max pooling only (the paper's ablation). */
    MAX("max", false, false),
    /** SWEM: max and mean of the word embeddings. */
    SWEM("swem", true, false);

    /** The name in checkpoints and on the command line. */
    public final String id;
    /** Whether the mean block follows the max block. */
    public final boolean mean;
    /** Whether the standard-deviation block follows the mean block. */
    public final boolean std;

    Pooling(String id, boolean mean, boolean std) {
        this.id = id;
        this.mean = mean;
        this.std = std;
    }

    /**
     * The width of the pooled output in channels' widths.
     *
     * @return the number of C-wide blocks: max, then mean, then std
     */
    public int blocks() {
        return 1 + (mean ? 1 : 0) + (std ? 1 : 0);
    }

    /**
     * Parses a convolution branch's pooling (SWEM pools word embeddings only, so it is not accepted).
     *
     * @param flag the flag or metadata key it comes from, for the error message
     * @param id   {@code spu} or {@code max}
     * @return the pooling
     * @throws InputException for any other value
     */
    public static Pooling parse(String flag, String id) {
        if (SPU.id.equals(id)) return SPU;
        if (MAX.id.equals(id)) return MAX;
        throw new InputException(flag, "'" + id + "' is not a pooling; expected spu or max");
    }

    @Override
    public String toString() { return id; }
}
