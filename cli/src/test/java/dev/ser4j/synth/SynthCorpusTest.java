package dev.ser4j.synth;

import dev.ser4j.audio.Wav;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Small corpora through espeak-ng (docs/corpus.md, A9's tests): determinism, the prefix property, balance,
 * the WAV format and durations, the manifest, and that a failed run leaves no manifest. Skipped, with the
 * reason, where espeak-ng is not installed.
 */
class SynthCorpusTest {
    static final long SEED = 20240;
    static final int N = 12;

    @TempDir
    static Path dir;
    static Path twoWorkers, oneWorker;

    @BeforeAll
    static void generate() throws IOException {
        if (!SynthEspeakTest.installed()) return;
        twoWorkers = dir.resolve("a");
        oneWorker = dir.resolve("b");
        CorpusGenerator.generate(twoWorkers, N, SEED, 2, () -> {});
        CorpusGenerator.generate(oneWorker, N, SEED, 1, () -> {});
    }

    static List<String> lines(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8);
    }

    @Test
    void sameSeedGivesByteIdenticalCorporaWhateverTheWorkers() throws IOException {
        SynthEspeakTest.needEspeak();
        assertArrayEquals(Files.readAllBytes(twoWorkers.resolve("manifest.tsv")), Files.readAllBytes(oneWorker.resolve("manifest.tsv")));
        assertArrayEquals(Files.readAllBytes(twoWorkers.resolve("meta.tsv")), Files.readAllBytes(oneWorker.resolve("meta.tsv")));
        for (String line : lines(twoWorkers.resolve("manifest.tsv")).subList(1, N + 1)) {
            String path = line.split("\t")[4];
            assertArrayEquals(Files.readAllBytes(twoWorkers.resolve(path)), Files.readAllBytes(oneWorker.resolve(path)), path);
        }
    }

    @Test
    void aSmallerCorpusIsThePrefixOfABiggerOne() throws IOException {
        SynthEspeakTest.needEspeak();
        Path small = dir.resolve("small");
        CorpusGenerator.generate(small, 5, SEED, 2, () -> {});
        List<String> big = lines(twoWorkers.resolve("manifest.tsv")), prefix = lines(small.resolve("manifest.tsv"));
        assertEquals(big.subList(0, 6), prefix);
        assertEquals(lines(twoWorkers.resolve("meta.tsv")).subList(0, 6), lines(small.resolve("meta.tsv")));
        for (String line : prefix.subList(1, 6)) {
            String path = line.split("\t")[4];
            assertArrayEquals(Files.readAllBytes(twoWorkers.resolve(path)), Files.readAllBytes(small.resolve(path)), path);
        }
    }

    @Test
    void manifestHasTheColumnsRelativePathsAndBalance() throws IOException {
        SynthEspeakTest.needEspeak();
        List<String> m = lines(twoWorkers.resolve("manifest.tsv"));
        assertEquals("id\tspeaker\temotion\ttranscript\tpath", m.get(0));
        assertEquals(N + 1, m.size());
        for (int i = 1; i <= N; i++) {
            String[] c = m.get(i).split("\t", -1);
            assertEquals(5, c.length, m.get(i));
            assertEquals(String.format("%s_%05d", c[1], i - 1), c[0]);
            assertEquals("wav/" + c[1] + "/" + c[0] + ".wav", c[4]);
            assertTrue(Files.isRegularFile(twoWorkers.resolve(c[4])), c[4]);
            assertFalse(c[3].isBlank());
        }
        Map<String, Long> perEmotion = m.subList(1, N + 1).stream().map(l -> l.split("\t")[2])
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertEquals(Map.of("neutral", 3L, "happy", 3L, "angry", 3L, "sad", 3L), perEmotion);
        List<String> speakers = m.subList(1, N + 1).stream().map(l -> l.split("\t")[1]).distinct().toList();
        assertEquals(List.of("S1M", "S1F", "S2M"), speakers);
        assertEquals(18, lines(twoWorkers.resolve("meta.tsv")).get(0).split("\t").length);
    }

    @Test
    void everyWavIs16kHzMono16BitAndBetween08And8Seconds() throws IOException {
        SynthEspeakTest.needEspeak();
        for (String line : lines(twoWorkers.resolve("manifest.tsv")).subList(1, N + 1)) {
            Path wav = twoWorkers.resolve(line.split("\t")[4]);
            Wav w = Wav.read(wav);
            assertEquals(16000, w.sampleRate());
            assertEquals(1, w.channels());
            assertEquals(Wav.Encoding.PCM_S16, w.encoding());
            assertEquals(44 + 2L * w.samples().length, Files.size(wav), "the standard 44-byte header");
            assertTrue(w.seconds() >= 0.8 && w.seconds() <= 8, wav + " lasts " + w.seconds() + " s");
        }
    }

    @Test
    void aFailedRunLeavesNoManifest() throws IOException {
        SynthEspeakTest.needEspeak();
        Path root = dir.resolve("broken");
        Files.createDirectories(root.resolve("wav"));
        Files.writeString(root.resolve("manifest.tsv"), "id\tspeaker\temotion\ttranscript\tpath\nold\n");
        Files.writeString(root.resolve("wav/S1F"), "a file where S1F's directory should be");
        assertThrows(FileSystemException.class, () -> CorpusGenerator.generate(root, 8, SEED, 2, () -> {}));
        assertFalse(Files.exists(root.resolve("manifest.tsv")), "the old manifest is gone and no new one was written");
        assertFalse(Files.exists(root.resolve("meta.tsv")));
    }
}
