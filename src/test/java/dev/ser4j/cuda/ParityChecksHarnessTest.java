package dev.ser4j.cuda;

import dev.ser4j.check.ParityChecks;
import dev.ser4j.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The parity harness itself, run without a GPU: the CPU backend against itself must agree exactly on every check
 * (so the shapes, batches and comparisons of gpu-check and the parity suite are valid), and a disagreement shows.
 */
class ParityChecksHarnessTest {
    @Test
    void cpuAgainstItselfPassesEveryCheckWithZeroError() {
        try (CpuBackend other = new CpuBackend()) {
            List<ParityChecks.Result> results = ParityChecks.all(other, 5);
            assertTrue(results.size() > 60, "checks: " + results.size());
            for (ParityChecks.Result r : results) {
                assertEquals(0.0, r.error(), r.toString());
                assertTrue(r.passed(), r.toString());
            }
        }
    }

    @Test
    void errorsAreScaledAndNanFails() {
        assertEquals(0.5, ParityChecks.error(new float[]{2, 0}, new float[]{1, 0}), 1e-6);
        ParityChecks.Result nan = new ParityChecks.Result("op", "t", ParityChecks.error(new float[]{1}, new float[]{Float.NaN}), 1);
        assertTrue(!nan.passed());
    }
}
