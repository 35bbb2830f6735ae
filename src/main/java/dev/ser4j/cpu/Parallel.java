package dev.ser4j.cpu;

import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Data-parallel loops of the CPU backend. Each index is one independent piece of work (an utterance, a block
 * of columns) whose result does not depend on which thread runs it, so results are deterministic.
 */
public final class Parallel {
    private Parallel() {}

    public static void forEach(int n, IntConsumer body) {
        if (n <= 1) {
            if (n == 1) body.accept(0);
            return;
        }
        IntStream.range(0, n).parallel().forEach(body);
    }
}
