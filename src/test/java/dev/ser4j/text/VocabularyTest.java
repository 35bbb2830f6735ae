package dev.ser4j.text;

import dev.ser4j.core.InputException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VocabularyTest {
    private static final List<List<String>> TRAIN = List.of(
            List.of("i", "do", "n't", "know", "."),
            List.of("i", "know", "!"),
            List.of("you", "do", "n't", "know", "me", "."));

    @Test
    void ordersByDescendingCountThenAlphabetically() {
        Vocabulary v = Vocabulary.build(TRAIN);
        assertEquals(List.of("<pad>", "<unk>", "know", ".", "do", "i", "n't", "!", "me", "you"), v.words());
        assertEquals(3, v.count(v.id("know")));
        assertEquals(14, v.trainingTokens());
    }

    @Test
    void orderDoesNotDependOnTranscriptOrder() {
        List<List<String>> shuffled = new ArrayList<>(TRAIN);
        Collections.reverse(shuffled);
        assertEquals(Vocabulary.build(TRAIN).words(), Vocabulary.build(shuffled).words());
    }

    @Test
    void maxSizeAndMinCountSendTheRestToUnk() {
        Vocabulary v = Vocabulary.build(TRAIN, 5, 1);
        assertEquals(List.of("<pad>", "<unk>", "know", ".", "do"), v.words());
        assertEquals(14 - 3 - 2 - 2, v.count(Vocabulary.UNK));
        Vocabulary m = Vocabulary.build(TRAIN, 100, 2);
        assertEquals(List.of("<pad>", "<unk>", "know", ".", "do", "i", "n't"), m.words());
        assertEquals(3, m.count(Vocabulary.UNK));
    }

    @Test
    void encodesUnknownWordsAsUnkAndTruncatesTo128() {
        Vocabulary v = Vocabulary.build(TRAIN);
        assertArrayEquals(new int[]{v.id("i"), Vocabulary.UNK, v.id("know")}, v.encode(List.of("i", "zebra", "know")));
        assertArrayEquals(new int[0], v.encode(List.of()));
        List<String> many = Collections.nCopies(300, "know");
        int[] ids = v.encode(many);
        assertEquals(Vocabulary.MAX_TOKENS, ids.length);
        assertEquals(128, ids.length);
        assertEquals(5, v.encode(many, 5).length);
    }

    @Test
    void reservedNamesInTranscriptsAreNotWords() {
        Vocabulary v = Vocabulary.build(List.of(List.of("<unk>", "<pad>", "a")));
        assertEquals(List.of("<pad>", "<unk>", "a"), v.words());
        assertEquals(2, v.count(Vocabulary.UNK));
    }

    @Test
    void jsonRoundTripKeepsEveryId() {
        Vocabulary v = Vocabulary.build(TRAIN);
        String json = v.toJson();
        assertTrue(json.startsWith("[\"<pad>\",\"<unk>\""), json);
        Vocabulary back = Vocabulary.fromJson("ckpt", json);
        assertEquals(v.words(), back.words());
        for (String w : v.words()) assertEquals(v.id(w), back.id(w));
        assertEquals(0, back.trainingTokens());
    }

    @Test
    void rejectsDamagedJsonWithOneClearMessage() {
        String[] bad = {"", "{", "{}", "[]", "[\"<pad>\"]", "[\"<unk>\",\"<pad>\"]", "[\"<pad>\",\"<unk>\",3]",
                "[\"<pad>\",\"<unk>\",\"a\",\"a\"]", "[\"<pad>\",\"<unk>\",\"a b\"]", "[\"<pad>\",\"<unk>\",\"\"]",
                "[\"<pad>\",\"<unk>\",null]", "null", "[\"<pad>\",\"<unk>\",[\"x\"]]"};
        for (String json : bad) {
            InputException e = assertThrows(InputException.class, () -> Vocabulary.fromJson("w.safetensors", json), json);
            assertTrue(e.getMessage().startsWith("w.safetensors: "), e.getMessage());
        }
    }
}
