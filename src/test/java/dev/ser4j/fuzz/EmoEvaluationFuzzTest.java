package dev.ser4j.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ser4j.data.Iemocap;

import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.ser4j.fuzz.Property.check;
import static dev.ser4j.fuzz.Property.resultOrInputException;

/**
 * IEMOCAP EmoEvaluation label files: any bytes give well-formed labels (bad summary lines left out), and with
 * {@code --strict} the same labels or an InputException naming the line.
 */
class EmoEvaluationFuzzTest {
    private static final String NAME = "Session1/dialog/EmoEvaluation/Ses01F_impro01.txt";
    private static final Pattern ID = Pattern.compile("(Ses\\d\\d)[MF]_[A-Za-z0-9_]+_([MF])\\d{3}");
    private static final Set<String> CODES = Set.of("ang", "hap", "exc", "sad", "neu", "fru", "sur", "fea", "dis", "oth", "xxx");

    @FuzzTest(maxDuration = "30m", maxExecutions = 1_000_000)
    void anyBytesGiveLabelsOrInputException(byte[] data) {
        List<Iemocap.Label> labels = resultOrInputException(data.length, () -> Iemocap.parseEmoEvaluation(NAME, data, false), NAME);
        check(labels != null, "a lenient read threw");
        for (Iemocap.Label l : labels) {
            Matcher m = ID.matcher(l.id());
            check(m.matches(), "utterance id " + l.id());
            check(l.session().equals(m.group(1)) && l.speaker().equals(m.group(1) + m.group(2)), l.id() + " -> " + l.speaker());
            check(CODES.contains(l.code()), "label " + l.code());
            check(l.where().startsWith(NAME + ":") && !l.dialog().isEmpty(), l.where());
        }
        List<Iemocap.Label> strict = resultOrInputException(data.length, () -> Iemocap.parseEmoEvaluation(NAME, data, true), NAME);
        check(strict == null || strict.equals(labels), "a strict read kept other labels than a lenient one");
    }
}
