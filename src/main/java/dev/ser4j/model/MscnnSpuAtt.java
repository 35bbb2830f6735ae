package dev.ser4j.model;

import dev.ser4j.backend.AdamHyper;
import dev.ser4j.backend.Backend;
import dev.ser4j.backend.ConvShape;
import dev.ser4j.backend.DropoutMask;
import dev.ser4j.backend.FloatBuf;
import dev.ser4j.backend.IntBuf;
import dev.ser4j.core.ModelConfig;
import dev.ser4j.core.Pooling;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * MSCNN-SPU-ATT (Peng et al., ICASSP 2021) exactly as docs/model-spec.md defines it, every variant and ablation,
 * on any {@link Backend}. Parameters, gradients and the two Adam moments each live in one contiguous block laid
 * out by {@link ParamLayout}; activations and their gradients are preallocated for the largest batch seen.
 *
 * <pre>
 *   audio [B,T,96] -pad-> conv(5,7,9,11)+ReLU -> ha [B,T,512] -SPU-> z[audio] (1536)           z[xvector] = xvector (512)
 *   tokens [B,M] -embedding-> et [B,M,300] -conv(2,3,4,5)+ReLU-> ht [B,M,512] -SPU-> z[text] (1536)
 *   et -SWEM-> z[swem] (600)            (z[audio] queries) x (ht keys/values) -attention-> z[att] (1536)
 *   z -dropout-> Linear(F,256) -ReLU-> dropout -> Linear(256,4) -> softmax cross-entropy
 * </pre>
 * Not thread-safe: one thread drives a model at a time.
 */
public final class MscnnSpuAtt implements AutoCloseable {
    private final ModelConfig cfg;
    private final Backend be;
    private final ParamLayout layout;
    private final FloatBuf params, grads, adamM, adamV, normSq;
    /** Per-tensor views of the parameter block and (when trainable) the gradient block, built once. */
    private final Views w, g;
    private final ConvShape audioShape, textShape;
    private boolean freezeEmbedding;
    private int adamSteps;

    private Acts acts;
    // The batch of the last forward, kept for backward.
    private int B, T, M;
    private float dropoutP;
    private long dropoutSeed;
    private boolean hasLabels;

    public MscnnSpuAtt(ModelConfig cfg, Backend backend) {
        this(cfg, backend, true);
    }

    /** {@code trainable = false} gives an inference-only model: no gradient or Adam blocks (a quarter of the memory). */
    public MscnnSpuAtt(ModelConfig cfg, Backend backend, boolean trainable) {
        this.cfg = cfg;
        this.be = backend;
        this.layout = new ParamLayout(cfg);
        long optimiser = trainable ? layout.size() : 1;
        this.params = be.allocFloats(layout.size());
        this.grads = be.allocFloats(optimiser);
        this.adamM = be.allocFloats(optimiser);
        this.adamV = be.allocFloats(optimiser);
        this.normSq = be.allocFloats(1);
        this.audioShape = new ConvShape(cfg.audioDim(), cfg.filters(), cfg.audioKernels());
        this.textShape = new ConvShape(cfg.embedDim(), cfg.filters(), cfg.textKernels());
        this.w = new Views(layout, params);
        this.g = trainable ? new Views(layout, grads) : null;
    }

    public ModelConfig config() { return cfg; }

    public ParamLayout layout() { return layout; }

    public Backend backend() { return be; }

    /** Freezes the word embedding: it then takes no gradient, no part in the clip norm and no Adam update. */
    public void freezeEmbedding(boolean frozen) { this.freezeEmbedding = frozen; }

    public boolean embeddingFrozen() { return freezeEmbedding; }

    /** Adam steps taken so far (the bias correction's step count). */
    public int adamSteps() { return adamSteps; }

    // ---- parameters ----

    private FloatBuf view(FloatBuf block, String name) {
        ParamLayout.Param p = layout.get(name);
        return block.slice(p.offset(), p.size());
    }

    /** One block's tensors by role; the branches a variant lacks are empty arrays or null. */
    private record Views(FloatBuf[] audioW, FloatBuf[] audioB, FloatBuf embedding, FloatBuf[] textW, FloatBuf[] textB,
                         FloatBuf hiddenW, FloatBuf hiddenB, FloatBuf outputW, FloatBuf outputB) {
        Views(ParamLayout l, FloatBuf block) {
            this(all(l, block, "audio.conv.", ".weight"), all(l, block, "audio.conv.", ".bias"), one(l, block, ParamLayout.EMBEDDING),
                    all(l, block, "text.conv.", ".weight"), all(l, block, "text.conv.", ".bias"), one(l, block, "head.hidden.weight"),
                    one(l, block, "head.hidden.bias"), one(l, block, "head.output.weight"), one(l, block, "head.output.bias"));
        }

        private static FloatBuf one(ParamLayout l, FloatBuf block, String name) {
            if (!l.has(name)) return null;
            ParamLayout.Param p = l.get(name);
            return block.slice(p.offset(), p.size());
        }

        private static FloatBuf[] all(ParamLayout l, FloatBuf block, String prefix, String suffix) {
            java.util.List<FloatBuf> v = new ArrayList<>();
            for (int i = 0; l.has(prefix + i + suffix); i++) v.add(one(l, block, prefix + i + suffix));
            return v.toArray(FloatBuf[]::new);
        }
    }

    public float[] parameter(String name) {
        float[] out = new float[layout.get(name).size()];
        be.download(view(params, name), out, 0);
        return out;
    }

    public void setParameter(String name, float[] values) {
        ParamLayout.Param p = layout.get(name);
        if (values.length != p.size())
            throw new IllegalArgumentException(name + ": " + values.length + " values for shape " + p.shapeString());
        be.upload(values, 0, view(params, name));
    }

    public float[] gradient(String name) {
        float[] out = new float[layout.get(name).size()];
        be.download(view(grads, name), out, 0);
        return out;
    }

    /** The whole parameter block, in {@link ParamLayout} order. */
    public float[] parameterBlock() {
        float[] out = new float[layout.size()];
        be.download(params, out, 0);
        return out;
    }

    /**
     * Fresh weights from a seed, as PyTorch initialises its layers: convolution and linear weights and biases
     * U(-1/sqrt(fan_in), 1/sqrt(fan_in)); the embedding U(-0.25, 0.25) with the PAD row zero. Each tensor draws
     * from its own stream (seeded by the seed and its name), so adding a tensor never shifts another's values.
     */
    public void initialize(long seed) {
        for (ParamLayout.Param p : layout.all()) {
            SplittableRandom rng = new SplittableRandom(seed ^ (long) p.name().hashCode() * 0x9E3779B97F4A7C15L);
            float[] w = new float[p.size()];
            double bound;
            if (p.name().equals(ParamLayout.EMBEDDING)) bound = 0.25;
            else {
                String weight = p.name().replace(".bias", ".weight");
                long[] ws = layout.get(weight).shape();
                long fanIn = ws[1] * (ws.length == 3 ? ws[2] : 1);
                bound = 1.0 / Math.sqrt(fanIn);
            }
            for (int i = 0; i < w.length; i++) w[i] = (float) rng.nextDouble(-bound, bound);
            if (p.name().equals(ParamLayout.EMBEDDING)) java.util.Arrays.fill(w, 0, cfg.embedDim(), 0f);
            setParameter(p.name(), w);
        }
        be.fill(adamM, 0f);
        be.fill(adamV, 0f);
        adamSteps = 0;
    }

    // ---- forward ----

    /**
     * Runs the model on a batch; with labels, returns the mean cross-entropy (read back once), else NaN.
     * {@code dropout} is the probability for both dropout layers (0 for evaluation), {@code seed} their masks'.
     */
    public double forward(Batch batch, float dropout, long seed) {
        batch.validate(cfg, "batch");
        B = batch.size();
        T = cfg.variant().audio ? batch.frames() : 0;
        M = cfg.variant().text ? batch.maxTokens() : 0;
        dropoutP = dropout;
        dropoutSeed = seed;
        hasLabels = batch.labels() != null;
        ensureCapacity(B, T, M);
        Acts a = acts;
        int F = cfg.headInput(), H = cfg.hidden(), E = cfg.classes();
        FloatBuf z = a.z.slice(0, (long) B * F);

        if (cfg.variant().audio) {
            be.upload(batch.audio(), 0, a.audioDense.slice(0, (long) B * T * cfg.audioDim()));
            be.upload(batch.audioLen(), 0, a.audioLen.slice(0, B));
            be.padForward(B, T, audioShape.pad(), cfg.audioDim(), a.audioDense, a.audioLen, a.xa);
            // the audio convolution's only consumer is its pooling: the backend may fuse the two
            be.convStatPoolForward(audioShape, cfg.audioPooling(), B, T, a.xa, a.audioLen, w.audioW, w.audioB, a.ha, z.slice(cfg.zAudio()),
                    F, a.argmaxAudio);
        }
        if (cfg.xvector()) be.uploadRows(batch.xvector(), B, cfg.xvectorDim(), z.slice(cfg.zXvector()), F);
        if (cfg.variant().text) {
            int P = textShape.pad(), C = cfg.textChannels(), D = cfg.embedDim();
            be.upload(batch.tokens(), 0, a.tokens.slice(0, (long) B * M));
            be.upload(batch.textLen(), 0, a.textLen.slice(0, B));
            be.embeddingForward(B, M, P, D, a.tokens, a.textLen, w.embedding, a.et);
            be.convForward(textShape, B, M, a.et, a.textLen, w.textW, w.textB, a.ht);
            be.statPoolForward(cfg.textPooling(), B, M, P, C, a.ht, a.textLen, z.slice(cfg.zText()), F, a.argmaxText);
            if (cfg.swem()) be.statPoolForward(Pooling.SWEM, B, M, P, D, a.et, a.textLen, z.slice(cfg.zSwem()), F, a.argmaxSwem);
            if (cfg.variant().attention)
                be.attentionForward(B, cfg.audioBlocks(), M, P, C, z.slice(cfg.zAudio()), F, a.ht, a.textLen, a.attProbs,
                        z.slice(cfg.zAttention()), F);
        }
        // head: dropout -> Linear(F, H) -> ReLU -> dropout -> Linear(H, E)
        FloatBuf headIn = z;
        if (dropoutP > 0) be.dropoutForward((long) B * F, dropoutP, DropoutMask.seed(seed, 0, 0), z, headIn = a.zDrop);
        be.linearForward(B, F, H, headIn, w.hiddenW, w.hiddenB, a.hidden);
        be.reluForward((long) B * H, a.hidden, a.hidden);
        FloatBuf hiddenIn = a.hidden;
        if (dropoutP > 0) be.dropoutForward((long) B * H, dropoutP, DropoutMask.seed(seed, 0, 1), a.hidden, hiddenIn = a.hiddenDrop);
        be.linearForward(B, H, E, hiddenIn, w.outputW, w.outputB, a.logits);
        if (!hasLabels) {
            be.crossEntropyForward(B, E, a.logits, a.labels, a.probs, null);
            return Double.NaN;
        }
        be.upload(batch.labels(), 0, a.labels.slice(0, B));
        be.crossEntropyForward(B, E, a.logits, a.labels, a.probs, a.losses);
        float[] losses = new float[B];
        be.download(a.losses.slice(0, B), losses, 0);
        double sum = 0;
        for (float l : losses) sum += l;
        return sum / B;
    }

    /** Logits [B, classes] of the last forward. */
    public float[] logits() {
        float[] out = new float[B * cfg.classes()];
        be.download(acts.logits.slice(0, out.length), out, 0);
        return out;
    }

    /** Softmax probabilities [B, classes] of the last forward. */
    public float[] probabilities() {
        float[] out = new float[B * cfg.classes()];
        be.download(acts.probs.slice(0, out.length), out, 0);
        return out;
    }

    /** The predicted class of row {@code row} of {@code probs [n, classes]}: the first of its largest probabilities. */
    public static int argmax(float[] probs, int row, int classes) {
        int best = 0;
        for (int c = 1; c < classes; c++) if (probs[row * classes + c] > probs[row * classes + best]) best = c;
        return best;
    }

    // ---- backward ----

    /** Sets every parameter gradient to zero (one fill of the gradient block). */
    public void zeroGrad() {
        be.fill(grads, 0f);
    }

    /** Adds the gradient of the last forward's mean loss into the gradient block. */
    public void backward() {
        normFresh = false;
        if (!hasLabels) throw new IllegalStateException("backward needs a forward pass with labels");
        if (g == null) throw new IllegalStateException("backward needs a trainable model");
        Acts a = acts;
        int F = cfg.headInput(), H = cfg.hidden(), E = cfg.classes();
        be.fill(a.gradBlock, 0f);
        FloatBuf z = a.z, dz = a.dz;
        be.crossEntropyBackward(B, E, a.probs, a.labels, a.dLogits);
        FloatBuf hiddenIn = dropoutP > 0 ? a.hiddenDrop : a.hidden, dHiddenIn = dropoutP > 0 ? a.dHiddenDrop : a.dHidden;
        be.linearBackward(B, H, E, hiddenIn, w.outputW, a.dLogits, dHiddenIn, g.outputW, g.outputB);
        if (dropoutP > 0) be.dropoutBackward((long) B * H, dropoutP, DropoutMask.seed(dropoutSeed, 0, 1), a.dHiddenDrop, a.dHidden);
        be.reluBackward((long) B * H, a.hidden, a.dHidden, a.dHiddenPre);
        FloatBuf headIn = dropoutP > 0 ? a.zDrop : z, dHeadIn = dropoutP > 0 ? a.dzDrop : dz;
        be.linearBackward(B, F, H, headIn, w.hiddenW, a.dHiddenPre, dHeadIn, g.hiddenW, g.hiddenB);
        if (dropoutP > 0) be.dropoutBackward((long) B * F, dropoutP, DropoutMask.seed(dropoutSeed, 0, 0), a.dzDrop, dz);

        if (cfg.variant().text) {
            int P = textShape.pad(), C = cfg.textChannels(), D = cfg.embedDim();
            // attention first: it adds into the audio pooling's gradient, which the audio backward then reads
            if (cfg.variant().attention)
                be.attentionBackward(B, cfg.audioBlocks(), M, P, C, z.slice(cfg.zAudio()), F, a.ht, a.textLen, a.attProbs,
                        dz.slice(cfg.zAttention()), F, dz.slice(cfg.zAudio()), a.dht);
            if (cfg.swem())
                be.statPoolBackward(Pooling.SWEM, B, M, P, D, a.et, a.textLen, z.slice(cfg.zSwem()), F, a.argmaxSwem,
                        dz.slice(cfg.zSwem()), a.det);
            be.statPoolBackward(cfg.textPooling(), B, M, P, C, a.ht, a.textLen, z.slice(cfg.zText()), F, a.argmaxText,
                    dz.slice(cfg.zText()), a.dht);
            be.convBackward(textShape, B, M, a.et, a.textLen, w.textW, a.ht, a.dht, freezeEmbedding ? null : a.det, g.textW, g.textB);
            if (!freezeEmbedding) be.embeddingBackward(B, M, P, D, a.tokens, a.textLen, a.det, g.embedding);
        }
        if (cfg.variant().audio)
            be.convStatPoolBackward(audioShape, cfg.audioPooling(), B, T, a.xa, a.audioLen, w.audioW, a.ha, z.slice(cfg.zAudio()), F,
                    a.argmaxAudio, dz.slice(cfg.zAudio()), a.dha, null, g.audioW, g.audioB);
    }

    // ---- optimiser ----

    /** The parameter ranges Adam updates: everything, less the embedding when it is frozen. */
    private List<long[]> trainableRanges() {
        List<long[]> ranges = new ArrayList<>();
        if (freezeEmbedding && layout.has(ParamLayout.EMBEDDING)) {
            ParamLayout.Param e = layout.get(ParamLayout.EMBEDDING);
            if (e.offset() > 0) ranges.add(new long[]{0, e.offset()});
            ranges.add(new long[]{e.offset() + e.size(), layout.size() - e.offset() - e.size()});
        } else {
            ranges.add(new long[]{0, layout.size()});
        }
        return ranges;
    }

    /**
     * The global L2 norm of the trainable parameters' gradient (one float read back). The next {@link #adamStep}
     * clips with it, so a caller can refuse a non-finite gradient before it reaches the weights.
     */
    public double gradNorm() {
        computeNormSq();
        float[] n = new float[1];
        be.download(normSq, n, 0);
        return Math.sqrt(n[0]);
    }

    private boolean normFresh;

    private void computeNormSq() {
        be.fill(normSq, 0f);
        for (long[] r : trainableRanges()) be.squaredNorm(grads.slice(r[0], r[1]), normSq);
        normFresh = true;
    }

    /** One Adam step with global-norm clipping over the trainable parameters (the norm stays on the device). */
    public void adamStep(AdamHyper h) {
        if (!normFresh) computeNormSq();
        normFresh = false;
        adamSteps++;
        for (long[] r : trainableRanges())
            be.adam(h, adamSteps, normSq, params.slice(r[0], r[1]), grads.slice(r[0], r[1]), adamM.slice(r[0], r[1]), adamV.slice(r[0], r[1]));
    }

    /** Continues from a saved optimiser state: the step count and both moment blocks, in layout order. */
    public void setAdamState(int steps, float[] m, float[] v) {
        if (m.length != layout.size() || v.length != layout.size())
            throw new IllegalArgumentException("Adam state of " + m.length + "/" + v.length + " values for " + layout.size() + " parameters");
        be.upload(m, 0, adamM);
        be.upload(v, 0, adamV);
        adamSteps = steps;
    }

    /** Adam's first and second moments, in layout order. */
    public float[][] adamState() {
        float[] m = new float[layout.size()], v = new float[layout.size()];
        be.download(adamM, m, 0);
        be.download(adamV, v, 0);
        return new float[][]{m, v};
    }

    /** Replaces the whole parameter block (e.g. with the best epoch's weights). */
    public void setParameterBlock(float[] block) {
        if (block.length != layout.size()) throw new IllegalArgumentException(block.length + " values for " + layout.size() + " parameters");
        be.upload(block, 0, params);
    }

    // ---- activations ----

    /** Every activation buffer, sized for a capacity (B, T, M); the gradients share one block. */
    private final class Acts {
        final int capB, capT, capM;
        final FloatBuf audioDense, xa, ha, et, ht, attProbs, z, zDrop, hidden, hiddenDrop, logits, probs, losses;
        final IntBuf audioLen, tokens, textLen, labels, argmaxAudio, argmaxText, argmaxSwem;
        final FloatBuf gradBlock, dha, det, dht, dz, dzDrop, dHiddenPre, dHidden, dHiddenDrop, dLogits;

        Acts(int capB, int capT, int capM) {
            this.capB = capB;
            this.capT = capT;
            this.capM = capM;
            int F = cfg.headInput(), H = cfg.hidden(), E = cfg.classes();
            long aRows = cfg.variant().audio ? (long) capB * (capT + 2L * audioShape.pad()) : 0;
            long tRows = cfg.variant().text ? (long) capB * (capM + 2L * textShape.pad()) : 0;
            audioDense = be.allocFloats(Math.max(1, (long) capB * capT * cfg.audioDim()));
            xa = be.allocFloats(Math.max(1, aRows * cfg.audioDim()));
            ha = be.allocFloats(Math.max(1, aRows * cfg.audioChannels()));
            et = be.allocFloats(Math.max(1, tRows * cfg.embedDim()));
            ht = be.allocFloats(Math.max(1, tRows * cfg.textChannels()));
            attProbs = be.allocFloats(Math.max(1, (long) capB * cfg.audioBlocks() * capM));
            z = be.allocFloats((long) capB * F);
            zDrop = be.allocFloats((long) capB * F);
            hidden = be.allocFloats((long) capB * H);
            hiddenDrop = be.allocFloats((long) capB * H);
            logits = be.allocFloats((long) capB * E);
            probs = be.allocFloats((long) capB * E);
            losses = be.allocFloats(capB);
            audioLen = be.allocInts(capB);
            tokens = be.allocInts(Math.max(1, (long) capB * capM));
            textLen = be.allocInts(capB);
            labels = be.allocInts(capB);
            argmaxAudio = be.allocInts((long) capB * cfg.audioChannels());
            argmaxText = be.allocInts((long) capB * cfg.textChannels());
            argmaxSwem = be.allocInts((long) capB * cfg.embedDim());
            long[] sizes = {ha.length(), et.length(), ht.length(), (long) capB * F, (long) capB * F,
                    (long) capB * H, (long) capB * H, (long) capB * H, (long) capB * E};
            long total = 0;
            for (long s : sizes) total += s;
            gradBlock = be.allocFloats(total);
            long off = 0;
            FloatBuf[] g = new FloatBuf[sizes.length];
            for (int i = 0; i < sizes.length; i++) {
                g[i] = gradBlock.slice(off, sizes[i]);
                off += sizes[i];
            }
            dha = g[0]; det = g[1]; dht = g[2]; dz = g[3]; dzDrop = g[4];
            dHiddenPre = g[5]; dHidden = g[6]; dHiddenDrop = g[7]; dLogits = g[8];
        }

        void free() {
            for (FloatBuf f : new FloatBuf[]{audioDense, xa, ha, et, ht, attProbs, z, zDrop, hidden, hiddenDrop, logits, probs, losses, gradBlock})
                be.free(f);
            for (IntBuf i : new IntBuf[]{audioLen, tokens, textLen, labels, argmaxAudio, argmaxText, argmaxSwem}) be.free(i);
        }
    }

    private void ensureCapacity(int b, int t, int m) {
        if (acts != null && b <= acts.capB && t <= acts.capT && m <= acts.capM) return;
        int cb = Math.max(b, acts == null ? 0 : acts.capB), ct = Math.max(t, acts == null ? 0 : acts.capT),
                cm = Math.max(m, acts == null ? 0 : acts.capM);
        if (acts != null) acts.free();  // give the old buffers back before allocating the new ones
        acts = null;
        acts = new Acts(cb, ct, cm);
    }

    /** Frees the model, then its backend: for a model that owns its backend (an inference instance on one of its own). */
    public void closeWithBackend() {
        close();
        be.close();
    }

    /** Frees the activations and the parameter, gradient and Adam blocks (the backend stays open). */
    @Override
    public void close() {
        if (acts != null) acts.free();
        acts = null;
        for (FloatBuf f : new FloatBuf[]{params, grads, adamM, adamV, normSq}) be.free(f);
    }
}
