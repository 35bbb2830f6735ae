package dev.ser4j.synth;

import dev.ser4j.audio.Resampler;
import dev.ser4j.audio.Wav;
import dev.ser4j.core.InputException;
import dev.ser4j.io.AtomicFiles;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Writes the synthetic emotional speech corpus of docs/corpus.md:
 * <pre>
 *   ROOT/wav/SPEAKER/ID.wav   16 kHz mono 16-bit PCM, one per utterance
 *   ROOT/meta.tsv             every drawn parameter per utterance (A6's columns)
 *   ROOT/manifest.tsv         id, speaker, emotion, transcript, path (header line, tab-separated, UTF-8)
 * </pre>
 * Utterance i depends only on (seed, i) ({@link SynthUtterance#draw}), so a corpus is byte-identical for a seed
 * whatever the number of workers, and its first k utterances are the corpus of size k. Every WAV is written
 * atomically and the manifest last, after an old one is deleted first: a run that is interrupted or fails leaves
 * no manifest, never one that names a missing or partial file.
 */
public final class CorpusGenerator {
    private CorpusGenerator() {}

    /** What a run produced. */
    public record Summary(int utterances, double audioSeconds, String espeakVersion, Path manifest) {}

    /** Called after each utterance is written, from the worker threads. */
    @FunctionalInterface
    public interface Progress {
        void utteranceDone();
    }

    /**
     * Generates utterances 0 .. size-1 of the corpus with {@code seed} into {@code root}.
     *
     * @throws InputException if espeak-ng is missing (the message says how to install it) or {@code size} is
     *                        out of range
     */
    public static Summary generate(Path root, int size, long seed, int workers, Progress progress) throws IOException {
        if (size < 1 || size > CorpusSpec.MAX_SIZE)
            throw new InputException("--size", size + " is not between 1 and " + CorpusSpec.MAX_SIZE);
        if (workers < 1) throw new InputException("--workers", workers + " is not a positive number of threads");
        String version = Espeak.version();
        Files.createDirectories(root);
        Path manifest = root.resolve("manifest.tsv"), meta = root.resolve("meta.tsv");
        Files.deleteIfExists(manifest);
        Files.deleteIfExists(meta);
        Path scratch = Files.createTempDirectory("ser4j-synth-");
        Resampler resampler = Resampler.of(Espeak.SAMPLE_RATE, CorpusSpec.SAMPLE_RATE);
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "ser4j-synth");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Integer>> samples = new ArrayList<>(size);
            List<SynthUtterance> utterances = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                SynthUtterance u = SynthUtterance.draw(seed, i);
                utterances.add(u);
                samples.add(pool.submit(() -> {
                    int n = make(u, root, scratch, resampler);
                    progress.utteranceDone();
                    return n;
                }));
            }
            StringBuilder man = new StringBuilder(String.join("\t", SynthUtterance.MANIFEST_COLUMNS)).append('\n');
            StringBuilder met = new StringBuilder(String.join("\t", SynthUtterance.META_COLUMNS)).append('\n');
            long total = 0;
            for (int i = 0; i < size; i++) {
                int n = await(samples.get(i));
                total += n;
                man.append(utterances.get(i).manifestLine()).append('\n');
                met.append(utterances.get(i).metaLine(n / (double) CorpusSpec.SAMPLE_RATE)).append('\n');
            }
            AtomicFiles.writeString(meta, met.toString());
            AtomicFiles.writeString(manifest, man.toString());
            return new Summary(size, total / (double) CorpusSpec.SAMPLE_RATE, version, manifest);
        } finally {
            stop(pool);
            deleteTree(scratch);
        }
    }

    /** Cancels what has not run and waits for the running utterances, so nothing writes after we return. */
    private static void stop(ExecutorService pool) {
        pool.shutdownNow();
        boolean interrupted = false;
        while (true) {
            try {
                if (pool.awaitTermination(1, TimeUnit.MINUTES)) break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    /** Synthesises, resamples, post-processes and writes one utterance; returns its length in samples. */
    private static int make(SynthUtterance u, Path root, Path scratch, Resampler resampler) throws IOException {
        float[] speech = resampler.process(Espeak.synthesize(u, scratch.resolve(u.id() + ".wav")));
        float[] out = PostProcess.render(speech, u);
        Wav.writePcm16(root.resolve(u.path()), out, CorpusSpec.SAMPLE_RATE);
        return out.length;
    }

    /** A worker's result, its failure rethrown as it was (an interruption cancels the whole run). */
    private static int await(Future<Integer> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("corpus generation was interrupted");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) throw io;
            if (c instanceof RuntimeException r) throw r;
            throw new IllegalStateException(c);
        }
    }

    /** Removes the scratch directory; a failure leaves it to the system's temporary-file cleaning. */
    private static void deleteTree(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException | RuntimeException e) {
            System.err.println("ser4j: could not remove the scratch directory " + dir + " (" + e.getMessage() + ")");
        }
    }
}
