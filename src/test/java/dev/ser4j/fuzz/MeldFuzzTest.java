package dev.ser4j.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ser4j.data.Meld;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.ser4j.fuzz.Property.check;
import static dev.ser4j.fuzz.Property.resultOrInputException;

/**
 * MELD's label CSVs ({@code train_sent_emo.csv}, ...): any bytes give well-formed rows (malformed rows left out), and
 * with {@code --strict} the same rows or an InputException naming the line.
 */
class MeldFuzzTest {
    private static final String NAME = "train_sent_emo.csv";
    private static final Set<String> EMOTIONS = Set.of("anger", "disgust", "fear", "joy", "neutral", "sadness", "surprise");
    private static final Set<String> CLASSES = Set.of("angry", "disgust", "fearful", "happy", "neutral", "sad", "surprised");

    @FuzzTest(maxDuration = "30m", maxExecutions = 1_000_000)
    void anyBytesGiveRowsOrInputException(byte[] data) {
        List<Meld.Row> rows = resultOrInputException(data.length, () -> Meld.parse(NAME, "train", data, false), NAME);
        if (rows == null) return;      // a header without MELD's columns, a quote never closed: the whole file is wrong
        Set<String> ids = new HashSet<>();
        for (Meld.Row r : rows) {
            check(r.where().startsWith(NAME + ":") && r.split().equals("train"), r.where());
            check(r.dialogue() >= 0 && r.utterance() >= 0, r.where() + " ids " + r.dialogue() + ", " + r.utterance());
            check(ids.add(r.id()) && r.id().equals("train-dia" + r.dialogue() + "_utt" + r.utterance()), "id " + r.id());
            check(EMOTIONS.contains(r.emotion()) && CLASSES.contains(r.label()), "emotion " + r.emotion() + " -> " + r.label());
            check(!r.speaker().isEmpty() && r.speaker().equals(r.speaker().strip()), "speaker '" + r.speaker() + "'");
            check(r.text().equals(r.text().strip()), "text '" + r.text() + "'");
        }
        List<Meld.Row> strict = resultOrInputException(data.length, () -> Meld.parse(NAME, "train", data, true), NAME);
        check(strict == null || strict.equals(rows), "a strict read kept other rows than a lenient one");
    }
}
