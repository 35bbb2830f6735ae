package dev.ser4j.cli;

import dev.ser4j.core.InputException;
import dev.ser4j.core.ModelConfig;
import dev.ser4j.pipeline.DataPipeline;
import dev.ser4j.train.CrossValidation;
import dev.ser4j.train.Folds;
import dev.ser4j.train.TrainingRun;
import picocli.CommandLine.Option;

/** The cross-validation protocol's flags, shared by cv and experiment. */
public final class FoldOptions {
    @Option(names = "--folds", defaultValue = "speaker", paramLabel = "speaker|random|session",
            description = "speaker (test one speaker, dev the other of its session), random (10 utterance-level parts) or session (default ${DEFAULT-VALUE}).")
    String folds;

    @Option(names = "--repeats", defaultValue = "3", description = "Runs per fold, with seeds seed, seed+1, ... (default ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--max-folds", defaultValue = "0", paramLabel = "N", description = "Run only the first N folds (default: all).")
    int maxFolds;

    /** The protocol for {@code cfg} with these flags, the training flags and the prepared data's word vectors. */
    CrossValidation.Settings settings(ModelConfig cfg, TrainingOptions training, DataPipeline.Prepared p, boolean freezeEmbeddings) {
        TrainingRun.Recipe recipe = new TrainingRun.Recipe(cfg, training.config(ConsoleProgress.forTerminal()), p.embedding(), freezeEmbeddings);
        return new CrossValidation.Settings(recipe, folds, repeats, maxFolds, p.checkpointMetadata());
    }

    /** Checks the flags before any work is done. */
    void check() {
        Folds.check(folds);
        if (repeats < 1) throw new InputException("--repeats", repeats + " is not a positive number of runs");
        if (maxFolds < 0) throw new InputException("--max-folds", maxFolds + " is negative");
    }
}
