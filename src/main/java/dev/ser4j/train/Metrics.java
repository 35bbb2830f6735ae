package dev.ser4j.train;

/**
 * The paper's metrics on one test set: WA (accuracy over utterances) and UA (mean per-class recall over the
 * classes present), per-class precision, recall and F1, and the confusion matrix (rows true, columns predicted,
 * in class order).
 */
public record Metrics(int n, double wa, double ua, int[][] confusion, double[] precision, double[] recall, double[] f1) {

    public static Metrics of(int[] truth, int[] predicted, int classes) {
        int[][] cm = new int[classes][classes];
        for (int i = 0; i < truth.length; i++) cm[truth[i]][predicted[i]]++;
        return fromConfusion(cm);
    }

    /** Metrics of a confusion matrix (e.g. one summed over folds). */
    public static Metrics fromConfusion(int[][] cm) {
        int k = cm.length, n = 0, right = 0, present = 0;
        double[] p = new double[k], r = new double[k], f = new double[k];
        double uaSum = 0;
        for (int c = 0; c < k; c++) {
            int support = 0, predictedAs = 0;
            for (int j = 0; j < k; j++) { support += cm[c][j]; predictedAs += cm[j][c]; }
            n += support;
            right += cm[c][c];
            r[c] = support == 0 ? Double.NaN : (double) cm[c][c] / support;
            p[c] = predictedAs == 0 ? 0 : (double) cm[c][c] / predictedAs;
            f[c] = support == 0 ? Double.NaN : p[c] + r[c] == 0 ? 0 : 2 * p[c] * r[c] / (p[c] + r[c]);
            if (support > 0) { uaSum += r[c]; present++; }
        }
        return new Metrics(n, n == 0 ? Double.NaN : (double) right / n, present == 0 ? Double.NaN : uaSum / present, cm, p, r, f);
    }
}
