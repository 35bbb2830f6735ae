package dev.ser4j.core;

/**
 * How a sequence is pooled over its valid positions, in output order max, then mean, then std (model spec): the
 * paper's statistical pooling unit {@code SPU} (max, mean, std), its max-only ablation {@code MAX}
 * ({@code --audio-pooling max}, {@code --text-pooling max}), and {@code SWEM} (max and mean) of the word embeddings.
 * The ordinal is the {@code mode} argument of the statpool CUDA kernels.
 */
public enum Pooling {
    SPU("spu", true, true),
    MAX("max", false, false),
    SWEM("swem", true, false);

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

    /** Number of C-wide blocks in the output: max, then mean, then std. */
    public int blocks() {
        return 1 + (mean ? 1 : 0) + (std ? 1 : 0);
    }

    /** Parses a convolution branch's pooling flag: {@code spu} or {@code max} (SWEM pools word embeddings only). */
    public static Pooling parse(String flag, String id) {
        if (SPU.id.equals(id)) return SPU;
        if (MAX.id.equals(id)) return MAX;
        throw new InputException(flag, "'" + id + "' is not a pooling; expected spu or max");
    }

    @Override
    public String toString() { return id; }
}
