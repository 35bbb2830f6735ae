package dev.ser4j.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ser4j.core.ModelConfig;
import dev.ser4j.core.Variant;
import dev.ser4j.cpu.CpuBackend;
import dev.ser4j.model.Example;
import dev.ser4j.model.TrainedModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** A small cross-validation end to end: the run directory holds the report, the figures and a checkpoint per fold. */
class ReportTest {
    @TempDir
    Path dir;

    @Test
    void crossValidationWritesReportFiguresAndCheckpoints() throws Exception {
        ModelConfig cfg = ModelConfig.of(Variant.AUDIO_CNN, 0, false).withSizes(16, 12, 4, 8, 32);
        List<Example> data = Examples.make(6, 16, 16, 30, false, 4);
        CrossValidation.Settings s = new CrossValidation.Settings(new TrainingRun.Recipe(cfg,
                TrainerTest.quick(1).withEpochs(3, 2), null, false), "session", null, 2, 2, Map.of("dataset", "generated"));
        List<CrossValidation.Run> runs = CrossValidation.run(data, s, new CpuBackend(), dir, null);
        assertEquals(4, runs.size(), "2 folds x 2 runs");
        List<Report.Summary> drawn = new ArrayList<>();
        Report.Summary sum = Report.write(dir, cfg, "session", 2, Map.of("dataset", "generated"), runs, 1.0, (d, method, s2, rs) -> {
            assertEquals(dir, d);
            assertEquals("Audio-CNN", method);
            assertEquals(runs, rs);
            drawn.add(s2);
        });
        assertEquals(List.of(sum), drawn, "the figures are drawn once, from the report's summary");
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
    }
}
