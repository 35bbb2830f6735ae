package dev.ser4j.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ser4j.core.ModelConfig;
import dev.ser4j.core.Variant;
import dev.ser4j.cpu.CpuBackend;
import dev.ser4j.model.Example;
import dev.ser4j.model.TrainedModel;
import dev.ser4j.runtime.Versions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A small cross-validation end to end: the run directory holds the report (saying what was run), the figures and a
 * checkpoint per fold, and no leftover state.
 */
class ReportTest {
    @TempDir
    Path dir;

    @Test
    void crossValidationWritesReportFiguresAndCheckpoints() throws Exception {
        ModelConfig cfg = ModelConfig.of(Variant.AUDIO_CNN, 0, false).withSizes(16, 12, 4, 8, 32);
        List<Example> data = Examples.make(6, 16, 16, 30, false, 4);              // 3 sessions: 3 session folds
        CrossValidation.Settings s = new CrossValidation.Settings(new TrainingRun.Recipe(cfg,
                TrainerTest.quick(1).withEpochs(3, 2), null, false), "session", null, 2, 2, Map.of("dataset", "generated", "recipe", "paper"));
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("dataset", "generated");
        info.put("utterances", data.size());
        info.put("speaker_norm", "none");
        List<Report.Summary> drawn = new ArrayList<>();
        List<List<CrossValidation.Run>> drawnRuns = new ArrayList<>();
        Report.Summary sum = CrossValidation.crossValidate(data, s, new CpuBackend(), dir, info, (d, method, s2, rs) -> {
            assertEquals(dir, d);
            assertEquals("Audio-CNN", method);
            drawn.add(s2);
            drawnRuns.add(rs);
        }, null, new AtomicBoolean());
        assertEquals(List.of(sum), drawn, "the figures are drawn once, from the report's summary");
        assertEquals(4, drawnRuns.getFirst().size(), "2 folds x 2 runs");
        JsonNode j = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
        assertEquals("audio-cnn", j.get("variant").asText());
        assertEquals("session", j.get("folds").asText());
        for (String k : new String[]{"wa_mean", "wa_std", "ua_mean", "ua_std"}) {
            double v = j.get("summary").get(k).asDouble();
            assertTrue(v >= 0 && v <= 1, k + " is a fraction: " + v);
        }
        assertEquals(sum.waMean(), j.get("summary").get("wa_mean").asDouble(), 1e-12);
        assertEquals(4, j.get("per_fold").size());
        assertTrue(Files.readString(dir.resolve("report.md")).contains("| Audio-CNN | A |"));
        try (var files = Files.list(dir.resolve("checkpoints"))) {
            List<Path> ck = files.toList();
            assertEquals(2, ck.size(), "one checkpoint per fold: " + ck);
            TrainedModel back = TrainedModel.read(ck.getFirst());
            assertEquals(cfg, back.config());
            assertEquals("generated", back.metadata().get("dataset"));
        }
        assertFalse(Files.exists(dir.resolve("state")), "a finished cross-validation leaves no empty state folder");
    }

    @Test
    void reportSaysWhatWasRunAndWithWhichSoftware() throws Exception {
        ModelConfig cfg = ModelConfig.of(Variant.AUDIO_CNN, 0, false).withSizes(16, 12, 4, 8, 32);
        List<Example> data = Examples.make(6, 8, 16, 30, false, 5);
        Augmentation aug = new Augmentation(true, 2, 5, 0, 0, 0f, 0f, 0f);
        CrossValidation.Settings s = new CrossValidation.Settings(new TrainingRun.Recipe(cfg,
                TrainerTest.quick(1).withEpochs(2, 1).withAugmentation(aug), null, false), "session", null, 1, 1, Map.of("recipe", "robust"));
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("dataset", "manifest:corpus.tsv");
        info.put("utterances", data.size());
        info.put("trim_silence", true);
        info.put("speaker_norm", "speaker");
        info.put("wave_augment", "none");
        CrossValidation.crossValidate(data, s, new CpuBackend(), dir, info, Report.Figures.NONE, null, new AtomicBoolean());
        JsonNode j = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
        JsonNode p = j.get("protocol");
        assertEquals("session", p.get("folds").asText());
        assertEquals(1, p.get("folds_run").asInt());
        assertEquals(3, p.get("folds_total").asInt(), "6 speakers, two per session: 3 sessions");
        assertEquals(1, p.get("repeats").asInt());
        assertEquals(2, p.get("max_epochs").asInt());
        assertEquals(1, p.get("patience").asInt());
        assertEquals("manifest:corpus.tsv", p.get("dataset").asText());
        JsonNode r = p.get("recipe");
        assertEquals("robust", r.get("name").asText());
        assertTrue(r.get("trim_silence").asBoolean());
        assertEquals("speaker", r.get("speaker_norm").asText());
        assertTrue(r.get("balance").asBoolean(), "the training's own augmentation: " + r);
        assertEquals("2x5,0x0", r.get("spec_augment").asText());
        assertFalse(j.get("config").has("ser4j.model"), "the checkpoint's family marker would name mscnn-spu-att for an audio-cnn run");
        assertEquals("audio-cnn", j.get("config").get("variant").asText());
        assertEquals(Versions.commit(), j.get("versions").get("commit").asText());
        assertEquals(Versions.ser4j(), j.get("versions").get("ser4j").asText());
        String md = Files.readString(dir.resolve("report.md"));
        assertTrue(md.contains("- data set: manifest:corpus.tsv (" + data.size() + " utterances)"), md);
        assertTrue(md.contains("- protocol: session folds, 1 of 3 folds, 1 run per fold, at most 2 epochs (patience 1)"), md);
        assertTrue(md.contains("- recipe: robust (trim_silence true, speaker_norm speaker, wave_augment none, balance true, spec_augment 2x5,0x0"), md);
        assertTrue(md.contains("(commit " + Versions.commit() + ")"), md);
    }
}
