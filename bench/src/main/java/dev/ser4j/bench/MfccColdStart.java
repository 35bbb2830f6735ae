package dev.ser4j.bench;

import dev.ser4j.audio.Mfcc;

import java.util.SplittableRandom;

/**
 * The MFCC in a fresh JVM: milliseconds until the 1st, 10th, 100th and 1,000th 2.75 s utterance is done on one thread,
 * the cost of JIT warm-up that a steady-state benchmark leaves out (why the Vector API path is opt-in). Run it once
 * per path, each in a new JVM:
 * {@code java -cp "bench/target/ser4j-bench.jar:bench/target/lib/*" dev.ser4j.bench.MfccColdStart} (scalar), and the same with
 * {@code --add-modules jdk.incubator.vector} (Vector API).
 */
public final class MfccColdStart {
    public static void main(String[] args) {
        float[] x = new float[44_000];                                  // 2.75 s, the default corpus's mean length
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < x.length; i++) x[i] = (float) (0.3 * Math.sin(i * 0.05) + 0.05 * r.nextGaussian());
        long t0 = System.nanoTime();
        Mfcc m = new Mfcc();
        double sink = 0;
        for (int i = 1; i <= 1000; i++) {
            sink += m.features("cold", x)[3];
            if (i == 1 || i == 10 || i == 100 || i == 1000)
                System.out.printf("%-5d utterances: %6.0f ms%n", i, (System.nanoTime() - t0) / 1e6);
        }
        System.out.println("MFCC code: " + Mfcc.implementation() + " (checksum " + sink + ")");
    }
}
