package dev.ser4j.bench;

import dev.ser4j.audio.Resampler;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * resample: one second of audio from {@code inRate} to 16 kHz on one thread (espeak-ng's 22050 Hz output in the
 * corpus generator, CD-rate files in {@code features}, 48 kHz recordings such as RAVDESS's: the integer decimation,
 * on the Vector API when the JVM has it, {@code -jvmArgsAppend --add-modules=jdk.incubator.vector}). Score: seconds of
 * audio per second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ResamplerBench {
    @Param({"22050", "44100", "48000"})
    int inRate;

    float[] second;
    Resampler resampler;

    @Setup
    public void setUp() {
        second = MfccBench.speechLike(inRate, 3);
        resampler = Resampler.of(inRate, 16_000);
    }

    @Benchmark
    public float[] oneSecond() {
        return resampler.process(second);
    }
}
