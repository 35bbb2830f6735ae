package dev.ser4j.pipeline;

import dev.ser4j.audio.Mfcc;
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

    /** Features per utterance (null where skipped), the problems, and how many came from the cache. */
    public record Result(float[][] features, List<Dataset.Problem> skipped, int cached, double seconds) {}

    public static Result extract(List<Utterance> utterances, FeatureCache cache, int threads, boolean strict, Progress progress) {
        float[][] out = new float[utterances.size()][];
        String[] problems = new String[utterances.size()];
        AtomicInteger fromCache = new AtomicInteger();
        ThreadLocal<Mfcc> mfcc = ThreadLocal.withInitial(Mfcc::new);
        long t0 = System.nanoTime();
        try (Progress.Task bar = progress.start("features", utterances.size());
             ForkJoinPool pool = new ForkJoinPool(Math.max(1, threads))) {
            pool.submit(() -> IntStream.range(0, utterances.size()).parallel().forEach(i -> {
                Utterance u = utterances.get(i);
                try {
                    FeatureCache.Entry e = cache.features(u.audio(), mfcc.get());
                    out[i] = e.features();
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
        return new Result(out, skipped, fromCache.get(), (System.nanoTime() - t0) / 1e9);
    }
}
