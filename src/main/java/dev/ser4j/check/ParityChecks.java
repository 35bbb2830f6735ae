package dev.ser4j.check;

import dev.ser4j.backend.AdamHyper;
import dev.ser4j.backend.Backend;
import dev.ser4j.backend.ConvShape;
import dev.ser4j.backend.FloatBuf;
import dev.ser4j.backend.IntBuf;
import dev.ser4j.core.ModelConfig;
import dev.ser4j.core.Pooling;
import dev.ser4j.core.Variant;
import dev.ser4j.cpu.CpuBackend;
import dev.ser4j.model.Batch;
import dev.ser4j.model.MscnnSpuAtt;
import dev.ser4j.model.ParamLayout;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiFunction;

/**
 * The CPU-vs-CUDA parity checks, shared by the {@code *CudaParityTest} suite and {@code ./ser4j gpu-check}: every op
 * forward and backward on random inputs with varying lengths (1 and, for text, 0 included), gradient outputs
 * pre-filled with random values so that "backward adds" is checked too, and whole-model twins.
 *
 * <p>An error is {@code max |cpu - gpu| / (max |cpu| + 1e-6)} over a tensor. Ops whose GPU arithmetic mirrors the
 * Java op (everything in ser4j's kernels) are held to 1e-5; cuDNN/cuBLAS products, which sum in another order,
 * and the whole model to 1e-4 (TF32 off). The whole-model twins cover the paper's model tensor by tensor
 * ({@link #model}), and every other variant, the ablations, a frozen embedding and the paper's full sizes in four
 * rows each ({@link #models}).
 */
public final class ParityChecks {
    private ParityChecks() {}

    /** One compared tensor. */
    public record Result(String op, String tensor, double error, double tolerance) {
        public boolean passed() { return error <= tolerance; }   // NaN fails

        @Override
        public String toString() {
            return String.format("%-24s %-40s %.2e (tolerance %.0e) %s", op, tensor, error, tolerance, passed() ? "ok" : "FAILED");
        }
    }

    static final double KERNEL_TOL = 1e-5, LIBRARY_TOL = 1e-4;

    /** One group of checks under its name. */
    private record Check(String name, BiFunction<Backend, Long, List<Result>> run) {}

    private static final List<Check> ALL = List.of(new Check("pad", ParityChecks::pad), new Check("embedding", ParityChecks::embedding),
            new Check("conv", ParityChecks::conv), new Check("statpool", ParityChecks::statPool), new Check("attention", ParityChecks::attention),
            new Check("linear", ParityChecks::linear), new Check("relu", ParityChecks::relu), new Check("dropout", ParityChecks::dropout),
            new Check("crossentropy", ParityChecks::crossEntropy), new Check("adam", ParityChecks::adam), new Check("model", ParityChecks::model),
            new Check("models", ParityChecks::models));

    /**
     * Every op check and the model twins. A group that throws (a CUDA, cuBLAS or cuDNN error) becomes one failed row
     * naming the exception, and the other groups still run: on a first contact with a GPU, every answer counts.
     */
    public static List<Result> all(Backend gpu, long seed) {
        List<Result> r = new ArrayList<>();
        for (Check c : ALL) {
            try {
                r.addAll(c.run().apply(gpu, seed));
            } catch (RuntimeException e) {
                r.add(new Result(c.name(), "threw " + e, Double.NaN, 0));
            }
        }
        return r;
    }

    /** The same data on both backends. */
    private static final class Twin implements AutoCloseable {
        final CpuBackend cpu = new CpuBackend();
        final Backend gpu;
        final SplittableRandom rng;
        final String op;
        final List<Result> results = new ArrayList<>();

        Twin(Backend gpu, long seed, String op) {
            this.gpu = gpu;
            this.rng = new SplittableRandom(seed ^ op.hashCode());
            this.op = op;
        }

        FloatBuf[] floats(float[] v) {
            FloatBuf c = cpu.allocFloats(v.length), g = gpu.allocFloats(v.length);
            cpu.upload(v, 0, c);
            gpu.upload(v, 0, g);
            return new FloatBuf[]{c, g};
        }

        FloatBuf[] random(int n, double scale) {
            float[] v = new float[n];
            for (int i = 0; i < n; i++) v[i] = (float) (rng.nextGaussian() * scale);
            return floats(v);
        }

        IntBuf[] ints(int[] v) {
            IntBuf c = cpu.allocInts(Math.max(1, v.length)), g = gpu.allocInts(Math.max(1, v.length));
            if (v.length > 0) {
                cpu.upload(v, 0, c.slice(0, v.length));
                gpu.upload(v, 0, g.slice(0, v.length));
            }
            return new IntBuf[]{c, g};
        }

        /** Lengths in 1..T (or 0..T), with 1 (and 0) and T present when B allows. */
        int[] lengths(int B, int T, boolean allowZero) {
            int[] len = new int[B];
            for (int b = 0; b < B; b++) len[b] = rng.nextInt(allowZero ? 0 : 1, T + 1);
            if (B > 0) len[0] = T;
            if (B > 1) len[1] = 1;
            if (B > 2 && allowZero) len[2] = 0;
            return len;
        }

        void compare(String tensor, FloatBuf[] t, double tol) {
            float[] a = new float[(int) t[0].length()], b = new float[(int) t[1].length()];
            cpu.download(t[0], a, 0);
            gpu.download(t[1], b, 0);
            results.add(new Result(op, tensor, error(a, b), tol));
        }

        void compare(String tensor, IntBuf[] t) {
            int[] a = new int[(int) t[0].length()], b = new int[(int) t[1].length()];
            cpu.download(t[0], a, 0);
            gpu.download(t[1], b, 0);
            int diff = 0;
            for (int i = 0; i < a.length; i++) if (a[i] != b[i]) diff++;
            results.add(new Result(op, tensor + " (mismatches)", diff, 0));
        }

        @Override
        public void close() {
            cpu.close();        // the GPU buffers go with the caller's backend
        }
    }

    /** max |a - b| / (max |a| + 1e-6); NaN anywhere gives NaN. */
    public static double error(float[] a, float[] b) {
        if (a.length != b.length) return Double.NaN;
        double diff = 0, scale = 0;
        for (int i = 0; i < a.length; i++) {
            double d = Math.abs((double) a[i] - b[i]);
            if (Double.isNaN(d)) return Double.NaN;
            diff = Math.max(diff, d);
            scale = Math.max(scale, Math.abs(a[i]));
        }
        return diff / (scale + 1e-6);
    }

    private static FloatBuf c(FloatBuf[] t) { return t[0]; }

    private static FloatBuf g(FloatBuf[] t) { return t[1]; }

    private static IntBuf c(IntBuf[] t) { return t[0]; }

    private static IntBuf g(IntBuf[] t) { return t[1]; }

    public static List<Result> pad(Backend gpu, long seed) {
        try (Twin t = new Twin(gpu, seed, "pad")) {
            int B = 5, T = 17, P = 3, C = 7;
            FloatBuf[] x = t.random(B * T * C, 1);
            IntBuf[] len = t.ints(t.lengths(B, T, false));
            FloatBuf[] out = t.random(B * (T + 2 * P) * C, 1);
            t.cpu.padForward(B, T, P, C, c(x), c(len), c(out));
            t.gpu.padForward(B, T, P, C, g(x), g(len), g(out));
            t.compare("out", out, 0);
            return t.results;
        }
    }

    public static List<Result> embedding(Backend gpu, long seed) {
        try (Twin t = new Twin(gpu, seed, "embedding")) {
            int B = 6, T = 9, P = 2, D = 13, V = 7;      // a small vocabulary: tokens repeat within and across utterances
            int[] lens = t.lengths(B, T, true), tok = new int[B * T];
            for (int i = 0; i < tok.length; i++) tok[i] = t.rng.nextInt(V);
            IntBuf[] tokens = t.ints(tok), len = t.ints(lens);
            FloatBuf[] table = t.random(V * D, 1), out = t.random(B * (T + 2 * P) * D, 1);
            t.cpu.embeddingForward(B, T, P, D, c(tokens), c(len), c(table), c(out));
            t.gpu.embeddingForward(B, T, P, D, g(tokens), g(len), g(table), g(out));
            t.compare("out", out, 0);
            FloatBuf[] dout = t.random(B * (T + 2 * P) * D, 1), dtable = t.random(V * D, 1);
            t.cpu.embeddingBackward(B, T, P, D, c(tokens), c(len), c(dout), c(dtable));
            t.gpu.embeddingBackward(B, T, P, D, g(tokens), g(len), g(dout), g(dtable));
            t.compare("dtable", dtable, KERNEL_TOL);
            return t.results;
        }
    }

    public static List<Result> conv(Backend gpu, long seed) {
        List<Result> r = new ArrayList<>();
        r.addAll(conv(gpu, seed, new ConvShape(12, 8, new int[]{5, 7, 9, 11}), 4, 23, false, "conv(audio)"));
        r.addAll(conv(gpu, seed, new ConvShape(10, 8, new int[]{2, 3, 4, 5}), 5, 9, true, "conv(text)"));
        return r;
    }

    private static List<Result> conv(Backend gpu, long seed, ConvShape s, int B, int T, boolean allowZero, String op) {
        try (Twin t = new Twin(gpu, seed, op)) {
            int P = s.pad(), W = T + 2 * P, K = s.kernels().length;
            int[] lens = t.lengths(B, T, allowZero);
            IntBuf[] len = t.ints(lens);
            float[] xv = new float[B * W * s.cin()];
            for (int b = 0; b < B; b++)
                for (int tt = 0; tt < lens[b]; tt++)
                    for (int ch = 0; ch < s.cin(); ch++) xv[(b * W + P + tt) * s.cin() + ch] = (float) t.rng.nextGaussian();
            FloatBuf[] x = t.floats(xv), out = t.random(B * W * s.cout(), 1);
            FloatBuf[][] w = new FloatBuf[K][], bias = new FloatBuf[K][], dw = new FloatBuf[K][], db = new FloatBuf[K][];
            for (int k = 0; k < K; k++) {
                w[k] = t.random((int) s.weightSize(k), 0.3);
                bias[k] = t.random(s.filters(), 0.1);
                dw[k] = t.random((int) s.weightSize(k), 1);
                db[k] = t.random(s.filters(), 1);
            }
            t.cpu.convForward(s, B, T, c(x), c(len), side(w, 0), side(bias, 0), c(out));
            t.gpu.convForward(s, B, T, g(x), g(len), side(w, 1), side(bias, 1), g(out));
            t.compare("out", out, LIBRARY_TOL);
            FloatBuf[] dout = t.random(B * W * s.cout(), 1), dx = t.random(B * W * s.cin(), 1);
            t.cpu.convBackward(s, B, T, c(x), c(len), side(w, 0), c(out), c(dout), c(dx), side(dw, 0), side(db, 0));
            t.gpu.convBackward(s, B, T, g(x), g(len), side(w, 1), g(out), g(dout), g(dx), side(dw, 1), side(db, 1));
            t.compare("dout (pre-ReLU)", dout, 0);
            t.compare("dx", dx, LIBRARY_TOL);
            for (int k = 0; k < K; k++) {
                t.compare("dw[" + k + "]", dw[k], LIBRARY_TOL);
                t.compare("db[" + k + "]", db[k], KERNEL_TOL);
            }
            return t.results;
        }
    }

    private static FloatBuf[] side(FloatBuf[][] twins, int side) {
        FloatBuf[] out = new FloatBuf[twins.length];
        for (int i = 0; i < twins.length; i++) out[i] = twins[i][side];
        return out;
    }

    public static List<Result> statPool(Backend gpu, long seed) {
        List<Result> r = new ArrayList<>();
        for (Pooling st : Pooling.values()) {
            try (Twin t = new Twin(gpu, seed, "statpool(" + st + ")")) {
                int B = 5, T = 19, P = 2, C = 11, S = st.blocks() * C + 3;      // a wider row: strided output
                int[] lens = t.lengths(B, T, st == Pooling.SWEM);
                IntBuf[] len = t.ints(lens), argmax = t.ints(new int[B * C]);
                FloatBuf[] x = t.random(B * (T + 2 * P) * C, 1), out = t.random(B * S, 1);
                t.cpu.statPoolForward(st, B, T, P, C, c(x), c(len), c(out), S, c(argmax));
                t.gpu.statPoolForward(st, B, T, P, C, g(x), g(len), g(out), S, g(argmax));
                t.compare("out", out, KERNEL_TOL);
                t.compare("argmax", argmax);
                FloatBuf[] dout = t.random(B * S, 1), dx = t.random(B * (T + 2 * P) * C, 1);
                t.cpu.statPoolBackward(st, B, T, P, C, c(x), c(len), c(out), S, c(argmax), c(dout), c(dx));
                t.gpu.statPoolBackward(st, B, T, P, C, g(x), g(len), g(out), S, g(argmax), g(dout), g(dx));
                t.compare("dx", dx, KERNEL_TOL);
                r.addAll(t.results);
            }
        }
        return r;
    }

    public static List<Result> attention(Backend gpu, long seed) {
        try (Twin t = new Twin(gpu, seed, "attention")) {
            int B = 6, G = 3, T = 8, P = 2, C = 16, Sq = G * C + 5, So = G * C + 2;
            IntBuf[] len = t.ints(t.lengths(B, T, true));
            FloatBuf[] q = t.random(B * Sq, 0.5), keys = t.random(B * (T + 2 * P) * C, 0.5);
            FloatBuf[] probs = t.random(B * G * T, 1), out = t.random(B * So, 1);
            t.cpu.attentionForward(B, G, T, P, C, c(q), Sq, c(keys), c(len), c(probs), c(out), So);
            t.gpu.attentionForward(B, G, T, P, C, g(q), Sq, g(keys), g(len), g(probs), g(out), So);
            t.compare("probs", probs, KERNEL_TOL);
            t.compare("out", out, KERNEL_TOL);
            FloatBuf[] dout = t.random(B * So, 1), dq = t.random(B * Sq, 1), dkeys = t.random(B * (T + 2 * P) * C, 1);
            t.cpu.attentionBackward(B, G, T, P, C, c(q), Sq, c(keys), c(len), c(probs), c(dout), So, c(dq), c(dkeys));
            t.gpu.attentionBackward(B, G, T, P, C, g(q), Sq, g(keys), g(len), g(probs), g(dout), So, g(dq), g(dkeys));
            t.compare("dq", dq, KERNEL_TOL);
            t.compare("dkeys", dkeys, KERNEL_TOL);
            return t.results;
        }
    }

    public static List<Result> linear(Backend gpu, long seed) {
        try (Twin t = new Twin(gpu, seed, "linear")) {
            int N = 7, I = 37, O = 11;
            FloatBuf[] x = t.random(N * I, 1), w = t.random(O * I, 0.2), b = t.random(O, 0.1), out = t.random(N * O, 1);
            t.cpu.linearForward(N, I, O, c(x), c(w), c(b), c(out));
            t.gpu.linearForward(N, I, O, g(x), g(w), g(b), g(out));
            t.compare("out", out, LIBRARY_TOL);
            FloatBuf[] dout = t.random(N * O, 1), dx = t.random(N * I, 1), dw = t.random(O * I, 1), db = t.random(O, 1);
            t.cpu.linearBackward(N, I, O, c(x), c(w), c(dout), c(dx), c(dw), c(db));
            t.gpu.linearBackward(N, I, O, g(x), g(w), g(dout), g(dx), g(dw), g(db));
            t.compare("dx", dx, LIBRARY_TOL);
            t.compare("dw", dw, LIBRARY_TOL);
            t.compare("db", db, KERNEL_TOL);
            return t.results;
        }
    }

    public static List<Result> relu(Backend gpu, long seed) {
        try (Twin t = new Twin(gpu, seed, "relu")) {
            int n = 1000;
            FloatBuf[] x = t.random(n, 1), out = t.random(n, 1);
            t.cpu.reluForward(n, c(x), c(out));
            t.gpu.reluForward(n, g(x), g(out));
            t.compare("out", out, 0);
            FloatBuf[] dout = t.random(n, 1), dx = t.random(n, 1);
            t.cpu.reluBackward(n, c(out), c(dout), c(dx));
            t.gpu.reluBackward(n, g(out), g(dout), g(dx));
            t.compare("dx", dx, 0);
            return t.results;
        }
    }

    public static List<Result> dropout(Backend gpu, long seed) {
        try (Twin t = new Twin(gpu, seed, "dropout")) {
            int n = 5000;
            FloatBuf[] x = t.random(n, 1), out = t.random(n, 1);
            t.cpu.dropoutForward(n, 0.3f, seed * 31 + 7, c(x), c(out));
            t.gpu.dropoutForward(n, 0.3f, seed * 31 + 7, g(x), g(out));
            t.compare("out (mask bit-exact)", out, 0);
            FloatBuf[] dout = t.random(n, 1), dx = t.random(n, 1);
            t.cpu.dropoutBackward(n, 0.3f, seed * 31 + 7, c(dout), c(dx));
            t.gpu.dropoutBackward(n, 0.3f, seed * 31 + 7, g(dout), g(dx));
            t.compare("dx", dx, 0);
            return t.results;
        }
    }

    public static List<Result> crossEntropy(Backend gpu, long seed) {
        try (Twin t = new Twin(gpu, seed, "crossentropy")) {
            int N = 9, E = 4;
            int[] lab = new int[N];
            for (int i = 0; i < N; i++) lab[i] = t.rng.nextInt(E);
            IntBuf[] labels = t.ints(lab);
            FloatBuf[] logits = t.random(N * E, 3), probs = t.random(N * E, 1), losses = t.random(N, 1);
            t.cpu.crossEntropyForward(N, E, c(logits), c(labels), c(probs), c(losses));
            t.gpu.crossEntropyForward(N, E, g(logits), g(labels), g(probs), g(losses));
            t.compare("probs", probs, KERNEL_TOL);
            t.compare("losses", losses, KERNEL_TOL);
            FloatBuf[] dl = t.random(N * E, 1);
            t.cpu.crossEntropyBackward(N, E, c(probs), c(labels), c(dl));
            t.gpu.crossEntropyBackward(N, E, g(probs), g(labels), g(dl));
            t.compare("dlogits", dl, KERNEL_TOL);
            return t.results;
        }
    }

    public static List<Result> adam(Backend gpu, long seed) {
        try (Twin t = new Twin(gpu, seed, "adam")) {
            int n = 70001;      // more than one grid-stride pass of the norm's 65536 threads
            FloatBuf[] grad = t.random(n, 0.01), acc = t.floats(new float[]{0.5f});
            t.cpu.squaredNorm(c(grad), c(acc));
            t.gpu.squaredNorm(g(grad), g(acc));
            t.compare("normSq", acc, KERNEL_TOL);
            FloatBuf[] p = t.random(n, 1), m = t.random(n, 0.01), v = t.floats(new float[n]);
            AdamHyper h = AdamHyper.paper();
            for (int step = 1; step <= 3; step++) {
                t.cpu.adam(h, step, c(acc), c(p), c(grad), c(m), c(v));
                t.gpu.adam(h, step, g(acc), g(p), g(grad), g(m), g(v));
            }
            t.compare("p after 3 steps", p, KERNEL_TOL);
            t.compare("m", m, KERNEL_TOL);
            t.compare("v", v, KERNEL_TOL);
            return t.results;
        }
    }

    /**
     * Whole-model twins: the same seeded MSCNN-SPU-ATT (smaller widths, x-vector, dropout on) on the CPU and on
     * {@code gpu}: logits, loss and every gradient of one step, then every weight after 5 Adam steps.
     */
    public static List<Result> model(Backend gpu, long seed) {
        return twin(gpu, seed, ModelConfig.of(Variant.MSCNN_SPU_ATT, 30, true).withSizes(24, 20, 16, 8, 32), false, "model", true);
    }

    /**
     * More whole-model twins, four rows each (logits, loss, the worst gradient and the worst weight after 5 Adam
     * steps, naming the tensor): the other Table 1 variants, the ablations (max pooling, no SWEM), a frozen embedding
     * (the text convolution's backward without dx) and MSCNN-SPU-ATT at the paper's sizes (96 features, 300-d
     * embedding, 512-d x-vector, 128 filters, hidden 256), whose convolutions get the library algorithms of the real
     * shapes.
     */
    public static List<Result> models(Backend gpu, long seed) {
        List<Result> r = new ArrayList<>();
        for (Variant v : Variant.values()) {
            if (v == Variant.MSCNN_SPU_ATT) continue;                  // model(): tensor by tensor
            ModelConfig cfg = ModelConfig.of(v, 30, v != Variant.AUDIO_CNN && v != Variant.TEXT_CNN).withSizes(24, 20, 16, 8, 32);
            r.addAll(twin(gpu, seed, cfg, false, "model(" + v.id + ")", false));
        }
        ModelConfig att = ModelConfig.of(Variant.MSCNN_SPU_ATT, 30, true).withSizes(24, 20, 16, 8, 32);
        r.addAll(twin(gpu, seed, att.withAudioPooling(Pooling.MAX).withTextPooling(Pooling.MAX), false, "model(max pooling)", false));
        r.addAll(twin(gpu, seed, att.withSwem(false), false, "model(no SWEM)", false));
        r.addAll(twin(gpu, seed, att, true, "model(frozen embedding)", false));
        r.addAll(twin(gpu, seed, ModelConfig.of(Variant.MSCNN_SPU_ATT, 50, true), false, "model(paper sizes)", false));
        return r;
    }

    /**
     * Logits and loss of one step, its gradients, then the weights after 5 Adam steps (dropout on): every tensor's
     * row when {@code everyTensor}, else the worst gradient and the worst weight, naming the tensor.
     */
    private static List<Result> twin(Backend gpu, long seed, ModelConfig cfg, boolean freezeEmbedding, String op, boolean everyTensor) {
        List<Result> r = new ArrayList<>();
        Batch batch = batch(cfg, new SplittableRandom(seed), 6, 31, 7);
        try (CpuBackend cpuBackend = new CpuBackend();
             MscnnSpuAtt a = new MscnnSpuAtt(cfg, cpuBackend); MscnnSpuAtt b = new MscnnSpuAtt(cfg, gpu)) {
            a.initialize(seed);
            b.initialize(seed);
            a.freezeEmbedding(freezeEmbedding);
            b.freezeEmbedding(freezeEmbedding);
            AdamHyper h = AdamHyper.paper();
            for (int step = 0; step < 5; step++) {
                a.zeroGrad();
                b.zeroGrad();
                double la = a.forward(batch, cfg.dropout(), seed + step), lb = b.forward(batch, cfg.dropout(), seed + step);
                if (step == 0) {
                    r.add(new Result(op, "logits", error(a.logits(), b.logits()), LIBRARY_TOL));
                    r.add(new Result(op, "loss", Math.abs(la - lb) / (Math.abs(la) + 1e-6), LIBRARY_TOL));
                }
                a.backward();
                b.backward();
                if (step == 0 && everyTensor)
                    for (ParamLayout.Param p : a.layout().all())
                        r.add(new Result(op, "grad " + p.name(), error(a.gradient(p.name()), b.gradient(p.name())), LIBRARY_TOL));
                else if (step == 0) r.add(worst(op, "grad", a, b, true));
                a.adamStep(h);
                b.adamStep(h);
            }
            if (everyTensor)
                for (ParamLayout.Param p : a.layout().all())
                    r.add(new Result(op, "5 steps: " + p.name(), error(a.parameter(p.name()), b.parameter(p.name())), LIBRARY_TOL));
            else r.add(worst(op, "5 steps", a, b, false));
        }
        return r;
    }

    /** The largest error over every parameter's gradient (or value), naming that parameter. */
    private static Result worst(String op, String what, MscnnSpuAtt a, MscnnSpuAtt b, boolean gradients) {
        double max = -1;
        String at = "";
        for (ParamLayout.Param p : a.layout().all()) {
            double e = gradients ? error(a.gradient(p.name()), b.gradient(p.name())) : error(a.parameter(p.name()), b.parameter(p.name()));
            if (Double.isNaN(e) || e > max) {
                max = e;
                at = p.name();
                if (Double.isNaN(e)) break;
            }
        }
        return new Result(op, what + ", worst: " + at, max, LIBRARY_TOL);
    }

    /** A random labelled batch; utterance 1 has one frame and one token, utterance 2 no text (no text at all for an audio-only model). */
    public static Batch batch(ModelConfig cfg, SplittableRandom rng, int B, int T, int M) {
        float[] audio = new float[B * T * cfg.audioDim()];
        int[] aLen = new int[B], tokens = new int[B * M], tLen = new int[B], labels = new int[B];
        for (int b = 0; b < B; b++) {
            aLen[b] = b == 0 ? T : b == 1 ? 1 : rng.nextInt(1, T + 1);
            tLen[b] = b == 0 ? M : b == 1 ? 1 : b == 2 ? 0 : rng.nextInt(0, M + 1);
            if (!cfg.variant().text) tLen[b] = 0;
            labels[b] = rng.nextInt(cfg.classes());
            for (int t = 0; t < aLen[b]; t++)
                for (int c = 0; c < cfg.audioDim(); c++) audio[(b * T + t) * cfg.audioDim() + c] = (float) rng.nextGaussian();
            for (int t = 0; t < tLen[b]; t++) tokens[b * M + t] = rng.nextInt(1, cfg.vocab());
        }
        float[] xv = null;
        if (cfg.xvector()) {
            xv = new float[B * cfg.xvectorDim()];
            for (int i = 0; i < xv.length; i++) xv[i] = (float) rng.nextGaussian();
        }
        return new Batch(B, T, M, audio, aLen, tokens, tLen, labels, xv);
    }
}
