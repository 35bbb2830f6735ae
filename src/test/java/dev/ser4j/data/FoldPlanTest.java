package dev.ser4j.data;

import dev.ser4j.core.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FoldPlanTest {
    @Test
    void keyTabFoldLinesWithCommentsAndBlankLines() {
        FoldPlan p = FoldPlan.parse("folds.tsv", List.of("# speaker-independent folds", "", "Actor_01\t1", "  Actor_02\t2  ", "   ",
                "  # indented comment", "Ses01F_impro01_F000\tdev", "Ses02\ttrain"));
        assertEquals("folds.tsv", p.source());
        assertEquals(Map.of("Actor_01", "1", "Actor_02", "2", "Ses01F_impro01_F000", "dev", "Ses02", "train"), p.folds());
        assertEquals(List.of("Actor_01", "Actor_02", "Ses01F_impro01_F000", "Ses02"), List.copyOf(p.folds().keySet()), "the file's order");
    }

    @Test
    void spacesOrAnyRunOfWhitespaceSeparateTheFields() {
        FoldPlan p = FoldPlan.parse("f", List.of("a 1", "b    2", "c\t\t3", "d \t 4", "e\u001C5"));
        assertEquals(Map.of("a", "1", "b", "2", "c", "3", "d", "4", "e", "5"), p.folds());
    }

    @Test
    void aKeyIsTriedAsUtteranceThenSpeakerThenSession() {
        FoldPlan p = FoldPlan.parse("f", List.of("u1\t3", "spk\t2", "ses\t1"));
        assertEquals("3", p.foldOf("u1", "spk", "ses"));
        assertEquals("2", p.foldOf("u2", "spk", "ses"));
        assertEquals("1", p.foldOf("u2", "other", "ses"));
        assertNull(p.foldOf("u2", "other", "none"));
    }

    @Test
    void aKeyGivenTwiceIsAnErrorNamingFileAndLine() {
        InputException e = assertThrows(InputException.class, () -> FoldPlan.parse("folds.tsv", List.of("# c", "Actor_01\t1", "", "Actor_01\t2")));
        assertEquals("folds.tsv:4: assigns 'Actor_01' to fold 2 after fold 1", e.getMessage());
        InputException same = assertThrows(InputException.class, () -> FoldPlan.parse("folds.tsv", List.of("a 1", "a 1")));
        assertEquals("folds.tsv:2", same.source());
    }

    @Test
    void aLineWithOneOrThreeFieldsIsAnError() {
        for (String line : List.of("Actor_01\t1\t2", "Actor_01 1 extra", "Actor_01", "Actor_01\t\t1\tx")) {
            InputException e = assertThrows(InputException.class, () -> FoldPlan.parse("folds.tsv", List.of("a\t1", line)), line);
            assertEquals("folds.tsv:2: is not 'utterance-id, speaker or session<TAB>fold'", e.getMessage());
        }
    }

    @Test
    void aFileThatAssignsNothingIsAnError() {
        for (List<String> lines : List.of(List.<String>of(), List.of("", "# only a comment", "   "))) {
            InputException e = assertThrows(InputException.class, () -> FoldPlan.parse("folds.tsv", lines));
            assertEquals("folds.tsv: assigns no utterance, speaker or session to a fold", e.getMessage());
        }
        assertThrows(InputException.class, () -> FoldPlan.parse("folds.tsv", new byte[0]));
    }

    @Test
    void readDecodesTheFileAsTheOtherTextFiles(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("folds.tsv");
        Files.write(f, "\uFEFFActor_01\t1\r\nActor_02\t2\r\n".getBytes(StandardCharsets.UTF_8));
        FoldPlan p = FoldPlan.read(f);
        assertEquals(f.toString(), p.source());
        assertEquals(Map.of("Actor_01", "1", "Actor_02", "2"), p.folds());
        assertEquals(p.folds(), FoldPlan.parse("x", Files.readAllBytes(f)).folds());
    }
}
