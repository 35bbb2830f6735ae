package dev.ser4j.data;

import dev.ser4j.core.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatasetsTest {
    @TempDir
    Path dir;

    /** The synthetic corpus layout of corpus.md A6, with its first manifest lines. */
    private void synthCorpus() throws IOException {
        Files.writeString(dir.resolve("manifest.tsv"), """
                id\tspeaker\temotion\ttranscript\tpath
                S1M_00000\tS1M\tneutral\tThe instructions are printed on the back of the box.\twav/S1M/S1M_00000.wav
                S1M_00001\tS1M\thappy\tReally? Are you sure about that?\twav/S1M/S1M_00001.wav
                S3F_00002\tS3F\tangry\tNothing ever goes right for me.\twav/S3F/S3F_00002.wav
                """);
        for (String p : List.of("wav/S1M/S1M_00000.wav", "wav/S1M/S1M_00001.wav", "wav/S3F/S3F_00002.wav"))
            TestWav.write(dir.resolve(p), 1600);
    }

    @Test
    void synthSpecReadsTheCorpusManifestWithSessionsFromSpeakers() throws IOException {
        synthCorpus();
        Dataset d = Datasets.open("synth:" + dir, DatasetOptions.DEFAULT);
        assertEquals("synth:" + dir, d.name());
        assertEquals(new Utterance("S1M_00001", "S1M", "1", dir.resolve("wav/S1M/S1M_00001.wav"), "Really? Are you sure about that?", "happy"),
                d.utterances().get(1));
        assertEquals("3", d.utterances().get(2).session());
        assertEquals(Map.of("S1M", 2, "S3F", 1), d.countsBySpeaker());
        assertTrue(d.skipped().isEmpty() && d.warnings().isEmpty());
    }

    @Test
    void manifestSpecReadsAManifestFile() throws IOException {
        synthCorpus();
        assertEquals(3, Datasets.open("manifest:" + dir.resolve("manifest.tsv"), DatasetOptions.DEFAULT).size());
    }

    @Test
    void asrLinesWithoutAnUtteranceIdAreErrorsNamingTheLine() {
        assertEquals(Map.of("u1", "hello there"), Datasets.parseAsr("asr.tsv", List.of("id\ttext", "u1\t hello there ")));
        // fuzzing finding: a line whose id is only whitespace ("\f\t,") gave a transcript for the utterance ""
        for (String line : List.of("\f\t,", "  \tyes", "\tyes", "no tab")) {
            InputException e = assertThrows(InputException.class, () -> Datasets.parseAsr("asr.tsv", List.of("u1\tok", line)), line);
            assertEquals("asr.tsv:2: is not 'utterance-id<TAB>text'", e.getMessage());
        }
    }

    @Test
    void unknownSchemeMissingPathAndNoSchemeNameTheSpecAndTheAcceptedForms() {
        for (String spec : List.of("librispeech:" + dir, "iemocap:" + dir.resolve("none"), "manifest:" + dir, "synth:" + dir,
                "iemocap:", "/data/iemocap")) {
            InputException e = assertThrows(InputException.class, () -> Datasets.open(spec, DatasetOptions.DEFAULT), spec);
            assertTrue(e.getMessage().startsWith(spec + ": "), e.getMessage());
            assertTrue(e.getMessage().contains("iemocap:DIR") || e.getMessage().contains("manifest.tsv"), e.getMessage());
        }
    }
}
