package dev.ser4j.bench;

import dev.ser4j.text.Vocabulary;
import dev.ser4j.text.WordVectors;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Reading a GloVe-like text file (300-d, numbers written as GloVe writes them, a 10,000-word vocabulary of which
 * a tenth is cased in the file) in one pass on one thread. Throughput in MB/s = file size / time; the file size
 * is printed by the setup. glove.840B.300d is 5.6 GB in 2.2 million lines; this file has {@code lines} lines.
 *
 * <pre>./ser4j jmh WordVectorsBench</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgs = {"-Xmx2g"})
public class WordVectorsBench {
    @Param({"200000"})
    int lines;

    Path file;
    List<String> vocabulary;

    @Setup(Level.Trial)
    public void writeFile() throws IOException {
        file = Files.createTempFile("glove-bench", ".txt");
        vocabulary = new ArrayList<>();
        SplittableRandom rng = new SplittableRandom(7);
        try (BufferedWriter w = Files.newBufferedWriter(file)) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < lines; i++) {
                sb.setLength(0);
                String word = (i % 10 == 5 ? "Word" : "word") + i;
                if (i % (lines / 10_000) == 0) vocabulary.add(word.toLowerCase());
                sb.append(word);
                for (int d = 0; d < 300; d++) {
                    // GloVe's own style: up to 6 significant digits, some in exponent notation
                    double v = rng.nextGaussian() * 0.4;
                    sb.append(' ').append(d % 50 == 0 ? String.format("%.4e", v * 1e-3) : String.format("%.5f", v));
                }
                w.append(sb).append('\n');
            }
        }
        System.out.printf("%nWordVectorsBench: %s, %d lines, %.1f MB, %d vocabulary words%n", file, lines,
                Files.size(file) / 1e6, vocabulary.size());
    }

    @TearDown(Level.Trial)
    public void deleteFile() throws IOException {
        Files.deleteIfExists(file);
    }

    @Benchmark
    public WordVectors readGlove() {
        return WordVectors.read(file, vocabulary, 300);
    }
}
