package dev.ser4j.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ser4j.data.Datasets;

import java.util.Map;

import static dev.ser4j.fuzz.Property.check;
import static dev.ser4j.fuzz.Property.resultOrInputException;

/** ASR transcript TSV ({@code id<TAB>text}, optional header): any bytes give transcripts, or an InputException. */
class AsrTranscriptsFuzzTest {
    private static final String NAME = "asr.tsv";

    @FuzzTest(maxDuration = "30m", maxExecutions = 1_000_000)
    void anyBytesGiveTranscriptsOrInputException(byte[] data) {
        Map<String, String> t = resultOrInputException(data.length, () -> Datasets.parseAsr(NAME, data), NAME);
        if (t == null) return;
        t.forEach((id, text) -> {
            check(!id.isEmpty() && id.equals(id.strip()), "utterance id '" + id + "'");
            check(text.equals(text.strip()) && text.indexOf('\n') < 0, "transcript '" + text + "'");
        });
    }
}
