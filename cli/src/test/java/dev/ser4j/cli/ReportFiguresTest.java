package dev.ser4j.cli;

import dev.ser4j.core.Labels;
import dev.ser4j.train.CrossValidation;
import dev.ser4j.train.Metrics;
import dev.ser4j.train.Report;
import dev.ser4j.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.*;

/** The command line's report figures: the confusion matrix, and learning curves when the runs trained. */
class ReportFiguresTest {
    @TempDir
    Path dir;

    private static CrossValidation.Run run(String fold, int run, List<Trainer.Epoch> history) {
        Metrics m = Metrics.of(new int[]{0, 1, 2, 3, 0, 1}, new int[]{0, 1, 2, 2, 1, 1}, 4);
        return new CrossValidation.Run(fold, run, run, m, new Trainer.Result(history, history.size(), 0.5, "reached"), 1.0, 10, 2);
    }

    @Test
    void writesConfusionAndLearningCurvesAsPngs() throws Exception {
        List<Trainer.Epoch> h = List.of(new Trainer.Epoch(1, 1.2, 0.4, 0.4, 1, 100), new Trainer.Epoch(2, 0.9, 0.5, 0.5, 1, 100));
        List<CrossValidation.Run> runs = List.of(run("session 1", 1, h), run("session 2", 1, h));
        ReportFigures.PNG.write(dir, "Audio-CNN", Report.summarize(runs, Labels.DEFAULT), runs);
        BufferedImage cm = ImageIO.read(dir.resolve("confusion.png").toFile()), lc = ImageIO.read(dir.resolve("learning-curves.png").toFile());
        assertTrue(cm.getWidth() >= 500 && lc.getWidth() >= 1200, "plots: " + cm.getWidth() + ", " + lc.getWidth());
    }

    @Test
    void anEvaluationWithoutTrainingHasNoLearningCurves() throws Exception {
        List<CrossValidation.Run> runs = List.of(run("held-out", 1, List.of()));
        ReportFigures.PNG.write(dir, "Audio-CNN", Report.summarize(runs, Labels.DEFAULT), runs);
        assertTrue(Files.exists(dir.resolve("confusion.png")));
        assertFalse(Files.exists(dir.resolve("learning-curves.png")));
    }
}
