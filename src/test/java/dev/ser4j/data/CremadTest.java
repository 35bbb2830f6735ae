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

/** A small tree in CREMA-D's layout: every emotion and intensity code, badly named files, codes outside CREMA-D's. */
class CremadTest {
    @TempDir
    Path root;

    @BeforeEach
    void makeTree() throws IOException {
        for (String f : List.of("1001_DFA_ANG_XX", "1001_IEO_DIS_HI", "1001_ITS_FEA_LO", "1002_TIE_HAP_MD", "1002_WSI_NEU_XX",
                "1091_ITH_SAD_XX", "1001_DFA_ANG", "1092_DFA_ANG_XX", "1001_XYZ_ANG_XX", "1001_DFA_JOY_XX"))
            TestWav.write(root.resolve("AudioWAV/" + f + ".wav"), 160);
        Files.writeString(root.resolve("AudioWAV/readme.txt"), "not audio");
        Files.writeString(root.resolve("VideoDemographics.csv"), "ActorID,Age,Sex,Race,Ethnicity\n1001,51,Male,Caucasian,Not Hispanic\n");
    }

    private Dataset read(Path dir, DatasetOptions options) {
        return Cremad.read(dir, "cremad:" + dir, options);
    }

    @Test
    void everyEmotionIsAClassUnderItsCommonNameAndTheIntensityIsIgnored() {
        Dataset d = read(root, DatasetOptions.DEFAULT);
        assertEquals(List.of("1001_DFA_ANG_XX", "1001_IEO_DIS_HI", "1001_ITS_FEA_LO", "1002_TIE_HAP_MD", "1002_WSI_NEU_XX", "1091_ITH_SAD_XX"),
                d.utterances().stream().map(Utterance::id).toList());
        assertEquals(List.of("angry", "disgust", "fearful", "happy", "neutral", "sad"), d.utterances().stream().map(Utterance::label).toList());
        assertTrue(d.unused().isEmpty(), d.unused().toString());
    }

    @Test
    void speakerAndSessionAreTheActorAndTheTranscriptTheSentence() {
        Dataset d = read(root, DatasetOptions.DEFAULT);
        assertEquals(new Utterance("1002_TIE_HAP_MD", "1002", "1002", root.resolve("AudioWAV/1002_TIE_HAP_MD.wav"),
                "That is exactly what happened.", "happy"), d.utterances().get(3));
        assertEquals(List.of("Don't forget a jacket.", "It's eleven o'clock.", "I think I've seen this before.", "That is exactly what happened.",
                "We'll stop in a couple of minutes.", "I think I have a doctor's appointment."), d.utterances().stream().map(Utterance::transcript).toList());
        assertEquals(Map.of("1001", 3, "1002", 2, "1091", 1), d.countsBySpeaker());
        assertEquals(Map.of("1001", List.of("1001"), "1002", List.of("1002"), "1091", List.of("1091")), d.speakersBySession());
    }

    @Test
    void everySentenceCodeHasItsSentence() {
        assertEquals(12, Cremad.SENTENCES.size());
        assertEquals("Maybe tomorrow it will be cold.", Cremad.SENTENCES.get("MTI"));
        assertEquals("I would like a new alarm clock.", Cremad.SENTENCES.get("IWL"));
        assertEquals("The surface is slick.", Cremad.SENTENCES.get("TSI"));
    }

    @Test
    void badlyNamedFilesAndCodesOutsideCremadAreSkippedAndReported() {
        Dataset d = read(root, DatasetOptions.DEFAULT);
        Map<String, String> skipped = new TreeMap<>();
        d.skipped().forEach(p -> skipped.put(p.input(), p.reason()));
        assertEquals(4, skipped.size(), d.skipped().toString());
        assertEquals("is not named like CREMA-D's AAAA_SSS_EEE_LL.wav", skipped.get(root.resolve("AudioWAV/1001_DFA_ANG.wav").toString()));
        for (String f : List.of("1092_DFA_ANG_XX", "1001_XYZ_ANG_XX", "1001_DFA_JOY_XX"))
            assertTrue(skipped.get(root.resolve("AudioWAV/" + f + ".wav").toString()).startsWith("has a code outside CREMA-D's"), f);
    }

    @Test
    void strictMakesABadlyNamedFileFatal() {
        InputException e = assertThrows(InputException.class, () -> read(root, DatasetOptions.DEFAULT.withStrict(true)));
        assertTrue(e.getMessage().startsWith(root.resolve("AudioWAV/1001_DFA_ANG.wav") + ": is not named like CREMA-D's"), e.getMessage());
    }

    @Test
    void theWavsMayLieDirectlyInTheFolder(@TempDir Path flat) throws IOException {
        TestWav.write(flat.resolve("1003_IWW_SAD_LO.wav"), 160);
        Files.writeString(flat.resolve("VideoDemographics.csv"), "ActorID\n1003\n");
        Dataset d = read(flat, DatasetOptions.DEFAULT);
        assertEquals(List.of(new Utterance("1003_IWW_SAD_LO", "1003", "1003", flat.resolve("1003_IWW_SAD_LO.wav"), "I wonder what this is about.", "sad")),
                d.utterances());
        assertTrue(d.skipped().isEmpty());
    }

    @Test
    void emoboxFoldsAreRefusedAsUtteranceLevel() {
        Dataset d = read(root, DatasetOptions.DEFAULT);
        assertNull(d.emobox());
        assertEquals("EmoBox's folds for CREMA-D are utterance-level (every speaker in every fold), not speaker-independent", d.emoboxNone());
    }

    @Test
    void openedThroughTheSpecTheClassesChooseTheUtterances() {
        Dataset d = Datasets.open("cremad:" + root, DatasetOptions.DEFAULT);
        assertEquals(Map.of("angry", 1, "happy", 1, "sad", 1, "neutral", 1), d.countsByLabel());
        assertEquals(Map.of("disgust (not in --classes)", 1, "fearful (not in --classes)", 1), d.unused());
        assertNull(d.emobox());
        Dataset six = Datasets.open("CREMAD:" + root, DatasetOptions.DEFAULT.withClasses(
                dev.ser4j.core.Labels.parse("--classes", "angry,disgust,fearful,happy,neutral,sad")));
        assertEquals(6, six.size());
    }

    @Test
    void aFolderWithoutWavsIsOneClearError(@TempDir Path other) throws IOException {
        Files.createDirectories(other.resolve("AudioMP3"));
        InputException e = assertThrows(InputException.class, () -> Datasets.open("cremad:" + other, DatasetOptions.DEFAULT));
        assertTrue(e.getMessage().startsWith("cremad:" + other + ": " + other + " has no WAV files; expected CREMA-D's AudioWAV/AAAA_SSS_EEE_LL.wav"),
                e.getMessage());
    }
}
