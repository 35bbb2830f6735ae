package dev.ser4j.cuda;

import dev.ser4j.check.ParityChecks;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** kernels/statpool.cu (or the library call) vs the CPU op, forward and backward, random inputs, lengths 1 and (text) 0 included. Skipped with the reason where no GPU is usable. */
@Tag("cuda")
class StatPoolCudaParityTest {
    @Test
    void forwardAndBackwardMatchTheCpu() {
        CudaParity.run(ParityChecks::statPool);
    }
}
