package dev.ser4j.cli;

import dev.ser4j.core.InputException;
import dev.ser4j.io.Progress;
import dev.ser4j.train.Trainer;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The recipe's training length and weight averaging, and the flags that override them. */
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

    @Test
    void onlyTheRobustRecipeAveragesTheWeightsAndTheFlagOverridesIt() {
        assertEquals(0f, config(TrainingOptions.Recipe.PAPER).average());
        assertEquals(0.75f, config(TrainingOptions.Recipe.ROBUST).average());
        assertEquals(0f, config(TrainingOptions.Recipe.ROBUST, "--average", "0").average());
        assertEquals(0.5f, config(TrainingOptions.Recipe.PAPER, "--average", "0.5").average());
        InputException e = assertThrows(InputException.class, () -> config(TrainingOptions.Recipe.PAPER, "--average", "1"));
        assertEquals("--average: 1.0 is not an averaging factor in [0, 1)", e.getMessage());
    }

    @Test
    void onlyTheRobustRecipeAddsTheAudioOnlyPassAndTheFlagOverridesIt() {
        assertEquals(false, config(TrainingOptions.Recipe.PAPER).augment().audioOnlyPass());
        assertEquals(true, config(TrainingOptions.Recipe.ROBUST).augment().audioOnlyPass());
        assertEquals(false, config(TrainingOptions.Recipe.ROBUST, "--audio-only-pass", "false").augment().audioOnlyPass());
        assertEquals(true, config(TrainingOptions.Recipe.PAPER, "--audio-only-pass", "true").augment().audioOnlyPass());
        assertThrows(CommandLine.ParameterException.class, () -> config(TrainingOptions.Recipe.PAPER, "--audio-only-pass", "maybe"));
    }
}
