package dev.ser4j.cli;

import dev.ser4j.synth.CorpusGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** cv and experiment on a small synthetic corpus made by the real generator (espeak-ng; skipped where it is missing). */
class SynthPipelineTest {
    @TempDir
    Path dir;

    @Test
    void crossValidationAndTableOneRunOnASynthesisedCorpus() throws Exception {
        // 48 utterances: speakers rotate every 4 utterances (docs/corpus.md A4), so 12 speakers in 6 sessions
        assumeTrue(espeakInstalled(), "espeak-ng is not installed (apt-get install espeak-ng): synthetic-corpus pipeline test skipped");
        Path corpus = dir.resolve("corpus");
        CorpusGenerator.generate(corpus, 48, 7, 2, () -> {});
        PipelineEndToEndTest.Run cv = PipelineEndToEndTest.ser4j("cv", "--data", "synth:" + corpus, "--variant", "mscnn-spu-att",
                "--xvectors", "speaker-stats", "--folds", "session", "--repeats", "1", "--max-folds", "1", "--epochs", "2",
                "--batch-size", "8", "--backend", "cpu", "--out", dir.resolve("cv").toString());
        assertEquals(0, cv.code(), cv.out() + cv.err());
        assertTrue(cv.out().contains("48 utterances (angry 12, happy 12, neutral 12, sad 12), 12 speakers in 6 sessions"), cv.out());
        PipelineEndToEndTest.Run t1 = PipelineEndToEndTest.ser4j("experiment", "table1", "--data", "synth:" + corpus, "--xvectors",
                "speaker-stats", "--folds", "session", "--repeats", "1", "--max-folds", "1", "--epochs", "1", "--batch-size", "8",
                "--backend", "cpu", "--out", dir.resolve("t1").toString());
        assertEquals(0, t1.code(), t1.out() + t1.err());
        assertTrue(Files.readString(dir.resolve("t1").resolve("table.md")).contains("| MSCNN-SPU-ATT | A+T |"));
    }

    private static boolean espeakInstalled() {
        try {
            return new ProcessBuilder("espeak-ng", "--version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
