package dev.ser4j.bench;

import dev.ser4j.backend.AdamHyper;
import dev.ser4j.backend.Backend;
import dev.ser4j.backend.ConvShape;
import dev.ser4j.backend.FloatBuf;
import dev.ser4j.backend.IntBuf;
import dev.ser4j.core.ModelConfig;
import dev.ser4j.core.Pooling;
import dev.ser4j.cpu.CpuBackend;
import org.openjdk.jmh.annotations.*;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Every hot op of the CPU backend, forward and backward, on the shapes of one training batch of the paper's model:
 * B = 64 utterances of 450 audio frames and 15 tokens, 128 filters per kernel size, a 300-d embedding of 4000 words,
 * head input 5,208 (x-vector included), hidden 256. Backward runs on the forward's activations and adds into its
 * gradients, as in training. The op names are the backend's (and the kernels' files):
 * {@code conv} (audio, 96 -> 512), {@code conv-text} (300 -> 512), {@code statpool} (SPU over the audio output),
 * {@code swem} (statpool's SWEM mode over the word embeddings), {@code attention}, {@code embedding}, {@code pad},
 * {@code linear} (the head's first layer), {@code relu}, {@code dropout}, {@code crossentropy}, {@code adam} (forward: the clip's
 * squared gradient norm; backward: one clipped step over all 3.8 M parameters). {@code pad} has no backward (its
 * input is data): both of its rows time the forward.
 *
 * <pre>./ser4j jmh OpBench                       every op, forward and backward
 * ./ser4j jmh OpBench -p op=conv,statpool    some of them
 * ./ser4j jmh OpBench -p op=conv -p conv=direct,winograd    the audio convolution by each algorithm</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx6g"})
public class OpBench {
    @Param({"conv", "conv-text", "statpool", "swem", "attention", "embedding", "pad", "linear", "relu", "dropout", "crossentropy", "adam"})
    public String op;

    /** The CPU backend's convolution algorithms: {@code default} (as configured: auto unless {@code SER4J_CONV} says otherwise), {@code direct}, {@code winograd[:L]}. */
    @Param({"default"})
    public String conv;

    static final int B = 64, T = 450, M = 15, E = 4;
    static final ModelConfig CFG = ModelConfig.of(dev.ser4j.core.Variant.MSCNN_SPU_ATT, 4000, true);

    Backend be;
    ConvShape audio, text;
    int F, H, C, D, PA, PT;
    FloatBuf dense, xa, ha, attProbs, dha, et, det, ht, dht, z, dz, probs, hidden, dhidden, logits, dlogits, losses, normSq;
    FloatBuf table, dtable, wHidden, bHidden, dwHidden, dbHidden, params, grads, adamM, adamV;
    FloatBuf[] wa, ba, dwa, dba, wt, bt, dwt, dbt;
    IntBuf aLen, tLen, tokens, labels, argmax, argmaxSwem;

    @Setup
    public void setup() {
        be = conv.equals("default") ? new CpuBackend() : new CpuBackend(dev.ser4j.cpu.ConvAlgorithm.parse(conv));
        SplittableRandom rng = new SplittableRandom(1);
        audio = new ConvShape(CFG.audioDim(), CFG.filters(), CFG.audioKernels());
        text = new ConvShape(CFG.embedDim(), CFG.filters(), CFG.textKernels());
        F = CFG.headInput();
        H = CFG.hidden();
        C = CFG.audioChannels();
        D = CFG.embedDim();
        PA = audio.pad();
        PT = text.pad();
        long rowsA = (long) B * (T + 2 * PA), rowsT = (long) B * (M + 2 * PT);
        dense = random(rng, (long) B * T * CFG.audioDim());
        xa = be.allocFloats(rowsA * CFG.audioDim());
        ha = be.allocFloats(rowsA * C);
        dha = random(rng, rowsA * C);
        et = be.allocFloats(rowsT * D);
        det = random(rng, rowsT * D);
        ht = be.allocFloats(rowsT * C);
        dht = random(rng, rowsT * C);
        z = random(rng, (long) B * F);
        dz = random(rng, (long) B * F);
        hidden = be.allocFloats((long) B * H);
        dhidden = random(rng, (long) B * H);
        logits = random(rng, (long) B * E);
        dlogits = be.allocFloats((long) B * E);
        probs = be.allocFloats((long) B * E);
        losses = be.allocFloats(B);
        normSq = be.allocFloats(1);
        table = random(rng, (long) CFG.vocab() * D);
        dtable = be.allocFloats((long) CFG.vocab() * D);
        wHidden = random(rng, (long) H * F);
        bHidden = random(rng, H);
        dwHidden = be.allocFloats((long) H * F);
        dbHidden = be.allocFloats(H);
        long n = CFG.parameterCount();
        params = random(rng, n);
        grads = random(rng, n);
        adamM = be.allocFloats(n);
        adamV = be.allocFloats(n);
        wa = weights(rng, audio, false);
        ba = biases(rng, audio, false);
        dwa = weights(rng, audio, true);
        dba = biases(rng, audio, true);
        wt = weights(rng, text, false);
        bt = biases(rng, text, false);
        dwt = weights(rng, text, true);
        dbt = biases(rng, text, true);
        int[] al = new int[B], tl = new int[B], tok = new int[B * M], lab = new int[B];
        for (int b = 0; b < B; b++) {
            al[b] = T - rng.nextInt(100);               // lengths vary, as in a bucketed batch
            tl[b] = M - rng.nextInt(5);
            lab[b] = rng.nextInt(E);
            for (int t = 0; t < tl[b]; t++) tok[b * M + t] = rng.nextInt(1, CFG.vocab());
        }
        aLen = ints(al);
        tLen = ints(tl);
        tokens = ints(tok);
        labels = ints(lab);
        argmax = be.allocInts((long) B * C);
        argmaxSwem = be.allocInts((long) B * D);
        attProbs = be.allocFloats((long) B * 3 * M);
        // forward once, so that every backward reads real activations
        be.padForward(B, T, PA, CFG.audioDim(), dense, aLen, xa);
        be.convForward(audio, B, T, xa, aLen, wa, ba, ha);
        be.embeddingForward(B, M, PT, D, tokens, tLen, table, et);
        be.convForward(text, B, M, et, tLen, wt, bt, ht);
        be.statPoolForward(Pooling.SPU, B, T, PA, C, ha, aLen, z, F, argmax);
        be.statPoolForward(Pooling.SWEM, B, M, PT, D, et, tLen, z.slice(4 * C), F, argmaxSwem);
        be.linearForward(B, F, H, z, wHidden, bHidden, hidden);
        be.crossEntropyForward(B, E, logits, labels, probs, losses);
    }

    private FloatBuf random(SplittableRandom rng, long n) {
        float[] v = new float[Math.toIntExact(n)];
        for (int i = 0; i < v.length; i++) v[i] = (float) (rng.nextGaussian() * 0.1);
        FloatBuf b = be.allocFloats(n);
        be.upload(v, 0, b);
        return b;
    }

    private IntBuf ints(int[] v) {
        IntBuf b = be.allocInts(v.length);
        be.upload(v, 0, b);
        return b;
    }

    private FloatBuf[] weights(SplittableRandom rng, ConvShape s, boolean zero) {
        FloatBuf[] w = new FloatBuf[s.kernels().length];
        for (int k = 0; k < w.length; k++) w[k] = zero ? be.allocFloats(s.weightSize(k)) : random(rng, s.weightSize(k));
        return w;
    }

    private FloatBuf[] biases(SplittableRandom rng, ConvShape s, boolean zero) {
        FloatBuf[] b = new FloatBuf[s.kernels().length];
        for (int k = 0; k < b.length; k++) b[k] = zero ? be.allocFloats(s.filters()) : random(rng, s.filters());
        return b;
    }

    @Benchmark
    public void forward() {
        switch (op) {
            case "conv" -> be.convForward(audio, B, T, xa, aLen, wa, ba, ha);
            case "conv-text" -> be.convForward(text, B, M, et, tLen, wt, bt, ht);
            case "statpool" -> be.statPoolForward(Pooling.SPU, B, T, PA, C, ha, aLen, z, F, argmax);
            case "swem" -> be.statPoolForward(Pooling.SWEM, B, M, PT, D, et, tLen, z.slice(4 * C), F, argmaxSwem);
            case "attention" -> be.attentionForward(B, 3, M, PT, C, z, F, ht, tLen, attProbs, z.slice(6L * C), F);
            case "embedding" -> be.embeddingForward(B, M, PT, D, tokens, tLen, table, et);
            case "pad" -> be.padForward(B, T, PA, CFG.audioDim(), dense, aLen, xa);
            case "linear" -> be.linearForward(B, F, H, z, wHidden, bHidden, hidden);
            case "relu" -> be.reluForward((long) B * H, hidden, dhidden);
            case "dropout" -> be.dropoutForward((long) B * F, 0.3f, 7, z, dz);
            case "crossentropy" -> be.crossEntropyForward(B, E, logits, labels, probs, losses);
            case "adam" -> {
                be.fill(normSq, 0f);
                be.squaredNorm(grads, normSq);
            }
            default -> throw new IllegalArgumentException(op);
        }
    }

    @Benchmark
    public void backward() {
        switch (op) {
            case "conv" -> be.convBackward(audio, B, T, xa, aLen, wa, ha, dha, null, dwa, dba);
            case "conv-text" -> be.convBackward(text, B, M, et, tLen, wt, ht, dht, det, dwt, dbt);
            case "statpool" -> be.statPoolBackward(Pooling.SPU, B, T, PA, C, ha, aLen, z, F, argmax, dz, dha);
            case "swem" -> be.statPoolBackward(Pooling.SWEM, B, M, PT, D, et, tLen, z.slice(4 * C), F, argmaxSwem, dz.slice(4 * C), det);
            case "attention" -> be.attentionBackward(B, 3, M, PT, C, z, F, ht, tLen, attProbs, dz.slice(6L * C), F, dz, dht);
            case "embedding" -> be.embeddingBackward(B, M, PT, D, tokens, tLen, det, dtable);
            case "pad" -> be.padForward(B, T, PA, CFG.audioDim(), dense, aLen, xa);
            case "linear" -> be.linearBackward(B, F, H, z, wHidden, dhidden, dz, dwHidden, dbHidden);
            case "relu" -> be.reluBackward((long) B * H, hidden, dhidden, dhidden);
            case "dropout" -> be.dropoutBackward((long) B * F, 0.3f, 7, dz, z);
            case "crossentropy" -> be.crossEntropyBackward(B, E, probs, labels, dlogits);
            case "adam" -> be.adam(AdamHyper.paper(), 1, normSq, params, grads, adamM, adamV);
            default -> throw new IllegalArgumentException(op);
        }
    }
}
