package dev.ser4j.data;

import dev.ser4j.core.InputException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MELD's three label CSVs in the release's syntax (quoted fields with commas and doubled quotes, the extra columns),
 * with WAVs in each of the folders searched, rows without audio and malformed rows.
 */
class MeldTest {
    @TempDir
    Path root;

    private static final String HEADER = "Sr No.,Utterance,Speaker,Emotion,Sentiment,Dialogue_ID,Utterance_ID,Season,Episode,StartTime,EndTime\n";

    private static final String TRAIN = HEADER + """
            1,also I was the point person on my company's transition from the KL-5 to GR-6 system.,Chandler,neutral,neutral,0,0,8,21,"00:16:16,059","00:16:21,731"
            2,"Oh my God, ""Monica""!",Monica,joy,positive,0,1,8,21,"00:16:21,940","00:16:23,442"
            3,"No, no, no!",Ross,anger,negative,1,0,3,12,"00:01:02,000","00:01:03,000"
            4,I'm sorry.,Ross,sadness,negative,1,1,3,12,"00:01:04,000","00:01:05,000"
            5,Yay!,Phoebe,happiness,positive,1,2,3,12,"00:01:06,000","00:01:07,000"
            6,What?,Joey,surprise,neutral,x,3,3,12,"00:01:08,000","00:01:09,000"
            7,Short row,Joey,neutral
            8,Again.,Chandler,neutral,neutral,0,0,8,21,"00:16:16,059","00:16:21,731"
            """;

    private static final String DEV = HEADER + """
            1,Oh my God!,Rachel,fear,negative,0,0,1,5,"00:00:01,000","00:00:02,000"
            2,Really?,,surprise,positive,0,1,1,5,"00:00:03,000","00:00:04,000"
            """;

    private static final String TEST = HEADER + """
            1,Ew.,Monica,disgust,negative,0,0,2,7,"00:00:01,000","00:00:02,000"
            2,I miss him.,Rachel,sadness,negative,0,1,2,7,"00:00:03,000","00:00:04,000"
            """;

    @BeforeEach
    void makeTree() throws IOException {
        Files.writeString(root.resolve("train_sent_emo.csv"), TRAIN);
        Files.writeString(root.resolve("dev_sent_emo.csv"), DEV);
        Files.writeString(root.resolve("test_sent_emo.csv"), TEST);
        for (String f : List.of("train_wav/dia0_utt0", "train/dia0_utt1", "wav/train/dia1_utt0", "train/train_splits_not_searched/dia1_utt1",
                "dev_wav/dia0_utt0", "dev_splits_complete/dia0_utt1", "wav/test/dia0_utt0", "test/dia0_utt1"))
            TestWav.write(root.resolve(f + ".wav"), 160);
        Files.writeString(root.resolve("train_wav/dia0_utt0.mp4"), "video");
    }

    private Dataset read(Path dir, DatasetOptions options) {
        return Meld.read(dir, "meld:" + dir, options);
    }

    @Test
    void emotionsBecomeTheCommonClassNamesAndIdsAreUniqueAcrossSplits() {
        Dataset d = read(root, DatasetOptions.DEFAULT);
        assertEquals(List.of("train-dia0_utt0", "train-dia0_utt1", "train-dia1_utt0", "dev-dia0_utt0", "dev-dia0_utt1", "test-dia0_utt0", "test-dia0_utt1"),
                d.utterances().stream().map(Utterance::id).toList());
        assertEquals(List.of("neutral", "happy", "angry", "fearful", "surprised", "disgust", "sad"), d.utterances().stream().map(Utterance::label).toList());
    }

    @Test
    void speakerIsTheSpeakerColumnSessionTheSplitAndTranscriptTheUtterance() {
        Dataset d = read(root, DatasetOptions.DEFAULT);
        assertEquals(new Utterance("train-dia0_utt1", "Monica", "train", root.resolve("train/dia0_utt1.wav"), "Oh my God, \"Monica\"!", "happy"),
                d.utterances().get(1));
        assertEquals("also I was the point person on my company's transition from the KL-5 to GR-6 system.", d.utterances().get(0).transcript());
        assertEquals("unknown", d.utterances().get(4).speaker(), "an empty Speaker");
        assertEquals(Map.of("dev", List.of("Rachel", "unknown"), "test", List.of("Monica", "Rachel"), "train", List.of("Chandler", "Monica", "Ross")),
                d.speakersBySession());
    }

    @Test
    void theWavIsLookedForInEachFolderInOrder() {
        Dataset d = read(root, DatasetOptions.DEFAULT);
        assertEquals(List.of(root.resolve("train_wav/dia0_utt0.wav"), root.resolve("train/dia0_utt1.wav"), root.resolve("wav/train/dia1_utt0.wav"),
                        root.resolve("dev_wav/dia0_utt0.wav"), root.resolve("dev_splits_complete/dia0_utt1.wav"), root.resolve("wav/test/dia0_utt0.wav"),
                        root.resolve("test/dia0_utt1.wav")),
                d.utterances().stream().map(Utterance::audio).toList());
    }

    @Test
    void rowsWithoutAudioAreCountedAsUnused() {
        Dataset d = read(root, DatasetOptions.DEFAULT);
        assertEquals(Map.of("no audio", 1), d.unused(), "train dia1_utt1 has no WAV in a folder searched");
    }

    @Test
    void malformedRowsAreSkippedAndReportedWithTheirLine() {
        Dataset d = read(root, DatasetOptions.DEFAULT);
        Path train = root.resolve("train_sent_emo.csv");
        Map<String, String> skipped = new TreeMap<>();
        d.skipped().forEach(p -> skipped.put(p.input(), p.reason()));
        assertEquals(Map.of(train + ":6", "has the emotion 'happiness'; expected one of anger disgust fear joy neutral sadness surprise",
                train + ":7", "has Dialogue_ID 'x' and Utterance_ID '3'; both must be numbers",
                train + ":8", "has 4 fields; the header has 11",
                train + ":9", "repeats dia0_utt0 of " + train + ":2"), skipped);
        assertTrue(d.warnings().isEmpty(), d.warnings().toString());
    }

    @Test
    void strictMakesAMalformedRowFatal() {
        InputException e = assertThrows(InputException.class, () -> read(root, DatasetOptions.DEFAULT.withStrict(true)));
        assertEquals(root.resolve("train_sent_emo.csv") + ":6: has the emotion 'happiness'; expected one of anger disgust fear joy neutral "
                + "sadness surprise (fatal with --strict)", e.getMessage());
    }

    @Test
    void aMissingSplitAndASplitWithoutAudioFoldersAreWarnings(@TempDir Path other) throws IOException {
        Files.writeString(other.resolve("dev_sent_emo.csv"), DEV);
        Files.writeString(other.resolve("test_sent_emo.csv"), TEST);
        TestWav.write(other.resolve("test_wav/dia0_utt0.wav"), 160);
        Dataset d = read(other, DatasetOptions.DEFAULT);
        assertEquals(List.of("test-dia0_utt0"), d.utterances().stream().map(Utterance::id).toList());
        assertEquals(Map.of("no audio", 3), d.unused());
        assertEquals(2, d.warnings().size(), d.warnings().toString());
        assertEquals(other.resolve("train_sent_emo.csv") + ": is missing, so MELD's train split is not read", d.warnings().get(0).toString());
        assertTrue(d.warnings().get(1).toString().startsWith(other.resolve("dev_sent_emo.csv") + ": has no audio folder (looked for "
                + other.resolve("dev_wav") + ", "), d.warnings().get(1).toString());
    }

    @Test
    void parsingKeepsWhatTextFilesDecodesAndChecksTheHeader() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes((HEADER + "1,it").getBytes(StandardCharsets.UTF_8));
        out.write(0x92);                                        // Windows-1252's right single quote, not UTF-8
        out.writeBytes("s,Joey,joy,positive,3,4,1,1,a,b\n".getBytes(StandardCharsets.UTF_8));
        byte[] cp1252 = out.toByteArray();
        List<Meld.Row> rows = Meld.parse("t.csv", "train", cp1252, true);
        assertEquals(List.of(new Meld.Row("t.csv:2", "train", 3, 4, "Joey", "joy", "it\uFFFDs")), rows);
        assertEquals("train-dia3_utt4", rows.getFirst().id());
        assertEquals("happy", rows.getFirst().label());
        InputException noEmotion = assertThrows(InputException.class,
                () -> Meld.parse("t.csv", "dev", "Utterance,Speaker,Dialogue_ID,Utterance_ID\nhi,Joey,0,0\n".getBytes(StandardCharsets.UTF_8), false));
        assertTrue(noEmotion.getMessage().startsWith("t.csv:1: has no 'Emotion' column"), noEmotion.getMessage());
        assertTrue(assertThrows(InputException.class, () -> Meld.parse("t.csv", "dev", new byte[0], false)).getMessage().startsWith("t.csv: is empty"));
        assertTrue(assertThrows(InputException.class, () -> Meld.parse("t.csv", "dev", (HEADER + "1,\"open,Joey\n").getBytes(StandardCharsets.UTF_8), false))
                .getMessage().startsWith("t.csv:2: "));
    }

    @Test
    void emoboxPlanIsTheOfficialSplit() {
        Dataset d = read(root, DatasetOptions.DEFAULT);
        assertEquals(Meld.EMOBOX, d.emobox());
        assertNull(d.emoboxNone());
        assertEquals(Map.of("train", FoldPlan.TRAIN, "dev", FoldPlan.DEV, "test", "test"), d.emobox().folds());
        assertEquals(FoldPlan.DEV, d.emobox().foldOf("dev-dia0_utt0", "Rachel", "dev"));
    }

    @Test
    void openedThroughTheSpecTheClassesChooseTheUtterances() {
        Dataset d = Datasets.open("meld:" + root, DatasetOptions.DEFAULT);
        assertEquals(Map.of("angry", 1, "happy", 1, "sad", 1, "neutral", 1), d.countsByLabel());
        assertEquals(Map.of("no audio", 1, "disgust (not in --classes)", 1, "fearful (not in --classes)", 1, "surprised (not in --classes)", 1),
                d.unused());
        assertEquals(Meld.EMOBOX, d.emobox());
    }

    @Test
    void aFolderWithoutTheLabelFilesIsOneClearError(@TempDir Path other) throws IOException {
        TestWav.write(other.resolve("train_wav/dia0_utt0.wav"), 160);
        InputException e = assertThrows(InputException.class, () -> Datasets.open("meld:" + other, DatasetOptions.DEFAULT));
        assertTrue(e.getMessage().startsWith("meld:" + other + ": " + other + " has no train_sent_emo.csv, dev_sent_emo.csv or test_sent_emo.csv"),
                e.getMessage());
    }
}
