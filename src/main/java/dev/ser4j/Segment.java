package dev.ser4j;

import java.util.List;

/**
 * The prediction of one segment of a long recording: where the segment is and what it expresses.
 *
 * @param startSeconds where the segment starts in the recording, in seconds
 * @param endSeconds   where it ends, in seconds
 * @param prediction   its prediction
 */
public record Segment(double startSeconds, double endSeconds, Prediction prediction) {
    /**
     * The segment's most probable class.
     *
     * @return the class name
     */
    public String label() {
        return prediction.label();
    }

    /**
     * The probability of each class, in the order of {@link #classes()}.
     *
     * @return a copy of the probabilities
     */
    public float[] probabilities() {
        return prediction.probabilities();
    }

    /**
     * The model's classes.
     *
     * @return the class names, in output order
     */
    public List<String> classes() {
        return prediction.classes();
    }
}
