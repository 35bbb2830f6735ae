package dev.ser4j.train;

import dev.ser4j.backend.Backend;
import dev.ser4j.core.ModelConfig;
import dev.ser4j.data.FoldPlan;
import dev.ser4j.model.Example;
import dev.ser4j.model.TrainedModel;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The paper's protocol: every fold, {@code repeats} runs with different seeds; each run trains on the fold's
 * training part (features normalised with that part's statistics), picks its epoch on the dev part and is scored
 * on the test part. The best run of each fold (by dev UA) is kept as a checkpoint.
 */
public final class CrossValidation {
    private CrossValidation() {}

    /**
     * @param recipe         the model and how each run trains it; runs use seeds {@code seed, seed+1, ...}
     * @param folds          speaker, session, random, emobox or the file of {@code --folds FILE}
     * @param plan           the fold plan of emobox or a file, else null
     * @param repeats        runs per fold
     * @param maxFolds       run only the first this many folds (0 = all)
     * @param checkpointMeta extra metadata for the saved checkpoints (vocabulary, data set, ...)
     */
    public record Settings(TrainingRun.Recipe recipe, String folds, FoldPlan plan, int repeats, int maxFolds, Map<String, String> checkpointMeta) {
        public ModelConfig config() { return recipe.config(); }

        public Trainer.Config train() { return recipe.training(); }

        /** The same protocol for another model (the rows of an experiment). */
        public Settings withConfig(ModelConfig c) {
            return new Settings(new TrainingRun.Recipe(c, recipe.training(), recipe.embedding(), recipe.frozen()), folds, plan, repeats,
                    maxFolds, checkpointMeta);
        }
    }

    /** The result of one run of one fold. */
    public record Run(String fold, int run, long seed, Metrics test, Trainer.Result training, double seconds, int trainSize,
                      int devSize) {}

    /**
     * How the (fold, run)s of a cross-validation are carried out: {@link #run}, one after another in this JVM, or as
     * tasks of a cluster (ser4j-spark); either way into {@code outDir}'s layout ({@code runs/}, {@code checkpoints/})
     * with the same results.
     */
    @FunctionalInterface
    public interface Runs {
        /** Every fold and repeat of {@code s} on {@code data}, in fold order and then run order. */
        List<Run> run(List<Example> data, Settings s, Backend backend, Path outDir, PrintStream log, AtomicBoolean stop) throws IOException;
    }

    /** The folds a cross-validation runs: the scheme's folds, the first {@code maxFolds} when that is set. */
    public static List<Folds.Fold> folds(List<Example> data, Settings s) {
        List<Folds.Fold> folds = allFolds(data, s);
        return s.maxFolds > 0 && s.maxFolds < folds.size() ? folds.subList(0, s.maxFolds) : folds;
    }

    /** Every fold of the protocol on {@code data}, in order, {@code maxFolds} or not. */
    public static List<Folds.Fold> allFolds(List<Example> data, Settings s) {
        return Folds.make(s.folds, data, s.train().seed(), s.plan);
    }

    /** Where a finished run's result, a run's saved state and a fold's best checkpoint live in a run directory. */
    public static final String RUNS = "runs", STATES = "state", CHECKPOINTS = "checkpoints";

    /** The file-name stem of run {@code run} (1-based) of {@code fold}: {@code session-3-run2}. */
    public static String key(Folds.Fold fold, int run) {
        return fileName(fold.name()) + "-run" + run;
    }

    /** The best checkpoint of {@code fold} in the run directory {@code outDir}. */
    public static Path checkpoint(Path outDir, Folds.Fold fold) {
        return outDir.resolve(CHECKPOINTS).resolve(fileName(fold.name()) + ".safetensors");
    }

    /**
     * One run of one fold, trained and scored, with the model it trained (a candidate for the fold's checkpoint).
     *
     * @param checkpoint the trained model with {@code checkpointMeta}, its fold and its seed in the metadata
     */
    public record Trained(Run run, TrainedModel checkpoint) {}

    /**
     * Trains and scores run {@code run} (1-based; seed {@code seed + run - 1}) of {@code fold} alone: what
     * {@link #run} does for each (fold, run), and what a cluster's task does for one. With a {@code store} the
     * training state is saved every epoch and a saved one is resumed from.
     */
    public static Trained runOne(List<Example> data, Settings s, Folds.Fold fold, int run, Backend backend, TrainState.Store store,
                                 PrintStream log) throws IOException {
        long seed = s.train().seed() + run - 1;
        List<Example> train = Folds.select(data, fold.train()), dev = Folds.select(data, fold.dev()), test = Folds.select(data, fold.test());
        long t0 = System.nanoTime();
        TrainingRun.Recipe recipe = s.recipe.withTraining(s.train().withSeed(seed));
        try (TrainingRun.Outcome trained = TrainingRun.run(recipe, train, dev, backend, store, log)) {
            Trainer.Result res = trained.result();
            Metrics m = trained.evaluate(test);
            double secs = (System.nanoTime() - t0) / 1e9;
            TrainedModel model = trained.trained(s.checkpointMeta).withMetadata(Map.of("fold", fold.name(), "seed", Long.toString(seed)));
            return new Trained(new Run(fold.name(), run, seed, m, res, secs, train.size(), dev.size()), model);
        }
    }

    /**
     * Runs every fold and repeat, writing into {@code outDir}: a finished run's result in {@code runs/}, the state of
     * the run in progress in {@code state/} (removed when it finishes, and the folder when every run has), the best
     * checkpoint per fold in {@code checkpoints/}. Runs already finished in {@code outDir} are read back, not repeated, and a run in
     * progress continues from its state: a killed cross-validation resumes where it stopped.
     */
    public static List<Run> run(List<Example> data, Settings s, Backend backend, Path outDir, PrintStream log)
            throws IOException {
        return run(data, s, backend, outDir, log, new AtomicBoolean());
    }

    public static List<Run> run(List<Example> data, Settings s, Backend backend, Path outDir, PrintStream log,
                                AtomicBoolean stop) throws IOException {
        List<Folds.Fold> folds = folds(data, s);
        List<Run> runs = new ArrayList<>();
        Path results = outDir.resolve(RUNS), states = outDir.resolve(STATES);
        Files.createDirectories(outDir.resolve(CHECKPOINTS));
        Files.createDirectories(results);
        Files.createDirectories(states);
        for (int f = 0; f < folds.size(); f++) {
            Folds.Fold fold = folds.get(f);
            double bestDev = Double.NEGATIVE_INFINITY;
            String method = s.config().variant().paperName;
            for (int r = 0; r < s.repeats; r++) {
                long seed = s.train().seed() + r;
                String key = key(fold, r + 1);
                Path done = results.resolve(key + ".json");
                if (Files.exists(done)) {
                    Run old = RunFiles.read(done);
                    runs.add(old);
                    bestDev = Math.max(bestDev, old.training().bestScore());
                    if (log != null) log.printf("%s: fold %d/%d (%s), run %d/%d already done: test WA %.1f%%  UA %.1f%%%n",
                            method, f + 1, folds.size(), fold.name(), r + 1, s.repeats, 100 * old.test().wa(), 100 * old.test().ua());
                    continue;
                }
                if (log != null)
                    log.printf("%s: fold %d/%d (%s; train %d, dev %d, test %d), run %d/%d, seed %d%n", method,
                            f + 1, folds.size(), fold.name(), fold.train().size(), fold.dev().size(), fold.test().size(), r + 1, s.repeats, seed);
                Path state = states.resolve(key + ".safetensors");
                Trained trained = runOne(data, s, fold, r + 1, backend, new TrainState.Store(state, stop), log);
                Run run = trained.run();
                runs.add(run);
                if (log != null)
                    log.printf("  test WA %.1f%%  UA %.1f%%  (best epoch %d, %s, %.0f s)%n", 100 * run.test().wa(), 100 * run.test().ua(),
                            run.training().bestEpoch(), run.training().stopReason(), run.seconds());
                if (run.training().bestScore() > bestDev) {
                    bestDev = run.training().bestScore();
                    trained.checkpoint().write(checkpoint(outDir, fold));
                }
                RunFiles.write(run, done);         // the result first, then the state it supersedes
                Files.deleteIfExists(state);
            }
        }
        try (var left = Files.list(states)) {
            if (left.findAny().isEmpty()) Files.delete(states);    // every run finished: no state to keep
        }
        return runs;
    }


    /**
     * {@link #run} and the report: {@code report.json} (with {@code dataInfo}, the backend and the protocol as its
     * context), {@code report.md} and the figures, in {@code dir}. The report's recipe is the training's augmentation
     * and, from {@code dataInfo}, the recipe's name ({@code recipe}) and its data-side ingredients
     * ({@code trim_silence}, {@code speaker_norm}, {@code wave_augment}) where given.
     */
    public static Report.Summary crossValidate(List<Example> data, Settings s, Backend backend, Path dir, Map<String, Object> dataInfo,
                                               Report.Figures figures, PrintStream log, AtomicBoolean stop) throws IOException {
        return crossValidate(data, s, CrossValidation::run, backend, dir, dataInfo, figures, log, stop);
    }

    /** {@link #crossValidate} with the runs carried out by {@code runner} (a cluster's, or {@link #run}). */
    public static Report.Summary crossValidate(List<Example> data, Settings s, Runs runner, Backend backend, Path dir,
                                               Map<String, Object> dataInfo, Report.Figures figures, PrintStream log,
                                               AtomicBoolean stop) throws IOException {
        long t0 = System.nanoTime();
        List<Run> runs = runner.run(data, s, backend, dir, log, stop);
        Trainer.Config tc = s.train();
        int total = allFolds(data, s).size();
        Report.Protocol protocol = new Report.Protocol(s.folds(), s.maxFolds() > 0 ? Math.min(s.maxFolds(), total) : total, total, s.repeats(),
                tc.maxEpochs(), tc.patience(), String.valueOf(dataInfo.getOrDefault("dataset", "unnamed")), recipe(dataInfo, s));
        Map<String, Object> context = new LinkedHashMap<>(dataInfo);
        context.put("backend", backend.name());
        context.put("max_epochs", tc.maxEpochs());
        context.put("patience", tc.patience());
        context.put("batch_size", tc.batchSize());
        context.put("lr", tc.adam().lr());
        context.put("clip", tc.adam().clipNorm());
        context.put("seed", tc.seed());
        context.put("freeze_embeddings", s.recipe().frozen());
        context.put("max_folds", s.maxFolds());
        return Report.write(dir, s.config(), protocol, context, runs, (System.nanoTime() - t0) / 1e9, figures);
    }

    /** The recipe as the report names it: its name, the data-side ingredients of {@code dataInfo}, the training's augmentation. */
    static Map<String, Object> recipe(Map<String, Object> dataInfo, Settings s) {
        Map<String, Object> r = new LinkedHashMap<>();
        Object name = dataInfo.getOrDefault("recipe", s.checkpointMeta().get("recipe"));
        if (name != null) r.put("name", name);
        for (String k : List.of("trim_silence", "speaker_norm", "wave_augment")) if (dataInfo.containsKey(k)) r.put(k, dataInfo.get(k));
        Augmentation a = s.train().augment();
        r.put("balance", a.balance());
        r.put("spec_augment", a.timeMasks() + "x" + a.maxTime() + "," + a.featureMasks() + "x" + a.maxFeatures());
        r.put("word_dropout", a.wordDropout());
        r.put("modality_dropout", a.textDropout() + "," + a.audioDropout());
        r.put("audio_only_pass", a.audioOnlyPass());
        r.put("freeze_embeddings", s.recipe().frozen());
        return r;
    }

    static String fileName(String foldName) {
        return foldName.replaceAll("[^A-Za-z0-9._-]+", "-");
    }
}
