package dev.ser4j.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ser4j.text.Vocabulary;

import java.nio.charset.StandardCharsets;

import static dev.ser4j.fuzz.Property.check;
import static dev.ser4j.fuzz.Property.resultOrInputException;

/** A checkpoint's vocabulary (a JSON array of words in its metadata): any text gives a vocabulary that writes back as itself, or an InputException. */
class VocabularyJsonFuzzTest {
    private static final String NAME = "model.safetensors";

    @FuzzTest(maxDuration = "30m", maxExecutions = 1_000_000)
    void anyTextGivesVocabularyOrInputException(byte[] data) {
        String json = new String(data, StandardCharsets.UTF_8);
        Vocabulary v = resultOrInputException(data.length, () -> Vocabulary.fromJson(NAME, json), NAME);
        if (v == null) return;
        check(v.size() >= 2 && v.word(Vocabulary.PAD).equals(Vocabulary.PAD_TOKEN) && v.word(Vocabulary.UNK).equals(Vocabulary.UNK_TOKEN),
                "PAD and UNK are not first");
        for (int id = 0; id < v.size(); id++) check(v.id(v.word(id)) == id, "word " + id + " has id " + v.id(v.word(id)));
        check(Vocabulary.fromJson(NAME, v.toJson()).words().equals(v.words()), "the vocabulary does not read back as itself");
    }
}
