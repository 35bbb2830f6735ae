package dev.ser4j.backend;

/**
 * Adam's hyper-parameters and the global-norm clip (model spec, "Training"); {@code clipNorm <= 0} disables
 * clipping.
 */
public record AdamHyper(float lr, float beta1, float beta2, float eps, float clipNorm) {
    /** The paper's settings: lr 0.0005, betas (0.9, 0.999), eps 1e-8, clip to norm 1.0. */
    public static AdamHyper paper() {
        return new AdamHyper(5e-4f, 0.9f, 0.999f, 1e-8f, 1.0f);
    }

    public AdamHyper withLr(float newLr) {
        return new AdamHyper(newLr, beta1, beta2, eps, clipNorm);
    }

    /** PyTorch's {@code clip_grad_norm_} factor for a gradient of global norm {@code norm}. */
    public float clipScale(double norm) {
        if (clipNorm <= 0) return 1f;
        return (float) Math.min(1.0, clipNorm / (norm + 1e-6));
    }
}
