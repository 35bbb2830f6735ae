package dev.ser4j;

import java.util.Arrays;
import java.util.List;

/**
 * One prediction: the most probable class, the probability of each class, and how long the prediction took.
 *
 * @param label         the most probable class (the first of them on a tie)
 * @param classes       the model's classes, in output order
 * @param probabilities the softmax probability of each class, in the order of {@code classes}; they sum to 1
 * @param milliseconds  wall time of the prediction (reading and resampling the audio when it came from a file,
 *                      features and model), in milliseconds; a batch's predictions share its time
 * @param truncated     the speech was longer than the model's window of 7.5 s and only its first 7.5 s were used
 *                      ({@link EmotionRecognizer#segments} predicts each utterance of a long recording)
 */
public record Prediction(String label, List<String> classes, float[] probabilities, double milliseconds, boolean truncated) {
    /**
     * Copies the lists, so the record stays immutable.
     *
     * @throws IllegalArgumentException if there is not one probability per class, or the label is not a class
     */
    public Prediction {
        classes = List.copyOf(classes);
        probabilities = probabilities.clone();
        if (probabilities.length != classes.size() || !classes.contains(label))
            throw new IllegalArgumentException(label + " " + Arrays.toString(probabilities) + " for classes " + classes);
    }

    /**
     * The probability of one class.
     *
     * @param name a class name, one of {@link #classes()}
     * @return its probability, in [0, 1]
     * @throws IllegalArgumentException if the model has no class of that name
     */
    public float probability(String name) {
        int i = classes.indexOf(name);
        if (i < 0) throw new IllegalArgumentException("'" + name + "' is not one of the model's classes " + classes);
        return probabilities[i];
    }

    /**
     * The probability of each class, in the order of {@link #classes()}.
     *
     * @return a copy of the probabilities
     */
    @Override
    public float[] probabilities() {
        return probabilities.clone();
    }

    /** The same prediction with another time (a caller that timed more than the model). */
    Prediction withMilliseconds(double ms) {
        return new Prediction(label, classes, probabilities, ms, truncated);
    }

    @Override
    public String toString() {
        return "Prediction[" + label + " " + Arrays.toString(probabilities) + ", " + milliseconds + " ms]";
    }
}
