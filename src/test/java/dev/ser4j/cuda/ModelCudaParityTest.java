package dev.ser4j.cuda;

import dev.ser4j.check.ParityChecks;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Whole-model twins: the same seeded model on the CPU and on CUDA — logits, loss, every gradient, and every weight after 5 Adam steps (dropout on). Skipped with the reason where no GPU is usable. */
@Tag("cuda")
class ModelCudaParityTest {
    @Test
    void logitsLossGradientsAndWeightsAfterFiveAdamStepsMatchTheCpu() {
        CudaParity.run(ParityChecks::model);
    }

    @Test
    void everyVariantTheAblationsAFrozenEmbeddingAndThePaperSizesMatchTheCpu() {
        CudaParity.run(ParityChecks::models);
    }
}
