package dev.ser4j.cli;

import dev.ser4j.core.ModelConfig;
import dev.ser4j.data.Dataset;
import dev.ser4j.pipeline.DataPipeline;
import dev.ser4j.train.CrossValidation;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * What {@code cv} and {@code experiment} share (and {@code spark cv} and {@code spark experiment} through them): the
 * options of the data, the folds, training and the backend, the checks made before any work, and the start of a run
 * directory with its data prepared.
 */
abstract class CrossValidationCommand implements Callable<Integer> {
    @Mixin
    DataOptions data;

    @Mixin
    TrainingDataOptions trainingData;

    @Mixin
    FoldOptions protocol;

    @Mixin
    TrainingOptions training;

    @Mixin
    BackendOptions backend;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Set on the command that {@code --resume} parses the stored arguments into. */
    boolean resuming;

    /**
     * A run begun: the data prepared, the protocol's settings for it, and what the report records of both.
     *
     * @param info the data's description and the recipe's ingredients, for the report
     */
    record Started(DataPipeline.Prepared data, CrossValidation.Settings settings, Map<String, Object> info) {}

    /**
     * Checks every shared option (the command's own checks have run), reads the data set, begins the run directory
     * {@code out} under {@code runName} (or continues it when resuming) and prepares the data and the settings with
     * {@code recipe}, the model's configuration from {@code config}; when the data cannot be used, the directory just
     * begun is removed again.
     *
     * @param note a line printed before the data is read (null: none)
     */
    Started start(Path out, String runName, TrainingOptions.Recipe recipe, String note,
                  Function<DataPipeline.Prepared, ModelConfig> config) throws Exception {
        data.check();
        trainingData.check();
        protocol.check();
        training.check(recipe);
        backend.check();
        if (!resuming) RunDir.checkNew(out, "--resume " + out);
        if (note != null) System.out.println(note);
        Dataset ds = trainingData.open(data);
        RunDir.Started run = resuming ? RunDir.resumed(out) : RunDir.start(out, runName, spec.name(), spec.commandLine().getParseResult().originalArgs());
        DataPipeline.Prepared p = run.orAbandon(() -> trainingData.prepare(data, ds, training.seed, training.input(recipe),
                training.speakerNorm(recipe), training.waveAugment(recipe), System.out));
        CrossValidation.Settings s = run.orAbandon(() -> protocol.settings(config.apply(p), training, recipe, p, trainingData.freezeEmbeddings));
        Map<String, Object> info = new LinkedHashMap<>(p.info());
        info.putAll(training.describe(recipe));
        return new Started(p, s, info);
    }
}
