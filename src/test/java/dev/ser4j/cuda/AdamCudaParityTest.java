package dev.ser4j.cuda;

import dev.ser4j.check.ParityChecks;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The squared-norm reduction and the Adam update with the clip factor read on the device, CPU vs CUDA. Skipped with the reason where no GPU is usable. */
@Tag("cuda")
class AdamCudaParityTest {
    @Test
    void squaredNormAndUpdateMatchTheCpu() {
        CudaParity.run(ParityChecks::adam);
    }
}
