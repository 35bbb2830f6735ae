package dev.ser4j.data;

import dev.ser4j.core.Labels;

import java.nio.file.Path;

/**
 * How a data set is read.
 *
 * @param strict          a problem that would skip an input (a missing WAV, a malformed label line, a duplicate
 *                        id) is fatal instead ({@code --strict})
 * @param asrTranscripts  a TSV of {@code utterance-id<TAB>text} lines whose texts replace the data set's
 *                        transcripts (an utterance it lacks gets an empty transcript and a warning), or null
 * @param classes         the classes kept ({@code --classes}); labelled utterances of other classes are left out
 *                        and counted in {@link Dataset#unused()}; null keeps every utterance (prediction)
 */
public record DatasetOptions(boolean strict, Path asrTranscripts, Labels classes) {
    /** Lenient, ground-truth transcripts, the paper's four classes. */
    public static final DatasetOptions DEFAULT = new DatasetOptions(false, null, Labels.DEFAULT);

    public DatasetOptions withStrict(boolean on) { return new DatasetOptions(on, asrTranscripts, classes); }

    public DatasetOptions withAsrTranscripts(Path tsv) { return new DatasetOptions(strict, tsv, classes); }

    public DatasetOptions withClasses(Labels c) { return new DatasetOptions(strict, asrTranscripts, c); }
}
