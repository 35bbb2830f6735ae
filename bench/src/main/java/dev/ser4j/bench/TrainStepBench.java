package dev.ser4j.bench;

import dev.ser4j.backend.AdamHyper;
import dev.ser4j.core.ModelConfig;
import dev.ser4j.core.Variant;
import dev.ser4j.cpu.CpuBackend;
import dev.ser4j.model.Batch;
import dev.ser4j.model.MscnnSpuAtt;
import dev.ser4j.perf.Workloads;
import org.openjdk.jmh.annotations.*;

import java.util.concurrent.TimeUnit;

/**
 * One training step of the full model (x-vector, vocabulary 4000, trainable embedding) on the CPU: forward with
 * dropout 0.3, backward, clipped Adam. Batch 64, audio lengths uniform in [400, 500] frames, text in [10, 20] tokens.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 4)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx8g"})
public class TrainStepBench {
    MscnnSpuAtt model;
    Batch batch;
    long step;

    @Setup
    public void setup() {
        ModelConfig cfg = ModelConfig.of(Variant.MSCNN_SPU_ATT, 4000, true);
        model = new MscnnSpuAtt(cfg, new CpuBackend());
        model.initialize(1);
        batch = Workloads.uniformBatch(cfg, 64, 400, 500, 10, 20, 7);
    }

    @Benchmark
    public double trainStep() {
        model.zeroGrad();
        double loss = model.forward(batch, 0.3f, step++);
        model.backward();
        model.adamStep(AdamHyper.paper());
        return loss;
    }
}
