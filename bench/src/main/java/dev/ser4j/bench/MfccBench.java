package dev.ser4j.bench;

import dev.ser4j.audio.Mfcc;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * mfcc: 96 features of one 4.5 s utterance (72,000 samples at 16 kHz, 451 frames) on one thread, one reused
 * extractor. The score in operations per second is utterances per second (issue 6's target: at least 2,200,
 * ten times librosa's 220). Run: {@code ./ser4j jmh MfccBench}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class MfccBench {
    float[] utterance;
    Mfcc mfcc;

    @Setup
    public void setUp() {
        utterance = speechLike(72_000, 7);
        mfcc = new Mfcc();
    }

    @Benchmark
    public float[] features() {
        return mfcc.features("bench", utterance);
    }

    /**
     * A deterministic stand-in for speech: a glottal-like harmonic series on a gliding 100-180 Hz pitch, switched
     * on and off in 250 ms syllables, plus low-level noise, so frames span the whole dynamic range.
     */
    static float[] speechLike(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n];
        double phase = 0;
        for (int i = 0; i < n; i++) {
            double t = i / 16000.0;
            double f0 = 140 + 40 * Math.sin(2 * Math.PI * 0.7 * t);
            phase += 2 * Math.PI * f0 / 16000.0;
            double voiced = 0;
            for (int h = 1; h <= 20; h++) voiced += Math.sin(h * phase) / h;
            double envelope = Math.max(0, Math.sin(2 * Math.PI * 2 * t));
            x[i] = (float) (0.1 * envelope * voiced + 0.003 * r.nextGaussian());
        }
        return x;
    }
}
