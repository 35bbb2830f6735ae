package dev.ser4j.data;

import dev.ser4j.core.InputException;
import dev.ser4j.core.Labels;
import org.junit.jupiter.api.BeforeEach;
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

/** A small tree in the release's real layout and syntax: annotator lines, a malformed line, excluded labels. */
class IemocapTest {
    @TempDir
    Path root;

    private static final String EMO_1 = """
            % [START_TIME - END_TIME] TURN_NAME EMOTION [V, A, D]

            [6.2901 - 8.2357]\tSes01F_impro01_F000\tneu\t[2.5000, 2.5000, 2.5000]
            C-E2:\tNeutral;\t()
            C-E3:\tNeutral;\t()
            C-F1:\tNeutral;\t(curious)
            A-E3:\tval 3; act 2; dom  2;\t()
            A-F1:\tval 2; act 1; dom  3;\t()

            [7.5712 - 10.4750]\tSes01F_impro01_M000\tang\t[1.5000, 4.0000, 4.0000]
            C-E2:\tAnger; Frustration;\t()
            C-E3:\tAnger;\t()

            [10.0100 - 11.3925]\tSes01F_impro01_F001\texc\t[4.0000, 3.5000, 3.0000]
            C-E2:\tExcited;\t()

            [14.8872 - 18.0175]\tSes01F_impro01_M001\tfru\t[2.0000, 3.0000, 3.5000]

            [19.2900 - 20.7875]\tSes01F_impro01_F002\txxx\t[2.5000, 3.0000, 3.0000]

            [21.0000 - ]\tSes01F_impro01_F009\tneu\t[2.5000, 2.5000, 2.5000]

            [23.0000 - 25.1000]\tSes01F_impro01_M002\tsad\t[2.0000, 2.0000, 2.0000]

            [26.5000 - 28.0000]\tSes01F_impro01_F003\thap\t[4.0000, 3.0000, 3.0000]
            """;

    private static final String TRANS_1 = """
            Ses01F_impro01_F000 [006.2901-008.2357]: Excuse me.
            Ses01F_impro01_M000 [007.5712-010.4750]: [LAUGHTER] Do you have your forms?
            Ses01F_impro01_F001 [010.0100-011.3925]: Yeah.
            M: [BREATHING]
            Ses01F_impro01_MXX0 [012.0000-012.5000]: overlapping speech
            Ses01F_impro01_M001 [014.8872-018.0175]: Let me see them.
            """;

    private static final String EMO_2 = """
            % [START_TIME - END_TIME] TURN_NAME EMOTION [V, A, D]

            [1.0000 - 3.0000]\tSes02M_script01_1_F000\tneu\t[2.5000, 2.5000, 2.5000]
            C-E1:\tNeutral;\t()

            [3.5000 - 6.0000]\tSes02M_script01_1_M000\tsad\t[1.5000, 2.0000, 2.0000]
            C-E1:\tSadness;\t()
            """;

    private static final String TRANS_2 = """
            Ses02M_script01_1_F000 [001.0000-003.0000]: What's the matter?
            Ses02M_script01_1_M000 [003.5000-006.0000]: I don't know, I just... I miss him.
            """;

    @BeforeEach
    void makeTree() throws IOException {
        write("Session1/dialog/EmoEvaluation/Ses01F_impro01.txt", EMO_1);
        write("Session1/dialog/EmoEvaluation/._Ses01F_impro01.txt", "\0\0binary resource fork");
        write("Session1/dialog/EmoEvaluation/Categorical/Ses01F_impro01_e2_cat.txt", "Ses01F_impro01_F000 :Neutral state; ()");
        write("Session1/dialog/transcriptions/Ses01F_impro01.txt", TRANS_1);
        for (String u : List.of("F000", "M000", "F001", "M001", "F002", "F003"))
            TestWav.write(root.resolve("Session1/sentences/wav/Ses01F_impro01/Ses01F_impro01_" + u + ".wav"), 1600);
        write("Session2/dialog/EmoEvaluation/Ses02M_script01_1.txt", EMO_2);
        write("Session2/dialog/transcriptions/Ses02M_script01_1.txt", TRANS_2);
        for (String u : List.of("F000", "M000"))
            TestWav.write(root.resolve("Session2/sentences/wav/Ses02M_script01_1/Ses02M_script01_1_" + u + ".wav"), 1600);
    }

    private void write(String relative, String text) throws IOException {
        Path p = root.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    /** The paper's four classes, as {@code --classes} leaves them by default. */
    private Dataset read() {
        return Iemocap.read(root, "iemocap:" + root, DatasetOptions.DEFAULT).withClasses(Labels.DEFAULT);
    }

    @Test
    void readsConsensusLabelsWithExcitedMergedIntoHappy() {
        Dataset d = read();
        assertEquals(List.of("Ses01F_impro01_F000", "Ses01F_impro01_M000", "Ses01F_impro01_F001", "Ses01F_impro01_F003",
                "Ses02M_script01_1_F000", "Ses02M_script01_1_M000"), d.utterances().stream().map(Utterance::id).toList());
        assertEquals(List.of("neutral", "angry", "happy", "happy", "neutral", "sad"),
                d.utterances().stream().map(Utterance::label).toList());
        assertEquals(Map.of("angry", 1, "happy", 2, "sad", 1, "neutral", 2), d.countsByLabel());
        assertEquals(Map.of("frustrated (not in --classes)", 1, "xxx", 1), d.unused());
    }

    @Test
    void otherConsensusLabelsAreClassesThatClassesCanChoose() {
        Dataset all = Iemocap.read(root, "iemocap:" + root, DatasetOptions.DEFAULT);
        assertEquals(Map.of("angry", 1, "happy", 2, "sad", 1, "neutral", 2, "frustrated", 1), all.countsByLabel());
        assertEquals(Map.of("xxx", 1), all.unused(), "no agreement is no class");
        Dataset two = all.withClasses(Labels.parse("--classes", "frustrated,neutral"));
        assertEquals(List.of("Ses01F_impro01_F000", "Ses01F_impro01_M001", "Ses02M_script01_1_F000"),
                two.utterances().stream().map(Utterance::id).toList());
        assertEquals(Map.of("angry (not in --classes)", 1, "happy (not in --classes)", 2, "sad (not in --classes)", 1, "xxx", 1), two.unused());
    }

    @Test
    void speakerIsTheGenderOfTheLastIdPartNotOfTheDialog() {
        Dataset d = read();
        assertEquals(List.of("Ses01F", "Ses01M", "Ses01F", "Ses01F", "Ses02F", "Ses02M"), d.utterances().stream().map(Utterance::speaker).toList());
        assertEquals(List.of("Ses01", "Ses01", "Ses01", "Ses01", "Ses02", "Ses02"), d.utterances().stream().map(Utterance::session).toList());
        assertEquals(Map.of("Ses01", List.of("Ses01F", "Ses01M"), "Ses02", List.of("Ses02F", "Ses02M")), d.speakersBySession());
    }

    @Test
    void transcriptsAndWavPathsComeFromTheReleaseLayout() {
        Dataset d = read();
        Utterance m = d.utterances().get(1);
        assertEquals("[LAUGHTER] Do you have your forms?", m.transcript());
        assertEquals(root.resolve("Session1/sentences/wav/Ses01F_impro01/Ses01F_impro01_M000.wav"), m.audio());
        assertEquals("I don't know, I just... I miss him.", d.utterances().get(5).transcript());
        assertEquals("", d.utterances().get(3).transcript(), "F003 has no transcript line");
    }

    @Test
    void malformedLineAndMissingWavAreSkippedAndReported() {
        Dataset d = read();
        Path emo = root.resolve("Session1/dialog/EmoEvaluation/Ses01F_impro01.txt");
        assertEquals(2, d.skipped().size(), d.skipped().toString());
        assertEquals(emo + ":21", d.skipped().get(0).input());
        assertTrue(d.skipped().get(0).reason().contains("not a summary line"));
        assertEquals(root.resolve("Session1/sentences/wav/Ses01F_impro01/Ses01F_impro01_M002.wav").toString(), d.skipped().get(1).input());
        assertTrue(d.skipped().get(1).reason().contains("is missing"));
        assertTrue(d.warnings().stream().anyMatch(p -> p.input().equals("Ses01F_impro01_F003") && p.reason().contains("no transcript")), d.warnings().toString());
        assertTrue(d.warnings().stream().anyMatch(p -> p.input().endsWith("Session5") && p.reason().startsWith("is missing")), d.warnings().toString());
        assertTrue(d.summary().contains("6 utterances (angry 1, happy 2, neutral 2, sad 1), 4 speakers in 2 sessions"), d.summary());
    }

    @Test
    void strictMakesAMalformedLineFatal() {
        InputException e = assertThrows(InputException.class, () -> Iemocap.read(root, "x", DatasetOptions.DEFAULT.withStrict(true)));
        assertTrue(e.getMessage().startsWith(root.resolve("Session1/dialog/EmoEvaluation/Ses01F_impro01.txt") + ":21: "), e.getMessage());
    }

    @Test
    void unknownLabelCodeAndBadUtteranceIdAreMalformedLines() {
        ReaderLog r = new ReaderLog(false);
        List<Iemocap.Label> labels = Iemocap.parseEmoEvaluation("e.txt", List.of(
                "[1.0 - 2.0]\tSes01F_impro01_F000\tjoy\t[1, 2, 3]",
                "[1.0 - 2.0]\tnot_an_id\tneu\t[1, 2, 3]",
                "[1.0 - 2.0]\tSes01F_impro01_F001\tneu\t[1, 2, 3]",
                "[garbage"), r);
        assertEquals(1, labels.size());
        assertEquals(List.of("e.txt:1", "e.txt:2", "e.txt:4"), r.skipped.stream().map(Dataset.Problem::input).toList());
    }

    @Test
    void aFolderThatIsNotIemocapIsOneClearError(@TempDir Path other) throws IOException {
        Files.writeString(other.resolve("readme.txt"), "hello");
        Files.createDirectories(other.resolve("Session1/sentences"));
        InputException e = assertThrows(InputException.class, () -> Iemocap.read(other, "x", DatasetOptions.DEFAULT));
        assertEquals(other + ": is not an IEMOCAP release: it has no Session1 ... Session5 folders with dialog/EmoEvaluation/*.txt "
                + "(expected the layout of IEMOCAP_full_release)", e.getMessage());
    }

    @Test
    void asrTranscriptsReplaceTheGroundTruth() throws IOException {
        Path asr = root.resolve("asr.tsv");
        Files.writeString(asr, "id\ttext\nSes01F_impro01_F000\texcuse me\nSes01F_impro01_M000\tdo you have your forms\n");
        Dataset d = Datasets.open("iemocap:" + root, DatasetOptions.DEFAULT.withAsrTranscripts(asr));
        assertEquals("excuse me", d.utterances().get(0).transcript());
        assertEquals("do you have your forms", d.utterances().get(1).transcript());
        assertEquals("", d.utterances().get(2).transcript());
        assertTrue(d.warnings().stream().anyMatch(p -> p.input().equals("Ses01F_impro01_F001") && p.reason().contains("no ASR transcript")));
        Files.writeString(asr, "Ses01F_impro01_F000\ta\nSes01F_impro01_F000\tb\n");
        assertTrue(assertThrows(InputException.class, () -> Datasets.open("iemocap:" + root, DatasetOptions.DEFAULT.withAsrTranscripts(asr)))
                .getMessage().startsWith(asr + ":2: "));
    }
}
