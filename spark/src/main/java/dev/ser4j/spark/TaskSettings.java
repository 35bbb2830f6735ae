package dev.ser4j.spark;

import dev.ser4j.backend.AdamHyper;
import dev.ser4j.core.ModelConfig;
import dev.ser4j.io.Progress;
import dev.ser4j.train.Augmentation;
import dev.ser4j.train.CrossValidation;
import dev.ser4j.train.Trainer;
import dev.ser4j.train.TrainingRun;

import java.io.Serial;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A cross-validation's {@link CrossValidation.Settings} as plain values, for the tasks: the model configuration as
 * its metadata (which {@link ModelConfig#fromMetadata} reads back equal), the training settings field by field, the
 * initial word embedding. Not carried: the progress bars (a task trains quietly) and the fold plan (the driver
 * makes the folds; a task gets its fold's indices).
 */
record TaskSettings(Map<String, String> config, int maxEpochs, int patience, int batchSize, float lr, float beta1, float beta2, float eps,
                    float clipNorm, long seed, boolean balance, int timeMasks, int maxTime, int featureMasks, int maxFeatures,
                    float wordDropout, float textDropout, float audioDropout, boolean audioOnlyPass, float average, float[] embedding, boolean frozen, String folds, int repeats,
                    int maxFolds, Map<String, String> checkpointMeta) implements Serializable {
    @Serial
    private static final long serialVersionUID = 2L;

    static TaskSettings of(CrossValidation.Settings s) {
        Trainer.Config t = s.train();
        AdamHyper a = t.adam();
        Augmentation g = t.augment();
        TaskSettings ts = new TaskSettings(new LinkedHashMap<>(s.config().toMetadata()), t.maxEpochs(), t.patience(), t.batchSize(), a.lr(),
                a.beta1(), a.beta2(), a.eps(), a.clipNorm(), t.seed(), g.balance(), g.timeMasks(), g.maxTime(), g.featureMasks(),
                g.maxFeatures(), g.wordDropout(), g.textDropout(), g.audioDropout(), g.audioOnlyPass(), t.average(), s.recipe().embedding(), s.recipe().frozen(), s.folds(),
                s.repeats(), s.maxFolds(), new LinkedHashMap<>(s.checkpointMeta()));
        CrossValidation.Settings back = ts.settings();
        if (!back.config().equals(s.config()) || !back.train().withProgress(Progress.NONE).equals(t.withProgress(Progress.NONE)))
            throw new IllegalStateException("the cross-validation settings do not survive the trip to the executors: " + s + " became " + back);
        return ts;
    }

    /** The settings again, on an executor. */
    CrossValidation.Settings settings() {
        ModelConfig cfg = ModelConfig.fromMetadata("the cross-validation's model configuration", config);
        Trainer.Config t = new Trainer.Config(maxEpochs, patience, batchSize, new AdamHyper(lr, beta1, beta2, eps, clipNorm), seed, Progress.NONE,
                new Augmentation(balance, timeMasks, maxTime, featureMasks, maxFeatures, wordDropout, textDropout, audioDropout, audioOnlyPass), average);
        return new CrossValidation.Settings(new TrainingRun.Recipe(cfg, t, embedding, frozen), folds, null, repeats, maxFolds, checkpointMeta);
    }
}
