package dev.ser4j.cli;

import dev.ser4j.io.Progress;
import dev.ser4j.train.Trainer;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The recipe's training length, and the flags that override it. */
class TrainingOptionsTest {
    private static Trainer.Config config(TrainingOptions.Recipe dflt, String... args) {
        TrainingOptions o = new TrainingOptions();
        new CommandLine(o).parseArgs(args);
        return o.config(Progress.NONE, dflt);
    }

    @Test
    void eachRecipeTrainsAsLongAsItsOwnDefaultsSay() {
        Trainer.Config paper = config(TrainingOptions.Recipe.PAPER);
        assertEquals(50, paper.maxEpochs());
        assertEquals(8, paper.patience());
        Trainer.Config robust = config(TrainingOptions.Recipe.PAPER, "--recipe", "robust");
        assertEquals(80, robust.maxEpochs());
        assertEquals(12, robust.patience());
        Trainer.Config byDefault = config(TrainingOptions.Recipe.ROBUST);
        assertEquals(80, byDefault.maxEpochs());
    }

    @Test
    void epochsAndPatienceGivenOverrideTheRecipe() {
        Trainer.Config c = config(TrainingOptions.Recipe.ROBUST, "--epochs", "7", "--patience", "2");
        assertEquals(7, c.maxEpochs());
        assertEquals(2, c.patience());
        assertEquals(50, config(TrainingOptions.Recipe.ROBUST, "--recipe", "paper").maxEpochs());
    }
}
