package dev.ser4j.cpu;

/**
 * crossentropy: softmax cross-entropy of logits [N, E] against integer labels, the batch loss being the mean:
 * <pre>
 *   probs = softmax(logits)      loss_n = logsumexp(logits_n) - logits_n[label_n]      dlogits += (probs - onehot) / N
 * </pre>
 * Forward caches probs.
 */
public final class CrossEntropy {
    private CrossEntropy() {}

    public static void forward(int N, int E, float[] logits, int lOff, int[] labels, int labOff,
                               float[] probs, int pOff, float[] losses, int lossOff) {
        for (int n = 0; n < N; n++) {
            int r = lOff + n * E;
            double max = Double.NEGATIVE_INFINITY, z = 0;
            for (int e = 0; e < E; e++) max = Math.max(max, logits[r + e]);
            for (int e = 0; e < E; e++) z += Math.exp(logits[r + e] - max);
            double lse = max + Math.log(z);
            for (int e = 0; e < E; e++) probs[pOff + n * E + e] = (float) Math.exp(logits[r + e] - lse);
            if (losses != null) losses[lossOff + n] = (float) (lse - logits[r + labels[labOff + n]]);
        }
    }

    public static void backward(int N, int E, float[] probs, int pOff, int[] labels, int labOff, float[] dlogits, int dOff) {
        for (int n = 0; n < N; n++)
            for (int e = 0; e < E; e++) {
                float target = e == labels[labOff + n] ? 1f : 0f;
                dlogits[dOff + n * E + e] += (probs[pOff + n * E + e] - target) / N;
            }
    }

    /** Returns the mean loss. */
    public static double naiveForward(int N, int E, double[] logits, int[] labels, double[] probs) {
        double total = 0;
        for (int n = 0; n < N; n++) {
            double z = 0;
            for (int e = 0; e < E; e++) z += Math.exp(logits[n * E + e]);
            for (int e = 0; e < E; e++) probs[n * E + e] = Math.exp(logits[n * E + e]) / z;
            total += -Math.log(probs[n * E + labels[n]]);
        }
        return total / N;
    }

    public static void naiveBackward(int N, int E, double[] probs, int[] labels, double[] dlogits) {
        for (int n = 0; n < N; n++)
            for (int e = 0; e < E; e++) dlogits[n * E + e] += (probs[n * E + e] - (e == labels[n] ? 1 : 0)) / N;
    }
}
