package dev.ser4j.core;

/** Training cannot go on (e.g. a non-finite loss or gradient); the message says where it stopped and why. */
public class TrainingException extends RuntimeException {
    /**
     * A training failure.
     *
     * @param message one sentence: where training stopped and why
     */
    public TrainingException(String message) {
        super(message);
    }
}
