package dev.ser4j.train;

import dev.ser4j.backend.Backend;
import dev.ser4j.core.ModelConfig;
import dev.ser4j.model.Batcher;
import dev.ser4j.model.Example;
import dev.ser4j.model.FeatureNormalizer;
import dev.ser4j.model.MscnnSpuAtt;
import dev.ser4j.model.ParamLayout;
import dev.ser4j.model.TrainedModel;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The paper's protocol: every fold, {@code repeats} runs with different seeds; each run trains on the fold's
 * training part (features normalised with that part's statistics), picks its epoch on the dev part and is scored
 * on the test part. The best run of each fold (by dev UA) is kept as a checkpoint.
 */
public final class CrossValidation {
    private CrossValidation() {}

    /**
     * @param config         the model
     * @param folds          speaker, session or random
     * @param repeats        runs per fold, seeds {@code seed, seed+1, ...}
     * @param maxFolds       run only the first this many folds (0 = all)
     * @param embedding      initial word embedding [V, D] (e.g. from GloVe), or null for the seeded random one
     * @param frozen         keep the embedding fixed
     * @param checkpointMeta extra metadata for the saved checkpoints (vocabulary, data set, ...)
     */
    public record Settings(ModelConfig config, String folds, int repeats, int maxFolds, Trainer.Config train,
                           float[] embedding, boolean frozen, Map<String, String> checkpointMeta) {}

    /** The result of one run of one fold. */
    public record Run(String fold, int run, long seed, Metrics test, Trainer.Result training, double seconds, int trainSize,
                      int devSize) {}

    /**
     * Runs every fold and repeat, writing into {@code outDir}: a finished run's result in {@code runs/}, the state of
     * the run in progress in {@code state/} (removed when it finishes), the best checkpoint per fold in
     * {@code checkpoints/}. Runs already finished in {@code outDir} are read back, not repeated, and a run in
     * progress continues from its state: a killed cross-validation resumes where it stopped.
     */
    public static List<Run> run(List<Example> data, Settings s, Backend backend, Path outDir, PrintStream log)
            throws IOException {
        return run(data, s, backend, outDir, log, new java.util.concurrent.atomic.AtomicBoolean());
    }

    public static List<Run> run(List<Example> data, Settings s, Backend backend, Path outDir, PrintStream log,
                                java.util.concurrent.atomic.AtomicBoolean stop) throws IOException {
        List<Folds.Fold> folds = Folds.make(s.folds, data, s.train.seed());
        if (s.maxFolds > 0 && s.maxFolds < folds.size()) folds = folds.subList(0, s.maxFolds);
        List<Run> runs = new ArrayList<>();
        Path checkpoints = outDir.resolve("checkpoints"), results = outDir.resolve("runs"), states = outDir.resolve("state");
        Files.createDirectories(checkpoints);
        Files.createDirectories(results);
        Files.createDirectories(states);
        for (int f = 0; f < folds.size(); f++) {
            Folds.Fold fold = folds.get(f);
            List<Example> train = pick(data, fold.train()), dev = pick(data, fold.dev()), test = pick(data, fold.test());
            FeatureNormalizer norm = s.config.variant().audio ? FeatureNormalizer.fit(train) : FeatureNormalizer.identity(s.config.audioDim());
            Batcher batcher = new Batcher(s.config, norm);
            double bestDev = Double.NEGATIVE_INFINITY;
            for (int r = 0; r < s.repeats; r++) {
                long seed = s.train.seed() + r;
                String key = fileName(fold.name()) + "-run" + (r + 1);
                Path done = results.resolve(key + ".json");
                if (Files.exists(done)) {
                    Run old = RunFiles.read(done);
                    runs.add(old);
                    bestDev = Math.max(bestDev, old.training().bestDevUa());
                    if (log != null) log.printf("%s: fold %d/%d (%s), run %d/%d already done: test WA %.1f%%  UA %.1f%%%n",
                            s.config.variant().paperName, f + 1, folds.size(), fold.name(), r + 1, s.repeats, 100 * old.test().wa(), 100 * old.test().ua());
                    continue;
                }
                if (log != null)
                    log.printf("%s: fold %d/%d (%s; train %d, dev %d, test %d), run %d/%d, seed %d%n", s.config.variant().paperName,
                            f + 1, folds.size(), fold.name(), train.size(), dev.size(), test.size(), r + 1, s.repeats, seed);
                long t0 = System.nanoTime();
                try (MscnnSpuAtt model = new MscnnSpuAtt(s.config, backend)) {
                    model.initialize(seed);
                    if (s.embedding != null) model.setParameter(ParamLayout.EMBEDDING, s.embedding);
                    model.freezeEmbedding(s.frozen);
                    Path state = states.resolve(key + ".safetensors");
                    Trainer.Result res = Trainer.train(model, batcher, train, dev, s.train.withSeed(seed), log, new TrainState.Store(state, stop));
                    Metrics m = Predictor.evaluate(model, batcher, test, s.train.batchSize());
                    double secs = (System.nanoTime() - t0) / 1e9;
                    Run run = new Run(fold.name(), r + 1, seed, m, res, secs, train.size(), dev.size());
                    runs.add(run);
                    if (log != null)
                        log.printf("  test WA %.1f%%  UA %.1f%%  (best epoch %d, %s, %.0f s)%n", 100 * m.wa(), 100 * m.ua(),
                                res.bestEpoch(), res.stopReason(), secs);
                    if (res.bestDevUa() > bestDev) {
                        bestDev = res.bestDevUa();
                        TrainedModel.save(model, norm, s.checkpointMeta, Map.of("fold", fold.name(), "seed", Long.toString(seed)),
                                checkpoints.resolve(fileName(fold.name()) + ".safetensors"));
                    }
                    RunFiles.write(run, done);         // the result first, then the state it supersedes
                    Files.deleteIfExists(state);
                }
            }
        }
        return runs;
    }

    static String fileName(String foldName) {
        return foldName.replaceAll("[^A-Za-z0-9._-]+", "-");
    }

    static List<Example> pick(List<Example> data, List<Integer> idx) {
        List<Example> out = new ArrayList<>(idx.size());
        for (int i : idx) out.add(data.get(i));
        return out;
    }
}
