package dev.ser4j.spark;

import dev.ser4j.backend.Backend;
import dev.ser4j.io.AtomicFiles;
import dev.ser4j.model.Example;
import dev.ser4j.runtime.Backends;
import dev.ser4j.train.CrossValidation;
import dev.ser4j.train.Folds;
import dev.ser4j.train.RunFiles;
import dev.ser4j.train.TrainState;
import dev.ser4j.train.Trainer;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A cross-validation whose (fold, run)s are Spark tasks: the same runs, checkpoints and report as
 * {@link CrossValidation#run} for the same data and seeds (training is deterministic on the CPU), in the same run
 * directory layout, so a local {@code cv} and a {@code spark cv} of the same settings give the same report.
 *
 * <p>The examples (features, tokens, speaker embeddings, augmented copies), prepared once on the driver, are
 * broadcast: each executor JVM receives them once, whatever the number of its tasks. Each pending (fold, run) is
 * one job of one task ({@link CrossValidation#runOne}); the jobs are submitted together, in fold and run order, and
 * run as task slots free up. Each task returns its result and its trained model; the driver takes them in fold and
 * run order, as {@link CrossValidation#run} does, so that the fold's checkpoint is the first run with the best dev
 * UA, and writes each result into {@code runs/} as it comes: a killed {@code spark cv} resumes without repeating a
 * finished run. A task saves its training state every epoch into {@code state/} when the run directory is on a file
 * system the executors see (local mode, a shared mount), so a killed run then continues from its last epoch;
 * elsewhere it starts again from its first epoch, with the same result.
 */
public final class SparkCrossValidation implements CrossValidation.Runs {
    private final SparkSession spark;

    /**
     * @param spark the session whose executors train
     */
    public SparkCrossValidation(SparkSession spark) {
        this.spark = spark;
    }

    @Override
    public List<CrossValidation.Run> run(List<Example> data, CrossValidation.Settings s, Backend backend, Path outDir, PrintStream log,
                                         AtomicBoolean stop) throws IOException {
        List<Folds.Fold> folds = CrossValidation.folds(data, s);
        Path results = outDir.resolve(CrossValidation.RUNS), states = outDir.resolve(CrossValidation.STATES);
        Files.createDirectories(outDir.resolve(CrossValidation.CHECKPOINTS));
        Files.createDirectories(results);
        Files.createDirectories(states);
        String method = s.config().variant().paperName;
        int repeats = s.repeats();
        Order order = new Order(folds, repeats, outDir, method, s.train().seed(), log);
        List<Task> pending = new ArrayList<>();
        for (int f = 0; f < folds.size(); f++)
            for (int r = 0; r < repeats; r++) {
                Path done = results.resolve(CrossValidation.key(folds.get(f), r + 1) + ".json");
                if (Files.exists(done)) order.old(f, r, RunFiles.read(done));
                else pending.add(new Task(f, folds.get(f), r + 1, states.toAbsolutePath().toString(), backend.name()));
            }
        order.advance();
        if (pending.isEmpty()) return order.runs();

        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        long t0 = System.nanoTime();
        SharedData shared = new SharedData(data, TaskSettings.of(s));
        Broadcast<SharedData> broadcast = jsc.broadcast(shared);
        if (log != null)
            log.printf(Locale.ROOT, "spark: %d run(s) as tasks on %s (%d task slots); the %d examples (%.1f MiB of features) broadcast in %.1f s%n",
                    pending.size(), jsc.master(), jsc.defaultParallelism(), data.size(), shared.featureBytes() / 1048576.0,
                    (System.nanoTime() - t0) / 1e9);
        List<JavaFutureAction<List<Outcome>>> jobs = new ArrayList<>();
        try {
            for (Task t : pending) {
                jsc.setJobDescription(String.format(Locale.ROOT, "ser4j cv: %s, %s, run %d", method, t.foldName(), t.run()));
                jobs.add(jsc.parallelize(List.of(t), 1).map(new Train(broadcast)).collectAsync());
            }
            jsc.setJobDescription(null);
            boolean[] taken = new boolean[jobs.size()];
            for (int left = jobs.size(); left > 0; ) {
                if (stop.get()) {
                    jobs.forEach(j -> j.cancel(true));
                    throw new Trainer.Interrupted("stopped with " + (jobs.size() - left) + " of " + jobs.size() + " runs finished and saved");
                }
                int waitFor = -1;
                for (int i = 0; i < jobs.size(); i++) {
                    if (taken[i]) continue;
                    if (!jobs.get(i).isDone()) {
                        if (waitFor < 0) waitFor = i;
                        continue;
                    }
                    Outcome o = jobs.get(i).get().getFirst();
                    taken[i] = true;
                    left--;
                    order.arrived(o.fold(), o.run() - 1, RunFiles.parse(o.runJson(), "the result of a Spark task"), o.checkpoint(), o.executor());
                    order.advance();
                }
                if (waitFor >= 0) {
                    try {
                        jobs.get(waitFor).get(200, TimeUnit.MILLISECONDS);
                    } catch (TimeoutException notYet) {
                        // look again, and at the stop request
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            jobs.forEach(j -> j.cancel(true));
            throw new Trainer.Interrupted("interrupted while waiting for the Spark tasks");
        } catch (ExecutionException e) {
            jobs.forEach(j -> j.cancel(true));
            throw TaskFailures.unwrap(e);
        } finally {
            broadcast.destroy();
        }
        return order.runs();
    }

    /**
     * The driver's side: the runs of each fold taken in run order, as {@link CrossValidation#run} takes them, whatever
     * order their tasks finish in: the checkpoint of a run that beats the fold's best dev UA so far is written, then
     * the run's result, then its saved state is removed.
     */
    private static final class Order {
        private final List<Folds.Fold> folds;
        private final int repeats;
        private final Path outDir;
        private final String method;
        private final long seed;
        private final PrintStream log;
        private final CrossValidation.Run[][] runs;
        private final byte[][][] checkpoints;
        private final String[][] executors;
        private final boolean[][] old;
        private final int[] next;
        private final double[] bestDev;

        Order(List<Folds.Fold> folds, int repeats, Path outDir, String method, long seed, PrintStream log) {
            this.folds = folds;
            this.repeats = repeats;
            this.outDir = outDir;
            this.method = method;
            this.seed = seed;
            this.log = log;
            runs = new CrossValidation.Run[folds.size()][repeats];
            checkpoints = new byte[folds.size()][repeats][];
            executors = new String[folds.size()][repeats];
            old = new boolean[folds.size()][repeats];
            next = new int[folds.size()];
            bestDev = new double[folds.size()];
            java.util.Arrays.fill(bestDev, Double.NEGATIVE_INFINITY);
        }

        void old(int f, int r, CrossValidation.Run run) {
            runs[f][r] = run;
            old[f][r] = true;
        }

        void arrived(int f, int r, CrossValidation.Run run, byte[] checkpoint, String executor) {
            runs[f][r] = run;
            checkpoints[f][r] = checkpoint;
            executors[f][r] = executor;
        }

        /** Takes every run whose fold's earlier runs are all taken. */
        void advance() throws IOException {
            for (int f = 0; f < folds.size(); f++) {
                Folds.Fold fold = folds.get(f);
                for (; next[f] < repeats && runs[f][next[f]] != null; next[f]++) {
                    int r = next[f];
                    CrossValidation.Run run = runs[f][r];
                    if (old[f][r]) {
                        bestDev[f] = Math.max(bestDev[f], run.training().bestScore());
                        if (log != null) log.printf(Locale.ROOT, "%s: fold %d/%d (%s), run %d/%d already done: test WA %.1f%%  UA %.1f%%%n",
                                method, f + 1, folds.size(), fold.name(), r + 1, repeats, 100 * run.test().wa(), 100 * run.test().ua());
                        continue;
                    }
                    if (run.training().bestScore() > bestDev[f]) {
                        bestDev[f] = run.training().bestScore();
                        byte[] bytes = checkpoints[f][r];
                        AtomicFiles.write(CrossValidation.checkpoint(outDir, fold), out -> out.write(bytes));
                    }
                    checkpoints[f][r] = null;
                    String key = CrossValidation.key(fold, r + 1);
                    RunFiles.write(run, outDir.resolve(CrossValidation.RUNS).resolve(key + ".json"));    // the result, then the state it supersedes
                    Files.deleteIfExists(outDir.resolve(CrossValidation.STATES).resolve(key + ".safetensors"));
                    if (log != null)
                        log.printf(Locale.ROOT, "%s: fold %d/%d (%s; train %d, dev %d, test %d), run %d/%d, seed %d, on %s: test WA %.1f%%  UA %.1f%%  "
                                        + "(best epoch %d, %s, %.0f s)%n", method, f + 1, folds.size(), fold.name(), fold.train().size(),
                                fold.dev().size(), fold.test().size(), r + 1, repeats, seed + r, executors[f][r], 100 * run.test().wa(),
                                100 * run.test().ua(), run.training().bestEpoch(), run.training().stopReason(), run.seconds());
                }
            }
        }

        List<CrossValidation.Run> runs() {
            List<CrossValidation.Run> out = new ArrayList<>();
            for (CrossValidation.Run[] fold : runs) for (CrossValidation.Run r : fold) out.add(r);
            return out;
        }
    }

    /** One (fold, run): the fold's parts as indices into the broadcast examples, the run (1-based), where states go. */
    record Task(int foldIndex, String foldName, int[] train, int[] dev, int[] test, int run, String stateDir, String backend) implements Serializable {
        Task(int f, Folds.Fold fold, int run, String stateDir, String backend) {
            this(f, fold.name(), ints(fold.train()), ints(fold.dev()), ints(fold.test()), run, stateDir, backend);
        }

        Folds.Fold toFold() {
            return new Folds.Fold(foldName, list(train), list(dev), list(test));
        }

        private static int[] ints(List<Integer> l) {
            return l.stream().mapToInt(Integer::intValue).toArray();
        }

        private static List<Integer> list(int[] a) {
            return java.util.Arrays.stream(a).boxed().toList();
        }
    }

    /** What a task sends back: the run as its JSON result file, the trained model as its checkpoint file's bytes. */
    record Outcome(int fold, int run, String runJson, byte[] checkpoint, String executor) implements Serializable {}

    /** The task: trains and scores one (fold, run) on the broadcast examples, on the executor. */
    record Train(Broadcast<SharedData> shared) implements Function<Task, Outcome> {
        @Override
        public Outcome call(Task t) throws IOException {
            SharedData d = shared.value();
            CrossValidation.Settings s = d.settings().settings();
            Folds.Fold fold = t.toFold();
            Path stateDir = Path.of(t.stateDir());
            TrainState.Store store = Files.isDirectory(stateDir)
                    ? new TrainState.Store(stateDir.resolve(CrossValidation.key(fold, t.run()) + ".safetensors"), new AtomicBoolean()) : null;
            try (Backend be = Backends.select(t.backend())) {
                CrossValidation.Trained tr = CrossValidation.runOne(d.examples(), s, fold, t.run(), be, store, null);
                String executor = org.apache.spark.SparkEnv.get() == null ? "?" : "executor " + org.apache.spark.SparkEnv.get().executorId();
                return new Outcome(t.foldIndex(), t.run(), RunFiles.json(tr.run()), tr.checkpoint().bytes(), executor);
            }
        }
    }
}
