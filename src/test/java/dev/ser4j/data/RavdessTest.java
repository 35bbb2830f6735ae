package dev.ser4j.data;

import dev.ser4j.core.InputException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A small tree in RAVDESS's layout: speech and song files, a badly named file, codes outside RAVDESS's. */
class RavdessTest {
    @TempDir
    Path root;

    @BeforeEach
    void makeTree() throws IOException {
        for (String f : List.of(
                "Actor_01/03-01-05-01-01-01-01.wav",     // angry, statement 1
                "Actor_01/03-01-02-02-02-01-01.wav",     // calm, statement 2
                "Actor_01/03-01-01-01-01-02-01.wav",     // neutral
                "Actor_01/03-02-05-01-01-01-01.wav",     // song: not used
                "Actor_01/take two.wav",                 // badly named
                "Actor_02/03-01-03-02-01-01-02.wav",     // happy
                "Actor_02/03-01-04-01-02-02-02.wav",     // sad
                "Actor_02/03-01-08-01-01-01-02.wav",     // surprised
                "Actor_02/03-01-06-01-01-01-02.wav",     // fearful
                "Actor_02/03-01-07-01-01-01-02.wav",     // disgust
                "Actor_02/03-01-09-01-01-01-02.wav",     // emotion 09: no such code
                "Actor_02/03-01-05-01-01-01-01.wav",     // actor 01's file in Actor_02
                "Actor_02/01-01-05-01-01-01-02.wav",     // full AV: not used
                "Actor_02/._03-01-05-01-01-01-02.wav"))  // macOS resource fork: hidden
            TestWav.write(root.resolve(f), 160);
        Files.writeString(root.resolve("Actor_01/notes.txt"), "not audio");
        Files.createDirectories(root.resolve("Video_Speech"));
    }

    private Dataset read(DatasetOptions options) {
        return Ravdess.read(root, "ravdess:" + root, options);
    }

    @Test
    void everyEmotionIsAClassUnderItsCommonName() {
        Dataset d = read(DatasetOptions.DEFAULT);
        assertEquals(Map.of("angry", 1, "calm", 1, "neutral", 1, "happy", 1, "sad", 1, "surprised", 1, "fearful", 1, "disgust", 1),
                d.countsByLabel());
        assertEquals(List.of("03-01-01-01-01-02-01", "03-01-02-02-02-01-01", "03-01-05-01-01-01-01"),
                d.utterances().subList(0, 3).stream().map(Utterance::id).toList());
        assertEquals(List.of("neutral", "calm", "angry"), d.utterances().subList(0, 3).stream().map(Utterance::label).toList());
    }

    @Test
    void songAndOtherModalitiesAreCountedAsUnused() {
        assertEquals(Map.of("song", 1, "modality 01", 1), read(DatasetOptions.DEFAULT).unused());
    }

    @Test
    void speakerAndSessionAreTheActorAndTheTranscriptTheStatement() {
        Dataset d = read(DatasetOptions.DEFAULT);
        Utterance calm = d.utterances().get(1);
        assertEquals(new Utterance("03-01-02-02-02-01-01", "Actor_01", "Actor_01", root.resolve("Actor_01/03-01-02-02-02-01-01.wav"),
                "Dogs are sitting by the door.", "calm"), calm);
        assertEquals("Kids are talking by the door.", d.utterances().get(2).transcript());
        assertEquals(Map.of("Actor_01", List.of("Actor_01"), "Actor_02", List.of("Actor_02")), d.speakersBySession());
        assertEquals(Map.of("Actor_01", 3, "Actor_02", 5), d.countsBySpeaker());
    }

    @Test
    void badlyNamedFilesAndCodesOutsideRavdessAreSkippedAndReported() {
        Dataset d = read(DatasetOptions.DEFAULT);
        Map<String, String> skipped = new TreeMap<>();
        d.skipped().forEach(p -> skipped.put(p.input(), p.reason()));
        assertEquals(3, d.skipped().size(), d.skipped().toString());
        assertEquals("is not named like RAVDESS's 03-01-EE-II-SS-RR-AA.wav", skipped.get(root.resolve("Actor_01/take two.wav").toString()));
        assertTrue(skipped.get(root.resolve("Actor_02/03-01-09-01-01-01-02.wav").toString()).contains("outside RAVDESS's codes"));
        assertEquals("names actor 01 but is in Actor_02", skipped.get(root.resolve("Actor_02/03-01-05-01-01-01-01.wav").toString()));
        assertTrue(d.warnings().isEmpty(), d.warnings().toString());
    }

    @Test
    void strictMakesABadlyNamedFileFatal() {
        InputException e = assertThrows(InputException.class, () -> read(DatasetOptions.DEFAULT.withStrict(true)));
        assertTrue(e.getMessage().startsWith(root.resolve("Actor_01/take two.wav") + ": is not named like RAVDESS's"), e.getMessage());
        assertTrue(e.getMessage().endsWith("(fatal with --strict)"), e.getMessage());
    }

    @Test
    void emoboxPlanHasSixFoldsOfFourActors() {
        Dataset d = read(DatasetOptions.DEFAULT);
        assertEquals(Ravdess.EMOBOX, d.emobox());
        assertNull(d.emoboxNone());
        assertEquals(24, d.emobox().folds().size());
        Map<String, List<String>> byFold = new TreeMap<>();
        d.emobox().folds().forEach((actor, fold) -> byFold.computeIfAbsent(fold, k -> new java.util.ArrayList<>()).add(actor));
        assertEquals(List.of("1", "2", "3", "4", "5", "6"), List.copyOf(byFold.keySet()));
        assertEquals(List.of("Actor_01", "Actor_11", "Actor_20", "Actor_21"), byFold.get("1"));
        assertEquals(List.of("Actor_06", "Actor_13", "Actor_17", "Actor_22"), byFold.get("6"));
        assertEquals("1", d.emobox().foldOf("03-01-05-01-01-01-01", "Actor_01", "Actor_01"));
        assertEquals("5", d.emobox().foldOf("03-01-03-02-01-01-02", "Actor_02", "Actor_02"));
    }

    @Test
    void openedThroughTheSpecTheDefaultClassesKeepAngryHappySadNeutral() {
        Dataset d = Datasets.open("ravdess:" + root, DatasetOptions.DEFAULT);
        assertEquals("ravdess:" + root, d.name());
        assertEquals(Map.of("angry", 1, "happy", 1, "sad", 1, "neutral", 1), d.countsByLabel());
        assertEquals(Map.of("calm (not in --classes)", 1, "surprised (not in --classes)", 1, "fearful (not in --classes)", 1,
                "disgust (not in --classes)", 1, "song", 1, "modality 01", 1), d.unused());
        assertEquals(Ravdess.EMOBOX, d.emobox(), "the plan survives --classes");
        Dataset eight = Datasets.open("ravdess:" + root, DatasetOptions.DEFAULT.withClasses(
                dev.ser4j.core.Labels.parse("--classes", "neutral,calm,happy,sad,angry,fearful,disgust,surprised")));
        assertEquals(8, eight.size());
    }

    @Test
    void aFolderWithoutActorFoldersIsOneClearError(@TempDir Path other) throws IOException {
        TestWav.write(other.resolve("03-01-05-01-01-01-01.wav"), 160);
        InputException e = assertThrows(InputException.class, () -> Datasets.open("ravdess:" + other, DatasetOptions.DEFAULT));
        assertTrue(e.getMessage().startsWith("ravdess:" + other + ": " + other + " has no Actor_01 .. Actor_24 folders"), e.getMessage());
    }
}
