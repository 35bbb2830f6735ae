package dev.ser4j.data;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One recording of a data set.
 *
 * @param id         unique within its data set (IEMOCAP: {@code Ses01F_impro01_F000})
 * @param speaker    speaker name (IEMOCAP: {@code Ses01F}; synthetic corpus: {@code S3F}; {@code unknown} if not given)
 * @param session    recording session, the unit of speaker-independent folds (IEMOCAP: {@code Ses01}; synthetic: {@code 3})
 * @param audio      the WAV file (it existed when the data set was read)
 * @param transcript the text as given (ground truth or ASR), not tokenized; empty if there is none
 * @param label      the class name in the readers' common form ({@code angry}, {@code calm}, ...; see
 *                   {@link dev.ser4j.core.Labels}), or null in an unlabelled (prediction) manifest
 */
public record Utterance(String id, String speaker, String session, Path audio, String transcript, String label) {
    public Utterance {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(speaker, "speaker");
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(audio, "audio");
        Objects.requireNonNull(transcript, "transcript");
    }

    /** The same utterance with another transcript (for ASR transcripts). */
    public Utterance withTranscript(String text) {
        return new Utterance(id, speaker, session, audio, text, label);
    }
}
