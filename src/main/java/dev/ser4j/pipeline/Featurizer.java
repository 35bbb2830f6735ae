package dev.ser4j.pipeline;

import dev.ser4j.audio.Mfcc;
import dev.ser4j.audio.WaveAugment;
import dev.ser4j.core.InputException;
import dev.ser4j.data.Dataset;
import dev.ser4j.data.Utterance;
import dev.ser4j.io.Progress;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * Extracts the features of a whole data set in parallel (one {@link Mfcc} per thread), through the cache, with a
 * progress bar. A file that cannot be read or is too short is reported with its path and skipped, or is fatal in
 * strict mode.
 */
public final class Featurizer {
    private Featurizer() {}

    /**
     * Features per utterance (null where skipped) and of its augmented copies, the problems, how many came from the
     * cache, and the groups of utterances whose audio files are byte-identical (reported, not removed).
     */
    public record Result(float[][] features, List<List<float[]>> copies, List<Dataset.Problem> skipped, int cached, double seconds,
                         List<List<String>> duplicates) {}

    public static Result extract(List<Utterance> utterances, FeatureCache cache, int threads, boolean strict, Progress progress) {
        return extract(utterances, cache, WaveAugment.NONE, threads, strict, progress);
    }

    public static Result extract(List<Utterance> utterances, FeatureCache cache, WaveAugment augment, int threads, boolean strict,
                                 Progress progress) {
        float[][] out = new float[utterances.size()][];
        List<List<float[]>> copies = new ArrayList<>(java.util.Collections.nCopies(utterances.size(), List.of()));
        String[] content = new String[utterances.size()];
        String[] problems = new String[utterances.size()];
        AtomicInteger fromCache = new AtomicInteger();
        ThreadLocal<Mfcc> mfcc = ThreadLocal.withInitial(Mfcc::new);
        long t0 = System.nanoTime();
        try (Progress.Task bar = progress.start("features", utterances.size());
             ForkJoinPool pool = new ForkJoinPool(Math.max(1, threads))) {
            pool.submit(() -> IntStream.range(0, utterances.size()).parallel().forEach(i -> {
                Utterance u = utterances.get(i);
                try {
                    FeatureCache.Entry e = cache.features(u.audio(), mfcc.get(), augment);
                    out[i] = e.features();
                    copies.set(i, e.copies());
                    content[i] = e.content();
                    if (e.cached()) fromCache.incrementAndGet();
                } catch (InputException bad) {
                    problems[i] = bad.getMessage();
                }
                bar.step();
            })).join();
        }
        List<Dataset.Problem> skipped = new ArrayList<>();
        for (int i = 0; i < problems.length; i++) {
            if (problems[i] == null) continue;
            if (strict) throw new InputException(utterances.get(i).audio().toString(), "cannot be used (--strict): " + problems[i]);
            skipped.add(new Dataset.Problem(utterances.get(i).audio().toString(), problems[i]));
        }
        java.util.Map<String, List<String>> byContent = new java.util.LinkedHashMap<>();
        for (int i = 0; i < content.length; i++) if (content[i] != null) byContent.computeIfAbsent(content[i], k -> new ArrayList<>()).add(utterances.get(i).id());
        List<List<String>> duplicates = byContent.values().stream().filter(g -> g.size() > 1).map(List::copyOf).toList();
        return new Result(out, copies, skipped, fromCache.get(), (System.nanoTime() - t0) / 1e9, duplicates);
    }
}
