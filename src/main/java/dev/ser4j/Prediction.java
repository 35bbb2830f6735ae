package dev.ser4j;

import dev.ser4j.core.Emotion;

import java.util.Arrays;

/**
 * One prediction: the most probable emotion, the probability of each class, and how long the prediction took.
 *
 * @param label         the most probable class (the first of them on a tie)
 * @param probabilities the softmax probability of each class, in {@link Emotion} order; they sum to 1
 * @param milliseconds  wall time of the prediction (reading and resampling the audio when it came from a file,
 *                      features and model), in milliseconds
 */
public record Prediction(Emotion label, float[] probabilities, double milliseconds) {
    /** Copies {@code probabilities}, so the record stays immutable. */
    public Prediction {
        probabilities = probabilities.clone();
    }

    /**
     * The probability of one class.
     *
     * @param e the class
     * @return its probability, in [0, 1]
     */
    public float probability(Emotion e) {
        return probabilities[e.ordinal()];
    }

    /**
     * The probability of each class, in {@link Emotion} order.
     *
     * @return a copy of the probabilities
     */
    @Override
    public float[] probabilities() {
        return probabilities.clone();
    }

    @Override
    public String toString() {
        return "Prediction[" + label.id() + " " + Arrays.toString(probabilities) + ", " + milliseconds + " ms]";
    }
}
