package dev.ser4j.train;

import com.fasterxml.jackson.annotation.JsonAlias;
import dev.ser4j.backend.AdamHyper;
import dev.ser4j.core.TrainingException;
import dev.ser4j.io.Progress;
import dev.ser4j.model.Batch;
import dev.ser4j.model.Batcher;
import dev.ser4j.model.Example;
import dev.ser4j.model.MscnnSpuAtt;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The paper's training (model spec, "Training"): Adam with global-norm clipping, dropout, length-bucketed batches,
 * early stopping on the dev set's UA (stop after {@code patience} epochs without improvement, at most
 * {@code maxEpochs}), and the best epoch's weights kept. Seeded: on the CPU the same seed gives the same weights.
 *
 * <p>Beyond the paper, {@link Config#average} keeps an exponential moving average of the weights over epoch ends
 * (Polyak averaging, as in SWA, Izmailov et al. 2018): each epoch the average, not the weights, is scored on the dev
 * set, drives early stopping and is what is kept. On a small dev set whose UA swings by ten points between epochs,
 * the average's UA is the steadier guide (RAVDESS, README "Recipes": +1.5 UA over two seeds).
 */
public final class Trainer {
    private Trainer() {}

    /**
     * The paper's settings are {@link #paper}; {@code progress} is told each epoch's steps; {@code augment} is what
     * training does to its inputs beyond the paper ({@link Augmentation#NONE} for the paper); {@code average} is the
     * factor of the weights' moving average over epoch ends (0 for the paper: the weights themselves).
     */
    public record Config(int maxEpochs, int patience, int batchSize, AdamHyper adam, long seed, Progress progress, Augmentation augment,
                         float average) {
        public Config {
            if (!(average >= 0 && average < 1)) throw new IllegalArgumentException(average + " is not an averaging factor in [0, 1)");
        }

        public static Config paper(long seed) {
            return new Config(50, 8, 64, AdamHyper.paper(), seed, Progress.NONE, Augmentation.NONE, 0f);
        }

        /** Keep, and score on the dev set, the weights' moving average over epoch ends with this factor (0: the weights themselves). */
        public Config withAverage(float a) {
            return new Config(maxEpochs, patience, batchSize, adam, seed, progress, augment, a);
        }

        public Config withAugmentation(Augmentation a) {
            return new Config(maxEpochs, patience, batchSize, adam, seed, progress, a, average);
        }

        public Config withEpochs(int max, int pat) {
            return new Config(max, pat, batchSize, adam, seed, progress, augment, average);
        }

        public Config withSeed(long s) {
            return new Config(maxEpochs, patience, batchSize, adam, s, progress, augment, average);
        }

        public Config withProgress(Progress p) {
            return new Config(maxEpochs, patience, batchSize, adam, seed, p, augment, average);
        }

        public Config withBatchSize(int b) {
            return new Config(maxEpochs, patience, b, adam, seed, progress, augment, average);
        }
    }

    /**
     * One epoch: mean training loss, dev WA/UA (NaN without a dev set), wall time, training utterances per second, and
     * for a bimodal model trained with transcripts dropped or an audio-only pass, the dev UA with every transcript
     * empty (else NaN).
     */
    public record Epoch(int epoch, double trainLoss, double devWa, double devUa, double seconds, double uttPerSecond, double devUaWithoutText) {
        public Epoch(int epoch, double trainLoss, double devWa, double devUa, double seconds, double uttPerSecond) {
            this(epoch, trainLoss, devWa, devUa, seconds, uttPerSecond, Double.NaN);
        }

        /**
         * What chooses the epoch: the dev UA, or for a model also meant to work without transcripts, the mean of its
         * dev UA with and without them (so the epoch is not chosen by the text alone, which learns first).
         */
        public double score() {
            return Double.isNaN(devUaWithoutText) ? devUa : (devUa + devUaWithoutText) / 2;
        }
    }

    /** The history, the chosen epoch and its {@link Epoch#score}, and why training stopped. */
    public record Result(List<Epoch> history, int bestEpoch, @JsonAlias("bestDevUa") double bestScore, String stopReason) {
        /** The chosen epoch's record, or null when no epoch ran. */
        public Epoch best() {
            return history.stream().filter(e -> e.epoch() == bestEpoch).findFirst().orElse(null);
        }
    }

    /** Training stopped on request (Ctrl-C) after saving its state; {@code --resume} continues it. */
    public static final class Interrupted extends RuntimeException {
        public Interrupted(String message) {
            super(message);
        }
    }

    public static Result train(MscnnSpuAtt model, Batcher batcher, List<Example> train, List<Example> dev, Config c, PrintStream log) {
        try {
            return train(model, batcher, train, dev, c, log, null);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Trains {@code model} (already initialised) on {@code train}, choosing the epoch by UA on {@code dev} (for a
     * bimodal model trained with transcripts dropped or an {@link Augmentation#audioOnlyPass}, by the mean of its UA
     * with and without them: {@link Epoch#score});
     * with an empty dev set every epoch runs and the last is kept. Throws {@link TrainingException} on a non-finite loss or
     * gradient, naming the epoch and step.
     *
     * <p>With a {@code store}, the state is saved at the end of every epoch, and after the current step when
     * {@code store.stop()} is raised (then {@link Interrupted} is thrown); an existing state file is resumed from,
     * giving exactly the weights of an uninterrupted run.
     */
    public static Result train(MscnnSpuAtt model, Batcher batcher, List<Example> train, List<Example> dev, Config c, PrintStream log,
                               TrainState.Store store) throws java.io.IOException {
        List<Epoch> history = new ArrayList<>();
        float[] best = null, average = null;
        int bestEpoch = 0, since = 0, firstEpoch = 1, firstStep = 0, resumedSeen = 0;
        double bestScore = Double.NEGATIVE_INFINITY, resumedLoss = 0;
        if (store != null && store.exists()) {
            TrainState s = TrainState.load(store.file());
            if (s.seed() != c.seed) throw new dev.ser4j.core.InputException(store.file(), "belongs to a run with seed " + s.seed() + ", not " + c.seed);
            s.restore(model);
            history.addAll(s.history());
            best = s.best();
            average = s.average();
            bestEpoch = s.bestEpoch();
            bestScore = s.bestUa();
            since = s.since();
            firstEpoch = s.epoch();
            firstStep = s.stepsDone();
            resumedLoss = s.lossSum();
            resumedSeen = s.seen();
            if (log != null) log.printf("resuming at epoch %d, step %d%n", firstEpoch, firstStep + 1);
            if (since >= c.patience || firstEpoch > c.maxEpochs) firstEpoch = c.maxEpochs + 1;   // it had already finished
        }
        String stop = "reached " + c.maxEpochs + " epochs";
        // a bimodal model trained to work without its transcript is chosen for both: with and without them
        boolean bimodal = model.config().variant().audio && model.config().variant().text;
        boolean audioOnlyPass = bimodal && c.augment.audioOnlyPass();
        List<Example> devWithoutText = bimodal && (c.augment.textDropout() > 0 || audioOnlyPass)
                ? dev.stream().map(Example::withoutText).toList() : List.of();
        float dropout = model.config().dropout();
        for (int epoch = firstEpoch; epoch <= c.maxEpochs; epoch++) {
            long t0 = System.nanoTime();
            long epochSeed = c.seed * 1_000_003L + epoch;
            List<List<Example>> batches = batcher.epoch(c.augment.epoch(train, epochSeed), c.batchSize, epochSeed);
            double lossSum = epoch == firstEpoch ? resumedLoss : 0;
            int seen = epoch == firstEpoch ? resumedSeen : 0, start = epoch == firstEpoch ? firstStep : 0;
            try (Progress.Task bar = c.progress.start(String.format("epoch %d/%d", epoch, c.maxEpochs), batches.size())) {
                bar.stepTo(start);
                for (int step = start; step < batches.size(); step++) {
                    List<Example> chunk = batches.get(step);
                    model.zeroGrad();
                    long stepSeed = c.seed * 0x9E3779B97F4A7C15L + epoch * 1_000_003L + step;
                    Batch batch = batcher.batch(chunk);
                    c.augment.apply(batch, model.config(), ~stepSeed);
                    double loss = model.forward(batch, dropout, stepSeed);
                    checkLoss(loss, epoch, step);
                    model.backward();
                    if (audioOnlyPass) {        // the same batch without its transcripts; the gradients add up
                        double alone = model.forward(batch.withoutText(), dropout, ~stepSeed);
                        checkLoss(alone, epoch, step);
                        model.backward();
                        loss = (loss + alone) / 2;
                    }
                    double norm = model.gradNorm();
                    if (!Double.isFinite(norm))
                        throw new TrainingException("training stopped: the gradient norm is " + norm + " at epoch " + epoch + ", step "
                                + (step + 1) + " (try a lower learning rate or check the features)");
                    model.adamStep(c.adam);
                    lossSum += loss * chunk.size();
                    seen += chunk.size();
                    bar.step();
                    bar.message(String.format(" loss %.3f, %.0f utt/s", lossSum / seen, seen / ((System.nanoTime() - t0) / 1e9)));
                    if (store != null && store.stop().get() && step + 1 < batches.size()) {
                        TrainState.capture(model, c.seed, epoch, step + 1, lossSum, seen, best, average, bestEpoch, bestScore, since, history)
                                .save(store.file());
                        throw new Interrupted("stopped at epoch " + epoch + ", step " + (step + 1) + "; the state is saved in " + store.file());
                    }
                }
            }
            double trainSeconds = (System.nanoTime() - t0) / 1e9;
            float[] kept = null;                        // the weights this epoch offers: the moving average, or the weights
            if (c.average > 0) {
                kept = model.parameterBlock();
                average = average == null ? kept.clone() : movingAverage(average, kept, c.average);
                model.setParameterBlock(average);
            }
            Metrics m = dev.isEmpty() ? null : Predictor.evaluate(model, batcher, dev, c.batchSize);
            Metrics mute = devWithoutText.isEmpty() ? null : Predictor.evaluate(model, batcher, devWithoutText, c.batchSize);
            if (kept != null) model.setParameterBlock(kept);
            double seconds = (System.nanoTime() - t0) / 1e9;
            Epoch e = new Epoch(epoch, lossSum / seen, m == null ? Double.NaN : m.wa(), m == null ? Double.NaN : m.ua(), seconds, seen / trainSeconds,
                    mute == null ? Double.NaN : mute.ua());
            history.add(e);
            if (log != null)
                log.printf("epoch %2d  train loss %.4f  dev WA %s  UA %s%s  %5.1f s  %4.0f utt/s%n", epoch, e.trainLoss,
                        pct(e.devWa), pct(e.devUa), mute == null ? "" : "  without text UA " + pct(e.devUaWithoutText), seconds, e.uttPerSecond);
            if (dev.isEmpty() || e.score() > bestScore) {
                bestScore = e.score();
                bestEpoch = epoch;
                best = average != null ? average.clone() : model.parameterBlock();
                since = 0;
            } else {
                since++;
            }
            if (store != null) {
                TrainState.capture(model, c.seed, epoch + 1, 0, 0, 0, best, average, bestEpoch, bestScore, since, history).save(store.file());
                if (store.stop().get() && epoch < c.maxEpochs && since < c.patience)
                    throw new Interrupted("stopped after epoch " + epoch + "; the state is saved in " + store.file());
            }
            if (since >= c.patience) break;
        }
        if (since >= c.patience) stop = "no dev UA improvement for " + c.patience + " epochs";
        model.setParameterBlock(best);
        return new Result(history, bestEpoch, bestScore, stop);
    }

    private static void checkLoss(double loss, int epoch, int step) {
        if (!Double.isFinite(loss))
            throw new TrainingException("training stopped: the loss is " + loss + " at epoch " + epoch + ", step " + (step + 1)
                    + " (try a lower learning rate or check the features)");
    }

    /** {@code a * avg + (1 - a) * w}, in place in {@code avg}. */
    static float[] movingAverage(float[] avg, float[] w, float a) {
        for (int i = 0; i < avg.length; i++) avg[i] = a * avg[i] + (1 - a) * w[i];
        return avg;
    }

    static String pct(double v) {
        return Double.isNaN(v) ? "  -  " : String.format("%5.1f%%", 100 * v);
    }
}
