package dev.ser4j.train;

import dev.ser4j.model.Batcher;
import dev.ser4j.model.Example;
import dev.ser4j.model.MscnnSpuAtt;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** Batched inference over examples (dropout off), in length-sorted batches, results in the examples' order. */
public final class Predictor {
    private Predictor() {}

    /** Class probabilities {@code [n, classes]} for {@code examples}, in their order. */
    public static float[] probabilities(MscnnSpuAtt model, Batcher batcher, List<Example> examples, int batchSize) {
        int E = model.config().classes();
        Map<Example, Integer> position = new IdentityHashMap<>();
        for (int i = 0; i < examples.size(); i++) position.put(examples.get(i), i);
        float[] out = new float[examples.size() * E];
        for (List<Example> chunk : batcher.sequential(examples, batchSize)) {
            model.forward(batcher.batch(chunk).withoutLabels(), 0f, 0);
            float[] p = model.probabilities();
            for (int b = 0; b < chunk.size(); b++) System.arraycopy(p, b * E, out, position.get(chunk.get(b)) * E, E);
        }
        return out;
    }

    /** WA/UA and the rest on labelled examples. */
    public static Metrics evaluate(MscnnSpuAtt model, Batcher batcher, List<Example> examples, int batchSize) {
        int E = model.config().classes();
        float[] p = probabilities(model, batcher, examples, batchSize);
        int[] truth = new int[examples.size()], pred = new int[examples.size()];
        for (int i = 0; i < truth.length; i++) {
            truth[i] = examples.get(i).label();
            pred[i] = MscnnSpuAtt.argmax(p, i, E);
        }
        return Metrics.of(truth, pred, E);
    }
}
