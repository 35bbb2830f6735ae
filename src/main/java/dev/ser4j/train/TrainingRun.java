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
import java.util.List;
import java.util.Map;

/**
 * One training run, the recipe that {@code train}, {@code cv}, {@code experiment} and {@code demo} share: the feature
 * normalisation fitted on the training part, the model initialised from the seed (with the pretrained word
 * embedding when there is one), trained by {@link Trainer} with early stopping on the dev part, the best epoch's
 * weights kept.
 */
public final class TrainingRun {
    private TrainingRun() {}

    /**
     * What is trained and how.
     *
     * @param embedding the initial word embedding [V, D] (e.g. from GloVe), or null for the seeded random one
     * @param frozen    keep the word embedding fixed
     */
    public record Recipe(ModelConfig config, Trainer.Config training, float[] embedding, boolean frozen) {
        public Recipe withTraining(Trainer.Config t) {
            return new Recipe(config, t, embedding, frozen);
        }
    }

    /** A trained model, still on its backend, with the normalisation it was trained with and its history. */
    public record Outcome(MscnnSpuAtt model, FeatureNormalizer normalizer, Trainer.Result result, int batchSize)
            implements AutoCloseable {
        /** WA, UA and the rest on labelled examples. */
        public Metrics evaluate(List<Example> examples) {
            return Predictor.evaluate(model, new Batcher(model.config(), normalizer), examples, batchSize);
        }

        /** The model as a file's contents, with {@code metadata}. */
        public TrainedModel trained(Map<String, String> metadata) {
            return TrainedModel.of(model, normalizer, metadata);
        }

        @Override
        public void close() {
            model.close();
        }
    }

    /**
     * Trains {@code recipe} on {@code train}, choosing the epoch on {@code dev}. With a {@code store}, the state is
     * saved every epoch and a saved state is resumed from (see {@link Trainer#train}).
     */
    public static Outcome run(Recipe recipe, List<Example> train, List<Example> dev, Backend backend, TrainState.Store store,
                              PrintStream log) throws IOException {
        ModelConfig cfg = recipe.config();
        FeatureNormalizer norm = cfg.variant().audio ? FeatureNormalizer.fit(train) : FeatureNormalizer.identity(cfg.audioDim());
        MscnnSpuAtt model = new MscnnSpuAtt(cfg, backend);
        try {
            model.initialize(recipe.training().seed());
            if (recipe.embedding() != null) model.setParameter(ParamLayout.EMBEDDING, recipe.embedding());
            model.freezeEmbedding(recipe.frozen());
            Trainer.Result res = Trainer.train(model, new Batcher(cfg, norm), train, dev, recipe.training(), log, store);
            return new Outcome(model, norm, res, recipe.training().batchSize());
        } catch (RuntimeException | IOException e) {
            model.close();
            throw e;
        }
    }
}
