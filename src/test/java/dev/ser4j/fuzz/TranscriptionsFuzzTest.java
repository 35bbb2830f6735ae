package dev.ser4j.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ser4j.data.Iemocap;

import java.util.Map;
import java.util.regex.Pattern;

import static dev.ser4j.fuzz.Property.check;
import static dev.ser4j.fuzz.Property.resultOrInputException;

/** IEMOCAP transcription files: any bytes give transcripts keyed by proper utterance ids (other lines skipped). */
class TranscriptionsFuzzTest {
    private static final String NAME = "Session1/dialog/transcriptions/Ses01F_impro01.txt";
    private static final Pattern ID = Pattern.compile("(Ses\\d\\d)[MF]_[A-Za-z0-9_]+_([MF])\\d{3}");

    @FuzzTest(maxDuration = "30m", maxExecutions = 1_000_000)
    void anyBytesGiveTranscriptsOrInputException(byte[] data) {
        Map<String, String> t = resultOrInputException(data.length, () -> Iemocap.parseTranscriptions(data), NAME);
        check(t != null, "transcripts are never rejected, only skipped");
        t.forEach((id, text) -> {
            check(ID.matcher(id).matches(), "utterance id " + id);
            check(text.equals(text.strip()) && text.indexOf('\n') < 0, "transcript '" + text + "'");
        });
    }
}
