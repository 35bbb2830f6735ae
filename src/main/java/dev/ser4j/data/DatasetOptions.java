package dev.ser4j.data;

import java.nio.file.Path;

/**
 * How a data set is read.
 *
 * @param strict          a problem that would skip an input (a missing WAV, a malformed label line, a duplicate
 *                        id) is fatal instead ({@code --strict})
 * @param asrTranscripts  a TSV of {@code utterance-id<TAB>text} lines whose texts replace the data set's
 *                        transcripts (an utterance it lacks gets an empty transcript and a warning), or null
 */
public record DatasetOptions(boolean strict, Path asrTranscripts) {
    /** Lenient, ground-truth transcripts. */
    public static final DatasetOptions DEFAULT = new DatasetOptions(false, null);

    public DatasetOptions withStrict(boolean on) { return new DatasetOptions(on, asrTranscripts); }

    public DatasetOptions withAsrTranscripts(Path tsv) { return new DatasetOptions(strict, tsv); }
}
