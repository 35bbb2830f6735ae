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

/** A small tree in TESS's layout, with the case variations of real copies, a file directly in DIR and badly named files. */
class TessTest {
    @TempDir
    Path root;

    @BeforeEach
    void makeTree() throws IOException {
        for (String f : List.of(
                "OAF_angry/OAF_back_angry.wav",
                "OAF_Fear/OAF_back_fear.wav",
                "OAF_Pleasant_surprise/OAF_back_ps.wav",
                "OAF_neutral/OA_bite_neutral.wav",               // badly named (a real copy has this one)
                "YAF_pleasant_surprised/YAF_dog_ps.wav",
                "YAF_sad/YAF_Dog_Sad.wav",
                "YAF_disgust/YAF_goal_disgust.wav",
                "YAF_happy/YAF_goal_happy.wav",
                "YAF_neutral/OAF_goal_neutral.wav",              // the other speaker's file
                "YAF_angry/YAF_goal_bored.wav",                  // no such emotion
                "YAF_hush_neutral.wav",                          // directly in DIR
                "other/YAF_hush_sad.wav"))                       // not a TESS folder: ignored
            TestWav.write(root.resolve(f), 160);
        Files.writeString(root.resolve("readme.txt"), "TESS");
    }

    private Dataset read(Path dir, DatasetOptions options) {
        return Tess.read(dir, "tess:" + dir, options);
    }

    @Test
    void theFilesLastPartIsTheEmotionWhateverItsCase() {
        Dataset d = read(root, DatasetOptions.DEFAULT);
        assertEquals(List.of("OAF_back_fear", "OAF_back_ps", "OAF_back_angry", "YAF_goal_disgust", "YAF_goal_happy", "YAF_hush_neutral",
                "YAF_dog_ps", "YAF_Dog_Sad"), d.utterances().stream().map(Utterance::id).toList());
        assertEquals(List.of("fearful", "surprised", "angry", "disgust", "happy", "neutral", "surprised", "sad"),
                d.utterances().stream().map(Utterance::label).toList());
        assertTrue(d.unused().isEmpty(), d.unused().toString());
    }

    @Test
    void speakerAndSessionAreOafOrYafAndTheTranscriptTheCarrierPhrase() {
        Dataset d = read(root, DatasetOptions.DEFAULT);
        assertEquals(new Utterance("YAF_Dog_Sad", "YAF", "YAF", root.resolve("YAF_sad/YAF_Dog_Sad.wav"), "Say the word dog.", "sad"),
                d.utterances().get(7));
        assertEquals("Say the word back.", d.utterances().get(0).transcript());
        assertEquals(new Utterance("YAF_hush_neutral", "YAF", "YAF", root.resolve("YAF_hush_neutral.wav"), "Say the word hush.", "neutral"),
                d.utterances().get(5));
        assertEquals(Map.of("OAF", 3, "YAF", 5), d.countsBySpeaker());
        assertEquals(Map.of("OAF", List.of("OAF"), "YAF", List.of("YAF")), d.speakersBySession());
    }

    @Test
    void badlyNamedFilesAreSkippedAndReported() {
        Dataset d = read(root, DatasetOptions.DEFAULT);
        Map<String, String> skipped = new TreeMap<>();
        d.skipped().forEach(p -> skipped.put(p.input(), p.reason()));
        assertEquals(3, skipped.size(), d.skipped().toString());
        assertEquals("is not named like TESS's OAF_<word>_<emotion>.wav or YAF_<word>_<emotion>.wav",
                skipped.get(root.resolve("OAF_neutral/OA_bite_neutral.wav").toString()));
        assertEquals("names speaker OAF but is in YAF_neutral", skipped.get(root.resolve("YAF_neutral/OAF_goal_neutral.wav").toString()));
        assertTrue(skipped.get(root.resolve("YAF_angry/YAF_goal_bored.wav").toString()).startsWith("has the emotion 'bored'"));
    }

    @Test
    void strictMakesABadlyNamedFileFatal() {
        InputException e = assertThrows(InputException.class, () -> read(root, DatasetOptions.DEFAULT.withStrict(true)));
        assertTrue(e.getMessage().startsWith(root.resolve("OAF_neutral/OA_bite_neutral.wav") + ": is not named like TESS's"), e.getMessage());
    }

    @Test
    void emoboxFoldsAreRefusedAsUtteranceLevel() {
        Dataset d = read(root, DatasetOptions.DEFAULT);
        assertNull(d.emobox());
        assertEquals("EmoBox's folds for TESS are utterance-level (every speaker in every fold), not speaker-independent", d.emoboxNone());
    }

    @Test
    void openedThroughTheSpecTheClassesChooseTheUtterances() {
        Dataset d = Datasets.open("tess:" + root, DatasetOptions.DEFAULT);
        assertEquals(Map.of("angry", 1, "happy", 1, "sad", 1, "neutral", 1), d.countsByLabel());
        assertEquals(Map.of("disgust (not in --classes)", 1, "fearful (not in --classes)", 1, "surprised (not in --classes)", 2), d.unused());
    }

    @Test
    void aFolderWithoutTessFoldersOrWavsIsOneClearError(@TempDir Path other) throws IOException {
        TestWav.write(other.resolve("TESS Toronto emotional speech set data/OAF_angry/OAF_back_angry.wav"), 160);
        InputException e = assertThrows(InputException.class, () -> Datasets.open("tess:" + other, DatasetOptions.DEFAULT));
        assertTrue(e.getMessage().startsWith("tess:" + other + ": " + other + " has no OAF_<emotion> or YAF_<emotion> folders and no WAV files"),
                e.getMessage());
    }
}
