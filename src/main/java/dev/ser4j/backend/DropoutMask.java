package dev.ser4j.backend;

/**
 * The dropout mask every backend computes (part of the contract, so that backward and another backend reproduce
 * exactly the same mask from the same seed): a counter-based generator, SplitMix64 of the seed and the element's
 * index, so the mask is never stored.
 */
public final class DropoutMask {
    private DropoutMask() {}

    /** Element i is kept iff a uniform draw in [0, 1), 24 bits of SplitMix64(seed, i), is at least p. */
    public static boolean keep(long seed, long i, float p) {
        long z = seed + (i + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (z >>> 40) * 0x1.0p-24f >= p;
    }

    /** A per-(step, layer) seed derived from the run's seed, so every dropout layer of every step differs. */
    public static long seed(long runSeed, long step, int layer) {
        long z = runSeed * 0x9E3779B97F4A7C15L + step * 0xD1B54A32D192ED03L + layer * 0x8CB92BA72F3D8DD7L;
        z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
        return z ^ (z >>> 33);
    }
}
