package dev.ser4j.train;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class MetricsTest {
    @Test
    void weightedAndUnweightedAccuracyFollowTheirDefinitions() {
        // truth: 6 angry, 2 happy, 1 sad, 1 neutral
        int[] truth = {0, 0, 0, 0, 0, 0, 1, 1, 2, 3};
        int[] pred = {0, 0, 0, 0, 0, 1, 1, 0, 3, 3};
        Metrics m = Metrics.of(truth, pred, 4);
        assertEquals(0.7, m.wa(), 1e-12);
        assertEquals((5 / 6.0 + 1 / 2.0 + 0 + 1) / 4, m.ua(), 1e-12);
        assertEquals(5 / 6.0, m.precision()[0], 1e-12);
        assertEquals(0.5, m.precision()[3], 1e-12);
        assertEquals(2 * (5 / 6.0) * (5 / 6.0) / (5 / 3.0), m.f1()[0], 1e-12);
        assertArrayEquals(new int[]{5, 1, 0, 0}, m.confusion()[0]);
    }

    @Test
    void unweightedAccuracyAveragesOnlyClassesThatOccur() {
        Metrics m = Metrics.of(new int[]{0, 0, 1}, new int[]{0, 1, 1}, 4);
        assertEquals((0.5 + 1) / 2, m.ua(), 1e-12);
        assertTrue(Double.isNaN(m.recall()[2]));
    }
}
