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

/** A small tree in EmoDB's layout: every German emotion letter, the release's other folders, badly named files. */
class EmodbTest {
    @TempDir
    Path root;

    @BeforeEach
    void makeTree() throws IOException {
        for (String f : List.of("03a01Wa", "03a01Lb", "08b10Ec", "09a07Aa", "10b01Fd", "16a02Ta", "16b03Nb",
                "03a01W", "04a01Wa", "03a08Wa", "03b11Wa", "03a01Xa"))
            TestWav.write(root.resolve("wav/" + f + ".wav"), 160);
        Files.createDirectories(root.resolve("labsilb"));
        Files.writeString(root.resolve("labsilb/03a01Wa.lab"), "0.0 a\n");
        Files.writeString(root.resolve("erklaerung.txt"), "Erklaerung");
    }

    private Dataset read(Path dir, DatasetOptions options) {
        return Emodb.read(dir, "emodb:" + dir, options);
    }

    @Test
    void theGermanEmotionLettersBecomeTheCommonClassNames() {
        Dataset d = read(root, DatasetOptions.DEFAULT);
        assertEquals(List.of("03a01Lb", "03a01Wa", "08b10Ec", "09a07Aa", "10b01Fd", "16a02Ta", "16b03Nb"),
                d.utterances().stream().map(Utterance::id).toList());
        assertEquals(List.of("boredom", "angry", "disgust", "fearful", "happy", "sad", "neutral"),
                d.utterances().stream().map(Utterance::label).toList());
        assertTrue(d.unused().isEmpty(), d.unused().toString());
    }

    @Test
    void speakerAndSessionAreTheSpeakerCodeAndThereIsNoTranscript() {
        Dataset d = read(root, DatasetOptions.DEFAULT);
        assertEquals(new Utterance("08b10Ec", "08", "08", root.resolve("wav/08b10Ec.wav"), "", "disgust"), d.utterances().get(2));
        assertTrue(d.utterances().stream().allMatch(u -> u.transcript().isEmpty()));
        assertEquals(Map.of("03", 2, "08", 1, "09", 1, "10", 1, "16", 2), d.countsBySpeaker());
        assertEquals(List.of("03"), d.speakersBySession().get("03"));
    }

    @Test
    void badlyNamedFilesAndCodesOutsideEmodbAreSkippedAndReported() {
        Dataset d = read(root, DatasetOptions.DEFAULT);
        Map<String, String> skipped = new TreeMap<>();
        d.skipped().forEach(p -> skipped.put(p.input(), p.reason()));
        assertEquals(5, skipped.size(), d.skipped().toString());
        assertEquals("is not named like EmoDB's SSTTTEv.wav (e.g. 03a01Wa.wav)", skipped.get(root.resolve("wav/03a01W.wav").toString()));
        for (String f : List.of("04a01Wa", "03a08Wa", "03b11Wa", "03a01Xa"))
            assertTrue(skipped.get(root.resolve("wav/" + f + ".wav").toString()).startsWith("has a code outside EmoDB's"), f);
    }

    @Test
    void strictMakesABadlyNamedFileFatal() {
        InputException e = assertThrows(InputException.class, () -> read(root, DatasetOptions.DEFAULT.withStrict(true)));
        assertTrue(e.getMessage().startsWith(root.resolve("wav/03a01W.wav") + ": is not named like EmoDB's"), e.getMessage());
    }

    @Test
    void theWavsMayLieDirectlyInTheFolder(@TempDir Path flat) throws IOException {
        TestWav.write(flat.resolve("11a05Fb.wav"), 160);
        Dataset d = read(flat, DatasetOptions.DEFAULT);
        assertEquals(List.of(new Utterance("11a05Fb", "11", "11", flat.resolve("11a05Fb.wav"), "", "happy")), d.utterances());
    }

    @Test
    void emoboxFoldsAreRefusedAsUtteranceLevel() {
        Dataset d = read(root, DatasetOptions.DEFAULT);
        assertNull(d.emobox());
        assertEquals("EmoBox's folds for EmoDB are utterance-level (every speaker in every fold), not speaker-independent", d.emoboxNone());
    }

    @Test
    void openedThroughTheSpecTheClassesChooseTheUtterances() {
        Dataset d = Datasets.open("emodb:" + root, DatasetOptions.DEFAULT);
        assertEquals(Map.of("angry", 1, "happy", 1, "sad", 1, "neutral", 1), d.countsByLabel());
        assertEquals(Map.of("boredom (not in --classes)", 1, "disgust (not in --classes)", 1, "fearful (not in --classes)", 1), d.unused());
        Dataset two = Datasets.open("emodb:" + root, DatasetOptions.DEFAULT.withClasses(dev.ser4j.core.Labels.parse("--classes", "boredom,neutral")));
        assertEquals(List.of("03a01Lb", "16b03Nb"), two.utterances().stream().map(Utterance::id).toList());
    }

    @Test
    void aFolderWithoutWavsIsOneClearError(@TempDir Path other) {
        InputException e = assertThrows(InputException.class, () -> Datasets.open("emodb:" + other, DatasetOptions.DEFAULT));
        assertTrue(e.getMessage().startsWith("emodb:" + other + ": " + other + " has no WAV files; expected EmoDB's wav/SSTTTEv.wav"), e.getMessage());
    }
}
