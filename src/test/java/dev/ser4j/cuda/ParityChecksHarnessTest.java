package dev.ser4j.cuda;

import dev.ser4j.backend.Backend;
import dev.ser4j.check.ParityChecks;
import dev.ser4j.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
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
    void aCheckThatThrowsIsOneFailedRowAndTheOthersStillRun() {
        try (CpuBackend cpu = new CpuBackend()) {
            // the CPU backend, except that its ReLU fails as a CUDA call would
            Backend broken = (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[]{Backend.class}, (proxy, m, args) -> {
                if (m.getName().equals("reluForward")) throw new IllegalStateException("relu kernel failed");
                try {
                    return m.invoke(cpu, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            });
            List<ParityChecks.Result> results = ParityChecks.all(broken, 5);
            List<ParityChecks.Result> failed = results.stream().filter(r -> !r.passed()).toList();
            assertTrue(failed.stream().anyMatch(r -> r.op().equals("relu") && r.tensor().contains("relu kernel failed")), failed.toString());
            assertTrue(results.stream().anyMatch(r -> r.op().equals("adam") && r.passed()), "the checks after relu still ran");
        }
    }

    @Test
    void errorsAreScaledAndNanFails() {
        assertEquals(0.5, ParityChecks.error(new float[]{2, 0}, new float[]{1, 0}), 1e-6);
        ParityChecks.Result nan = new ParityChecks.Result("op", "t", ParityChecks.error(new float[]{1}, new float[]{Float.NaN}), 1);
        assertTrue(!nan.passed());
    }
}
