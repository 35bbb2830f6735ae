package dev.ser4j.cuda;

import dev.ser4j.bindings.cudnn.Cudnn;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** How the cuDNN algorithm is picked from cudnnFind*'s perf results (fabricated here: no cuDNN on this machine). */
class ConvPlansChooseTest {
    private static final StructLayout L = Cudnn.cudnnConvolutionBwdFilterAlgoPerf_t;

    /** rows of {algo, status, determinism, mathType}, fastest first as cuDNN returns them. */
    private static MemorySegment perf(Arena a, int[][] rows) {
        MemorySegment s = a.allocate(L, rows.length);
        for (int i = 0; i < rows.length; i++) {
            MemorySegment e = s.asSlice(i * L.byteSize(), L.byteSize());
            e.set(JAVA_INT, 0, rows[i][0]);
            e.set(JAVA_INT, 4, rows[i][1]);
            e.set(JAVA_FLOAT, 8, i + 1f);
            e.set(JAVA_LONG, 16, 1024L * i);
            e.set(JAVA_INT, 24, rows[i][2]);
            e.set(JAVA_INT, 28, rows[i][3]);
        }
        return s;
    }

    @Test
    void picksTheFastestSuccessfulDeterministicAlgorithmWithoutTensorOps() {
        ConvPlans plans = new ConvPlans(null, MemorySegment.NULL, false);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = perf(a, new int[][]{
                    {5, Cudnn.CUDNN_STATUS_NOT_SUPPORTED, 1, 3},   // failed
                    {4, 0, 1, Cudnn.CUDNN_TENSOR_OP_MATH},          // TF32: not allowed
                    {0, 0, Cudnn.CUDNN_NON_DETERMINISTIC, 3},       // fastest usable, but not deterministic
                    {1, 0, Cudnn.CUDNN_DETERMINISTIC, 3},
                    {3, 0, Cudnn.CUDNN_DETERMINISTIC, 3}});
            assertEquals(1, plans.choose(p, L, 5, true, "backward filter"));
            assertEquals(0, plans.choose(p, L, 5, false, "forward"));
            assertEquals(0, plans.choose(p, L, 3, true, "backward filter"), "no deterministic one among the returned: the fastest");
        }
    }

    @Test
    void tensorOpsAreTakenOnlyWhenTf32IsAllowed() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = perf(a, new int[][]{{4, 0, 1, Cudnn.CUDNN_TENSOR_OP_MATH}, {1, 0, 1, Cudnn.CUDNN_FMA_MATH}});
            assertEquals(4, new ConvPlans(null, MemorySegment.NULL, true).choose(p, L, 2, true, "x"));
            assertEquals(1, new ConvPlans(null, MemorySegment.NULL, false).choose(p, L, 2, true, "x"));
        }
    }

    @Test
    void noUsableAlgorithmIsAnError() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = perf(a, new int[][]{{0, Cudnn.CUDNN_STATUS_NOT_SUPPORTED, 1, 3}});
            assertThrows(IllegalStateException.class, () -> new ConvPlans(null, MemorySegment.NULL, false).choose(p, L, 1, true, "x"));
        }
    }
}
