package dev.ser4j;

import dev.ser4j.core.Emotion;

import java.util.Arrays;

/**
 * One prediction: the most probable emotion, the probability of each class (in {@link Emotion} order), and how long
 * the prediction took in milliseconds (features and model).
 */
public record Prediction(Emotion label, float[] probabilities, double milliseconds) {
    public Prediction {
        probabilities = probabilities.clone();
    }

    /** The probability of one emotion. */
    public float probability(Emotion e) {
        return probabilities[e.ordinal()];
    }

    @Override
    public float[] probabilities() {
        return probabilities.clone();
    }

    @Override
    public String toString() {
        return "Prediction[" + label.id() + " " + Arrays.toString(probabilities) + ", " + milliseconds + " ms]";
    }
}
