package dev.ser4j.synth;

import java.util.SplittableRandom;

/**
 * The random stream of one utterance and the distributions docs/corpus.md draws from. Each utterance's stream is
 * seeded from (corpus seed, utterance index) alone, so utterance i is the same in every corpus with that seed,
 * whatever its size and whichever thread makes it. Normal draws use Marsaglia's polar method with
 * {@link StrictMath}, so the numbers do not depend on the JDK's own Gaussian or on the platform's libm.
 */
final class Draws {
    private final SplittableRandom random;
    private double spare;
    private boolean hasSpare;

    Draws(long seed) {
        random = new SplittableRandom(seed);
    }

    /** The stream of utterance {@code index} in the corpus with {@code corpusSeed}. */
    static Draws forUtterance(long corpusSeed, int index) {
        // SplitMix64's finaliser over seed + golden-ratio increment * (index + 1): distinct, well-mixed seeds
        long z = corpusSeed + 0x9E37_79B9_7F4A_7C15L * (index + 1L);
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return new Draws(z ^ (z >>> 31));
    }

    /** U(0, 1). */
    double uniform() {
        return random.nextDouble();
    }

    /** U(a, b). */
    double uniform(double a, double b) {
        return a + (b - a) * random.nextDouble();
    }

    /** Uniform index in [0, n). */
    int index(int n) {
        return random.nextInt(n);
    }

    /** U{a..b}, both ends included. */
    int integer(int a, int b) {
        return a + random.nextInt(b - a + 1);
    }

    /** A seed for a separate stream (the utterance's noise). */
    long seed() {
        return random.nextLong();
    }

    /** N(mean, sd). */
    double normal(double mean, double sd) {
        return mean + sd * standardNormal();
    }

    /** N(0, 1) by the polar method: two independent draws per accepted point, the second kept for the next call. */
    double standardNormal() {
        if (hasSpare) {
            hasSpare = false;
            return spare;
        }
        double u, v, s;
        do {
            u = 2 * random.nextDouble() - 1;
            v = 2 * random.nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double f = StrictMath.sqrt(-2 * StrictMath.log(s) / s);
        spare = v * f;
        hasSpare = true;
        return u * f;
    }
}
