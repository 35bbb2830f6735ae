package dev.ser4j.cpu;

import dev.ser4j.core.Pooling;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

/** SWEM, the [max | mean] pooling of word embeddings (statpool's SWEM mode), including an empty transcript. */
class SwemGradCheckTest {
    @Test
    void naiveBackwardMatchesFiniteDifferences() {
        StatPoolGradCheckTest.check(Pooling.SWEM, new SplittableRandom(8), 3, 4, 2, 6, new int[]{4, 0, 1});
    }

    @Test
    void fastPathMatchesNaiveTwin() {
        StatPoolGradCheckTest.compare(Pooling.SWEM, new SplittableRandom(9), 3, 4, 2, 6, new int[]{4, 0, 1});
        StatPoolGradCheckTest.compare(Pooling.SWEM, new SplittableRandom(10), 4, 40, 2, 300, new int[]{40, 15, 0, 2});
    }
}
