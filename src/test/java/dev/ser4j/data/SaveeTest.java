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

/** A small tree in SAVEE's layout: the one- and two-letter emotion codes, four speakers, badly named files. */
class SaveeTest {
    @TempDir
    Path root;

    @BeforeEach
    void makeTree() throws IOException {
        for (String f : List.of("DC/a01", "DC/sa01", "DC/su15", "JE/d02", "JE/n30", "JK/f01", "KL/h03", "KL/s01", "KL/a1", "KL/x01"))
            TestWav.write(root.resolve("AudioData/" + f + ".wav"), 160);
        TestWav.write(root.resolve("AudioData/XX/a01.wav"), 160);      // not a SAVEE speaker: ignored
        Files.writeString(root.resolve("AudioData/Info.txt"), "SAVEE");
    }

    private Dataset read(Path dir, DatasetOptions options) {
        return Savee.read(dir, "savee:" + dir, options);
    }

    @Test
    void oneAndTwoLetterCodesBecomeTheCommonClassNames() {
        Dataset d = read(root, DatasetOptions.DEFAULT);
        assertEquals(List.of("DC_a01", "DC_sa01", "DC_su15", "JE_d02", "JE_n30", "JK_f01", "KL_h03"), d.utterances().stream().map(Utterance::id).toList());
        assertEquals(List.of("angry", "sad", "surprised", "disgust", "neutral", "fearful", "happy"), d.utterances().stream().map(Utterance::label).toList());
        assertTrue(d.unused().isEmpty(), d.unused().toString());
    }

    @Test
    void speakerAndSessionAreTheFolderAndThereIsNoTranscript() {
        Dataset d = read(root, DatasetOptions.DEFAULT);
        assertEquals(new Utterance("DC_sa01", "DC", "DC", root.resolve("AudioData/DC/sa01.wav"), "", "sad"), d.utterances().get(1));
        assertEquals(Map.of("DC", 3, "JE", 2, "JK", 1, "KL", 1), d.countsBySpeaker());
        assertEquals(Map.of("DC", List.of("DC"), "JE", List.of("JE"), "JK", List.of("JK"), "KL", List.of("KL")), d.speakersBySession());
        assertTrue(d.utterances().stream().allMatch(u -> u.transcript().isEmpty()));
    }

    @Test
    void badlyNamedFilesAreSkippedAndReported() {
        Dataset d = read(root, DatasetOptions.DEFAULT);
        Map<String, String> skipped = new TreeMap<>();
        d.skipped().forEach(p -> skipped.put(p.input(), p.reason()));
        assertEquals(3, skipped.size(), d.skipped().toString());
        for (String f : List.of("KL/s01", "KL/a1", "KL/x01"))
            assertEquals("is not named like SAVEE's <e><nn>.wav with e one of a d f h n sa su (e.g. sa01.wav)",
                    skipped.get(root.resolve("AudioData/" + f + ".wav").toString()), f);
    }

    @Test
    void strictMakesABadlyNamedFileFatal() {
        InputException e = assertThrows(InputException.class, () -> read(root, DatasetOptions.DEFAULT.withStrict(true)));
        assertTrue(e.getMessage().startsWith(root.resolve("AudioData/KL/a1.wav") + ": is not named like SAVEE's"), e.getMessage());
    }

    @Test
    void theSpeakerFoldersMayLieDirectlyInTheFolder(@TempDir Path flat) throws IOException {
        TestWav.write(flat.resolve("JK/su02.wav"), 160);
        Dataset d = read(flat, DatasetOptions.DEFAULT);
        assertEquals(List.of(new Utterance("JK_su02", "JK", "JK", flat.resolve("JK/su02.wav"), "", "surprised")), d.utterances());
    }

    @Test
    void emoboxPlanLeavesOneSpeakerOutInEmoboxsOrder() {
        Dataset d = read(root, DatasetOptions.DEFAULT);
        assertEquals(Savee.EMOBOX, d.emobox());
        assertNull(d.emoboxNone());
        assertEquals(Map.of("JE", "1", "KL", "2", "DC", "3", "JK", "4"), d.emobox().folds());
        assertEquals(List.of("JE", "KL", "DC", "JK"), List.copyOf(d.emobox().folds().keySet()));
        assertEquals("3", d.emobox().foldOf("DC_a01", "DC", "DC"));
    }

    @Test
    void openedThroughTheSpecTheClassesChooseTheUtterances() {
        Dataset d = Datasets.open("savee:" + root, DatasetOptions.DEFAULT);
        assertEquals(Map.of("angry", 1, "happy", 1, "sad", 1, "neutral", 1), d.countsByLabel());
        assertEquals(Map.of("disgust (not in --classes)", 1, "fearful (not in --classes)", 1, "surprised (not in --classes)", 1), d.unused());
        assertEquals(Savee.EMOBOX, d.emobox());
    }

    @Test
    void aFolderWithoutSpeakerFoldersIsOneClearError(@TempDir Path other) throws IOException {
        TestWav.write(other.resolve("AudioData/a01.wav"), 160);
        InputException e = assertThrows(InputException.class, () -> Datasets.open("savee:" + other, DatasetOptions.DEFAULT));
        assertTrue(e.getMessage().startsWith("savee:" + other + ": " + other.resolve("AudioData") + " has no DC, JE, JK or KL folders"), e.getMessage());
    }
}
