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

    /** {@code losses} may be null (the per-example losses are not wanted). */
    public static void forward(int N, int E, CpuFloats logits, CpuInts labels, CpuFloats probs, CpuFloats losses) {
        float[] la = logits.array(), pa = probs.array(), lossa = losses == null ? null : losses.array();
        int[] laba = labels.array();
        int lOff = logits.offset(), labOff = labels.offset(), pOff = probs.offset(), lossOff = losses == null ? 0 : losses.offset();
        for (int n = 0; n < N; n++) {
            int r = lOff + n * E;
            double max = Double.NEGATIVE_INFINITY, z = 0;
            for (int e = 0; e < E; e++) max = Math.max(max, la[r + e]);
            for (int e = 0; e < E; e++) z += Math.exp(la[r + e] - max);
            double lse = max + Math.log(z);
            for (int e = 0; e < E; e++) pa[pOff + n * E + e] = (float) Math.exp(la[r + e] - lse);
            if (lossa != null) lossa[lossOff + n] = (float) (lse - la[r + laba[labOff + n]]);
        }
    }

    public static void backward(int N, int E, CpuFloats probs, CpuInts labels, CpuFloats dlogits) {
        float[] pa = probs.array(), da = dlogits.array();
        int[] laba = labels.array();
        int pOff = probs.offset(), labOff = labels.offset(), dOff = dlogits.offset();
        for (int n = 0; n < N; n++)
            for (int e = 0; e < E; e++) {
                float target = e == laba[labOff + n] ? 1f : 0f;
                da[dOff + n * E + e] += (pa[pOff + n * E + e] - target) / N;
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
