package dev.ser4j.cli;

import dev.ser4j.core.InputException;
import dev.ser4j.core.ModelConfig;
import dev.ser4j.data.Dataset;
import dev.ser4j.data.FoldPlan;
import dev.ser4j.pipeline.DataPipeline;
import dev.ser4j.train.CrossValidation;
import dev.ser4j.train.Folds;
import dev.ser4j.train.TrainingRun;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;

/** The cross-validation protocol's flags, shared by cv and experiment. */
public final class FoldOptions {
    @Option(names = "--folds", defaultValue = "speaker", paramLabel = "speaker|session|random|emobox|FILE",
            description = "The folds: speaker (test one speaker, dev the other of its session), session (leave one session out, dev the next),"
                    + " random (10 utterance-level parts), emobox (the corpus's published speaker-independent folds; dev speakers come"
                    + " from the training part) or FILE (lines 'utterance-id, speaker or session<TAB>fold'; fold names dev and train"
                    + " are never tested) (default ${DEFAULT-VALUE}).")
    String folds;

    @Option(names = "--repeats", paramLabel = "N", defaultValue = "3", description = "Runs per fold, with seeds seed, seed+1, ... (default ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--max-folds", defaultValue = "0", paramLabel = "N", description = "Run only the first N folds (default: all).")
    int maxFolds;

    /**
     * The protocol for {@code cfg} with these flags, the training flags (with {@code dflt} the command's recipe) and
     * the prepared data's word vectors.
     */
    CrossValidation.Settings settings(ModelConfig cfg, TrainingOptions training, TrainingOptions.Recipe dflt, DataPipeline.Prepared p,
                                      boolean freezeEmbeddings) {
        TrainingRun.Recipe recipe = new TrainingRun.Recipe(cfg, training.config(ConsoleProgress.forTerminal(), dflt), p.embedding(),
                freezeEmbeddings);
        java.util.Map<String, String> meta = new java.util.LinkedHashMap<>(p.checkpointMetadata());
        meta.put("recipe", training.recipe(dflt).id());
        return new CrossValidation.Settings(recipe, folds, plan(p.dataset()), repeats, maxFolds, meta);
    }

    /** The fold plan of {@code emobox} or a file, read now; null for the other schemes. */
    FoldPlan plan(Dataset ds) {
        if (folds.equals("emobox")) {
            if (ds.emobox() == null) throw new InputException("--folds emobox", ds.emoboxNone() + "; use --folds speaker or --folds FILE");
            return ds.emobox();
        }
        return Folds.SCHEMES.contains(folds) ? null : FoldPlan.read(Path.of(folds));
    }

    /** Checks the flags before any work is done. */
    void check() {
        if (!Folds.SCHEMES.contains(folds) && !Files.isRegularFile(Path.of(folds))) Folds.check(folds);
        if (repeats < 1) throw new InputException("--repeats", repeats + " is not a positive number of runs");
        if (maxFolds < 0) throw new InputException("--max-folds", maxFolds + " is negative");
    }
}
