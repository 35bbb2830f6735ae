package dev.ser4j.cuda;

import dev.ser4j.check.ParityChecks;
import org.junit.jupiter.api.Assumptions;

import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The parity suite's harness: a {@link CudaBackend} when CUDA is usable, else the test is skipped with the reason
 * (JUnit reports it); the checks themselves are {@link ParityChecks}, shared with {@code ./ser4j gpu-check}.
 */
final class CudaParity {
    private CudaParity() {}

    static void run(BiFunction<CudaBackend, Long, List<ParityChecks.Result>> check) {
        CudaRuntime.Probe p = CudaRuntime.probe();
        Assumptions.assumeTrue(p.usable(), () -> "CUDA is not usable here: " + p.whyUnusable().orElse(""));
        try (CudaBackend gpu = new CudaBackend(CudaBackend.Options.defaults())) {
            for (long seed : new long[]{1, 2, 3}) {
                List<ParityChecks.Result> results = check.apply(gpu, seed);
                assertFalse(results.isEmpty(), "no comparison made");
                List<ParityChecks.Result> failed = results.stream().filter(r -> !r.passed()).toList();
                assertTrue(failed.isEmpty(), () -> "seed " + seed + ":\n" + failed.stream().map(Object::toString).collect(Collectors.joining("\n")));
            }
        }
    }
}
