package dev.ser4j.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ser4j.core.InputException;
import dev.ser4j.core.ModelConfig;
import dev.ser4j.core.Variant;
import dev.ser4j.cpu.CpuBackend;
import dev.ser4j.model.Batcher;
import dev.ser4j.model.Example;
import dev.ser4j.model.FeatureNormalizer;
import dev.ser4j.model.MscnnSpuAtt;
import dev.ser4j.model.TrainedModel;
import dev.ser4j.text.Vocabulary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** A trained model scored on labelled examples: its metrics, unknown words, and a report of its own kind. */
class EvaluationTest {
    @TempDir
    Path dir;

    static final ModelConfig CFG = ModelConfig.of(Variant.MSCNN_SPU_ATT, 30, false).withSizes(16, 12, 4, 8, 32);

    static TrainedModel model() {
        try (MscnnSpuAtt m = new MscnnSpuAtt(CFG, new CpuBackend())) {
            m.initialize(3);
            return TrainedModel.of(m, FeatureNormalizer.identity(16), Map.of("vocabulary", "{}", "recipe", "robust", "dataset", "manifest:train.tsv",
                    "train.best_epoch", "7", "train.dev_ua", "0.61", "speaker_norm", "none"));
        }
    }

    /** Every third token of the generated examples made UNK. */
    static List<Example> examples() {
        List<Example> out = new ArrayList<>();
        for (Example e : Examples.make(4, 6, 16, 30, false, 9)) {
            int[] t = e.tokens().clone();
            for (int i = 0; i < t.length; i += 3) t[i] = Vocabulary.UNK;
            out.add(new Example(e.id(), e.speaker(), e.session(), e.audio(), e.frames(), t, null, e.label()));
        }
        return out;
    }

    @Test
    void metricsAreThoseOfTheModelsOwnPredictions() {
        TrainedModel tm = model();
        List<Example> ex = examples();
        Evaluation.Result r = Evaluation.evaluate(tm, "m.safetensors", "manifest:test.tsv", ex, new CpuBackend());
        float[] p;
        try (MscnnSpuAtt m = tm.instantiate(new CpuBackend(), false)) {
            p = Predictor.probabilities(m, new Batcher(CFG, tm.normalizer()), ex, 5);
        }
        int[] truth = new int[ex.size()], pred = new int[ex.size()];
        for (int i = 0; i < ex.size(); i++) {
            truth[i] = ex.get(i).label();
            pred[i] = MscnnSpuAtt.argmax(p, i, 4);
            assertEquals(pred[i], r.predicted(i), ex.get(i).id());
        }
        Metrics m = Metrics.of(truth, pred, 4);
        assertEquals(m.wa(), r.metrics().wa(), 1e-12);
        assertEquals(m.ua(), r.metrics().ua(), 1e-12);
        assertArrayEquals(m.confusion(), r.metrics().confusion());
    }

    @Test
    void countsTheWordsTheModelDoesNotKnow() {
        List<Example> ex = examples();
        long words = 0, unknown = 0;
        for (Example e : ex) {
            words += e.tokens().length;
            unknown += (e.tokens().length + 2) / 3;                  // tokens 0, 3, 6, ... are UNK
        }
        assertTrue(unknown > 0 && unknown < words, unknown + " of " + words);
        Evaluation.Result r = Evaluation.evaluate(model(), "m.safetensors", "d", ex, new CpuBackend());
        assertEquals(words, r.words());
        assertEquals(unknown, r.unknown());
        assertEquals(unknown / (double) words, r.unknownRate(), 1e-12);
    }

    @Test
    void reportIsAnEvaluationNotACrossValidation() throws Exception {
        List<Example> ex = examples();
        Evaluation.Result r = Evaluation.evaluate(model(), "m.safetensors", "manifest:test.tsv", ex, new CpuBackend());
        List<List<CrossValidation.Run>> drawn = new ArrayList<>();
        Evaluation.write(dir, r, Map.of("dataset", "manifest:test.tsv", "utterances", ex.size(), "skipped", 2, "backend", "cpu"),
                (d, method, s, runs) -> drawn.add(runs));
        assertEquals(List.of(List.of()), drawn, "the confusion figure only: no training, no learning curves");
        JsonNode j = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
        assertEquals("evaluation", j.get("kind").asText());
        assertEquals("m.safetensors", j.get("model").asText());
        assertEquals("manifest:test.tsv", j.get("dataset").asText());
        JsonNode s = j.get("summary");
        assertEquals(r.metrics().ua(), s.get("ua_mean").asDouble(), 1e-12);
        assertEquals(r.metrics().wa(), s.get("wa_mean").asDouble(), 1e-12);
        assertEquals(0, s.get("ua_std").asDouble());
        assertEquals(ex.size(), s.get("utterances").asInt());
        assertEquals(r.unknown(), s.get("unknown_words").get("unknown").asLong());
        assertEquals(4, s.get("per_class").size());
        assertFalse(j.get("config").has("ser4j.model"));
        assertEquals("7", j.get("training").get("train.best_epoch").asText());
        assertEquals("robust", j.get("training").get("recipe").asText());
        assertEquals("manifest:train.tsv", j.get("training").get("dataset").asText());
        assertFalse(j.get("training").has("vocabulary"), "the training metadata, not the whole checkpoint");
        String md = Files.readString(dir.resolve("report.md"));
        assertTrue(md.startsWith("# Evaluation of m.safetensors (MSCNN-SPU-ATT) on manifest:test.tsv\n"), md);
        assertTrue(md.contains("- data set: manifest:test.tsv (" + ex.size() + " utterances, 2 skipped)"), md);
        assertTrue(md.contains(String.format(java.util.Locale.ROOT, "- unknown words: %d of the %d words", r.unknown(), r.words())), md);
        assertTrue(md.contains("| train.best_epoch | 7 |") && md.contains("| recipe | robust |"), md);
        for (String wrong : new String[]{"±", "cross-validation", "best epoch", "Per fold"}) assertFalse(md.contains(wrong), wrong + " in\n" + md);
        assertEquals(ex.size() + 1, Files.readAllLines(dir.resolve("predictions.tsv")).size());
    }

    @Test
    void everyUtteranceNeedsALabel() {
        List<Example> ex = new ArrayList<>(examples());
        Example e = ex.get(2);
        ex.set(2, new Example(e.id(), e.speaker(), e.session(), e.audio(), e.frames(), e.tokens(), null, -1));
        InputException x = assertThrows(InputException.class, () -> Evaluation.evaluate(model(), "m", "d", ex, new CpuBackend()));
        assertTrue(x.getMessage().contains(e.id()), x.getMessage());
    }
}
