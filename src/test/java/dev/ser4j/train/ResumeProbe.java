package dev.ser4j.train;

import dev.ser4j.core.ModelConfig;
import dev.ser4j.core.Variant;
import dev.ser4j.cpu.CpuBackend;
import dev.ser4j.io.Progress;
import dev.ser4j.model.Example;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A small cross-validation (weights averaged, so that the average is resumed too) in its own process, for {@link KillAndResumeTest} to kill and resume. */
public final class ResumeProbe {
    static final ModelConfig CFG = ModelConfig.of(Variant.MSCNN_SPU_ATT, 30, true).withSizes(16, 12, 4, 16, 32);

    public static void main(String[] args) throws Exception {
        run(Path.of(args[0]));
    }

    /**
     * 5 ms per training step (8 steps an epoch, 20 epochs: at least 0.8 s a run), so that the killing test, however
     * late its thread wakes on a busy machine, finds the second run still training; the steps' numbers are untouched.
     */
    static final Progress SLOW = (name, total) -> () -> {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    };

    static List<CrossValidation.Run> run(Path dir) throws Exception {
        List<Example> data = Examples.make(6, 60, 16, 30, true, 9);
        CrossValidation.Settings s = new CrossValidation.Settings(new TrainingRun.Recipe(CFG,
                Trainer.Config.paper(4).withEpochs(20, 20).withBatchSize(16).withAverage(0.5f).withProgress(SLOW), null, false), "session", null,
                1, 2, Map.of());
        return CrossValidation.run(data, s, new CpuBackend(), dir, System.out);
    }
}
