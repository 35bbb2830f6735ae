package dev.ser4j.cli;

import dev.ser4j.backend.Backend;
import dev.ser4j.core.InputException;
import dev.ser4j.core.ModelConfig;
import dev.ser4j.data.Dataset;
import dev.ser4j.model.Example;
import dev.ser4j.pipeline.DataPipeline;
import dev.ser4j.train.Folds;
import dev.ser4j.train.Metrics;
import dev.ser4j.train.TrainState;
import dev.ser4j.train.Trainer;
import dev.ser4j.train.TrainingRun;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code ./ser4j train}: one model on a whole data set, choosing its epoch on a seeded random dev part, saved with
 * everything prediction needs. While it runs, its state lives in {@code OUT.run/} ({@code --resume OUT} continues).
 */
@Command(name = "train", sortOptions = false, description = {"Train one model on a data set and save it.",
        "A seeded random part of the data (--dev-fraction) is held out to choose the epoch; the model file holds everything prediction needs."})
public final class TrainCommand implements Callable<Integer> {
    /** The recipe when --recipe is not given. */
    static final TrainingOptions.Recipe RECIPE = TrainingOptions.Recipe.ROBUST;

    @Mixin
    DataOptions data;

    @Mixin
    TrainingDataOptions trainingData;

    @Mixin
    ModelOptions model;

    @Option(names = "--dev-fraction", paramLabel = "F", defaultValue = "0.1",
            description = "Share of utterances held out to choose the epoch (default ${DEFAULT-VALUE}).")
    double devFraction;

    @Mixin
    TrainingOptions training;

    @Mixin
    BackendOptions backend;

    @Option(names = "--out", paramLabel = "MODEL.safetensors", description = "Where to save the model.")
    Path out;

    @Option(names = "--resume", paramLabel = "MODEL.safetensors", description = "Continue the training of MODEL where it stopped.")
    Path resume;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    boolean resuming;

    static Path runDir(Path model) {
        return model.resolveSibling(model.getFileName() + ".run");
    }

    @Override
    public Integer call() throws Exception {
        if (resume != null) return RunDir.resume(runDir(resume), "train", TrainCommand::new, c -> c.resuming = true);
        if (out == null) throw new InputException("--out", "is required (where to save the model), or --resume MODEL");
        if (!(devFraction > 0 && devFraction < 0.5)) throw new InputException("--dev-fraction", devFraction + " is not in (0, 0.5)");
        data.check();
        trainingData.check();
        model.check(trainingData.speakerEmbeddings());
        training.check(RECIPE);
        backend.check();
        Path run = runDir(out);
        if (!resuming) RunDir.checkNew(run, "--resume " + out);
        String note = model.withoutXvectorNote(trainingData.speakerEmbeddings());
        if (note != null) System.out.println(note);
        Dataset ds = trainingData.open(data);
        RunDir.Started started = resuming ? RunDir.resumed(run) : RunDir.start(run, "train", spec.commandLine().getParseResult().originalArgs());
        DataPipeline.Prepared p = started.orAbandon(() -> trainingData.prepare(data, ds, training.seed, training.input(RECIPE),
                training.speakerNorm(RECIPE), training.waveAugment(RECIPE), System.out));
        ModelConfig cfg = model.apply(p.configFor(model.variant()));
        Folds.Fold split = Folds.holdOut(p.examples(), devFraction, training.seed);
        List<Example> train = Folds.select(p.examples(), split.train()), dev = Folds.select(p.examples(), split.dev());
        if (train.size() < 4) {
            started.abandon();
            throw new InputException("--data", "has " + p.examples().size() + " usable utterances, too few to train on");
        }
        TrainingRun.Recipe recipe = new TrainingRun.Recipe(cfg, training.config(ConsoleProgress.forTerminal(), RECIPE), p.embedding(),
                trainingData.freezeEmbeddings);
        System.out.printf("%s: training on %d utterances, choosing the epoch on %d%n", cfg.variant().paperName, train.size(), dev.size());
        try (Backend be = backend.open(); Interrupts interrupts = new Interrupts()) {
            TrainingRun.Outcome trained = interrupts.run("train --resume " + out, () -> TrainingRun.run(recipe, train, dev, be,
                    new TrainState.Store(run.resolve("state.safetensors"), interrupts.stop), System.out));
            try (trained) {
                Metrics devM = trained.evaluate(dev);
                Trainer.Result res = trained.result();
                Map<String, String> meta = new LinkedHashMap<>(p.checkpointMetadata());
                meta.put("recipe", training.recipe(RECIPE).id());
                meta.put("train.best_epoch", Integer.toString(res.bestEpoch()));
                meta.put("train.dev_wa", Double.toString(devM.wa()));
                meta.put("train.dev_ua", Double.toString(devM.ua()));
                meta.put("train.utterances", Integer.toString(train.size()));
                meta.put("train.seed", Long.toString(training.seed));
                trained.trained(meta).write(out);
                System.out.printf("saved %s: best epoch %d (%s), dev WA %.1f%%  UA %.1f%%%n", out, res.bestEpoch(), res.stopReason(),
                        100 * devM.wa(), 100 * devM.ua());
            }
        }
        deleteRecursively(run);
        return 0;
    }

    static void deleteRecursively(Path dir) throws java.io.IOException {
        if (!Files.exists(dir)) return;
        try (var s = Files.walk(dir)) {
            for (Path f : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(f);
        }
    }
}
