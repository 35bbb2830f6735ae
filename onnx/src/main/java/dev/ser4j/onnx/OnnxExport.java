package dev.ser4j.onnx;

import dev.ser4j.core.ModelConfig;
import dev.ser4j.core.Pooling;
import dev.ser4j.io.AtomicFiles;
import dev.ser4j.model.FeatureNormalizer;
import dev.ser4j.model.ParamLayout;
import dev.ser4j.model.TrainedModel;
import dev.ser4j.onnx.OnnxGraph.Attr;
import dev.ser4j.onnx.ir.ModelProto;
import dev.ser4j.pipeline.FeatureCache;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.ser4j.onnx.OnnxGraph.BOOL;
import static dev.ser4j.onnx.OnnxGraph.FLOAT;
import static dev.ser4j.onnx.OnnxGraph.INT64;

/**
 * A trained model as an ONNX graph (opset {@value OnnxGraph#OPSET}) that computes exactly the model spec's function,
 * every variant and ablation, on padded batches with dynamic batch, frame and token axes:
 * <pre>
 *   audio [B,T,96] f32, audio_len [B] i64 -(normalise)-> mask frames >= len -> [B,96,T] -Conv+ReLU (5,7,9,11), "same"-> [B,512,T]
 *       -> masked max | sum/len | sqrt(sum (x-mean)^2 / len + 1e-6)           = audio SPU [B,1536] (or max only [B,512])
 *   tokens [B,M] i64, text_len [B] i64 -> ids past len = PAD -> Gather(embedding) [B,M,300] -> [B,300,M]
 *       -Conv+ReLU (2,3,4,5)-> [B,512,M] -> text SPU; SWEM (masked max | mean of the embeddings) [B,600]
 *   attention: scores = Q [B,G,512] x H [B,512,M], softmax over k < text_len (S = 0 for an empty transcript), S = P H^T
 *   z = [audio SPU | xvector (normalised) | text SPU | SWEM | S] -Gemm+ReLU-> [B,256] -Gemm-> logits [B,C] -Softmax-> probabilities
 * </pre>
 * Only the inputs the variant uses are graph inputs. The feature normalisation of the checkpoint
 * ({@code features.mean/std}, {@code xvector.mean/std}) is inside the graph unless it is the identity; the metadata
 * properties carry the configuration, the class names, the feature definition and the rest of the checkpoint's
 * metadata (see {@link #metadata}).
 *
 * <p>Masking follows the spec's "x outside [0, len) is zero": inputs are zeroed past their length before each
 * convolution, ReLU outputs are zeroed there, and every pooling and the attention read valid positions only, so a
 * padded batch gives each utterance the answer it gets alone.
 */
public final class OnnxExport {
    private OnnxExport() {}

    /** Symbolic axis names of the graph's inputs and outputs. */
    public static final String BATCH = "batch", FRAMES = "frames", TOKENS = "tokens";
    /** Graph input and output names. */
    public static final String AUDIO = "audio", AUDIO_LEN = "audio_len", TOKEN_IDS = "tokens", TEXT_LEN = "text_len", XVECTOR = "xvector",
            LOGITS = "logits", PROBABILITIES = "probabilities";
    /** Metadata keys the export adds to the checkpoint's own. */
    public static final String META_INPUTS = "onnx.inputs", META_OUTPUTS = "onnx.outputs", META_NORMALIZATION = "onnx.normalization",
            META_MAX_FRAMES = "max_frames", META_MAX_TOKENS = "max_tokens", META_SOURCE = "onnx.source";

    /**
     * An exported model.
     *
     * @param model    the ONNX model
     * @param metadata its metadata properties, in order
     * @param inputs   the graph's input names, in order
     */
    public record Exported(ModelProto model, Map<String, String> metadata, List<String> inputs) {
        /** The serialised model: the bytes of the .onnx file. */
        public byte[] bytes() {
            return model.toByteArray();
        }

        public int nodeCount() {
            return model.getGraph().getNodeCount();
        }
    }

    /**
     * The ONNX graph of a trained model. ({@link TrainedModel} is internal to ser4j, exported to its command line and
     * this module; {@link #write(Path, Path)} is the form for everyone else.)
     *
     * @param m      the model, its normalisation and metadata
     * @param source the checkpoint it came from (its file name goes into the metadata)
     */
    @SuppressWarnings("exports")
    public static Exported export(TrainedModel m, String source) {
        Builder b = new Builder(m);
        b.build();
        Map<String, String> meta = metadata(m, b.inputs, b.normalized, source);
        String doc = m.config().variant().paperName + " (MSCNN-SPU-ATT, Peng et al., ICASSP 2021) exported by ser4j; classes "
                + m.config().labels().csv() + ". See the metadata properties and the model card.";
        return new Exported(b.g.model(version(), doc, meta), meta, List.copyOf(b.inputs));
    }

    /**
     * Writes the model's ONNX file and its model card ({@link #cardPath}), each atomically.
     *
     * @return the export, for its statistics
     * @throws IOException if a file cannot be written
     */
    @SuppressWarnings("exports")
    public static Exported write(TrainedModel m, String source, Path out) throws IOException {
        Exported e = export(m, source);
        byte[] bytes = e.bytes();
        String card = ModelCard.markdown(m, e, out.getFileName().toString(), bytes.length);
        AtomicFiles.write(out, os -> os.write(bytes));
        AtomicFiles.writeString(cardPath(out), card);
        return e;
    }

    /**
     * Exports a checkpoint: reads it (a malformed or truncated one is an {@link dev.ser4j.core.InputException} naming
     * it), writes {@code out} and the model card beside it, each atomically.
     *
     * @param checkpoint a model written by {@code ./ser4j train}, a cross-validation checkpoint, or weights from
     *                   {@code ./ser4j grad --init}
     * @param out        the .onnx file
     * @return the export
     * @throws IOException if a file cannot be written
     */
    public static Exported write(Path checkpoint, Path out) throws IOException {
        return write(TrainedModel.read(checkpoint), checkpoint.getFileName().toString(), out);
    }

    /** The model card's path: {@code M.onnx} → {@code M.md} beside it. */
    public static Path cardPath(Path out) {
        String name = out.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return out.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".md");
    }

    /** ser4j's version, from the build (the producer version of every exported model). */
    static String version() {
        try (var in = OnnxExport.class.getResourceAsStream("version.properties")) {
            java.util.Properties p = new java.util.Properties();
            if (in != null) p.load(in);
            return p.getProperty("version", "development build");
        } catch (IOException e) {
            return "development build";
        }
    }

    /** Whether a normaliser changes nothing (mean 0, std 1: a checkpoint without one reads as this). */
    static boolean identity(float[] mean, float[] std) {
        if (mean == null) return true;
        for (int i = 0; i < mean.length; i++) if (mean[i] != 0f || std[i] != 1f) return false;
        return true;
    }

    /**
     * The metadata properties: the configuration ({@link ModelConfig#toMetadata}: variant, ablations, sizes,
     * {@code labels}), the checkpoint's own metadata ({@code features}, {@code speaker_norm}, {@code trim_silence},
     * {@code vocabulary}, {@code tokenizer}, {@code xvector_kind}, {@code dataset}, {@code recipe}, {@code train.*},
     * {@code fold}, {@code seed}, ... as recorded), the defaults ser4j itself assumes for the preprocessing keys a
     * checkpoint lacks, and the export's own keys (inputs, outputs, where normalisation happens, truncation limits).
     */
    static Map<String, String> metadata(TrainedModel m, List<String> inputs, boolean normalized, String source) {
        Map<String, String> meta = new LinkedHashMap<>(m.config().toMetadata());
        meta.putAll(m.metadata());
        meta.putIfAbsent("features", FeatureCache.PARAMETERS);
        meta.putIfAbsent("speaker_norm", "none");
        meta.putIfAbsent("trim_silence", "false");
        if (m.config().xvector()) meta.putIfAbsent("xvector_kind", "file");
        meta.put(META_INPUTS, String.join(",", inputs));
        meta.put(META_OUTPUTS, LOGITS + "," + PROBABILITIES);
        meta.put(META_NORMALIZATION, normalized ? "in-graph" : "none");
        if (m.config().variant().audio) meta.put(META_MAX_FRAMES, Integer.toString(dev.ser4j.model.Example.MAX_FRAMES));
        if (m.config().variant().text) meta.put(META_MAX_TOKENS, Integer.toString(dev.ser4j.model.Example.MAX_TOKENS));
        meta.put(META_SOURCE, source);
        return meta;
    }

    /** The graph of one model, built in the order the model spec computes it. */
    private static final class Builder {
        final TrainedModel m;
        final ModelConfig c;
        final ParamLayout layout;
        final OnnxGraph g;
        final List<String> inputs = new ArrayList<>();
        boolean normalized;

        Builder(TrainedModel m) {
            this.m = m;
            this.c = m.config();
            this.layout = new ParamLayout(c);
            this.g = new OnnxGraph(c.variant().id);
        }

        /** A parameter as an initializer under its checkpoint name and PyTorch shape. */
        String param(String name) {
            ParamLayout.Param p = layout.get(name);
            return g.constant(name, Arrays.copyOfRange(m.parameters(), p.offset(), p.offset() + p.size()), p.shape());
        }

        /** A normalisation vector under its checkpoint name (features.mean, xvector.std, ...). */
        String constant(String name, float[] v) {
            return g.constant(name, v, v.length);
        }

        void build() {
            List<String> z = new ArrayList<>();
            FeatureNormalizer n = m.normalizer();
            String audioPool = null, textH = null;
            Seq text = null;
            // the inputs the variant uses, in the order audio, audio_len, tokens, text_len, xvector
            if (c.variant().audio) {
                g.input(AUDIO, FLOAT, "MFCC features [batch, frames, " + c.audioDim() + "] (./ser4j features), frames past audio_len ignored",
                        BATCH, FRAMES, (long) c.audioDim());
                g.input(AUDIO_LEN, INT64, "valid frames per utterance, 1 <= audio_len <= frames", BATCH);
                inputs.addAll(List.of(AUDIO, AUDIO_LEN));
            }
            if (c.variant().text) {
                g.input(TOKEN_IDS, INT64, "vocabulary ids [batch, tokens] (0 PAD, 1 UNK), ids past text_len ignored", BATCH, TOKENS);
                g.input(TEXT_LEN, INT64, "valid tokens per utterance, 0 <= text_len <= tokens (0: empty transcript)", BATCH);
                inputs.addAll(List.of(TOKEN_IDS, TEXT_LEN));
            }
            if (c.xvector()) {
                g.input(XVECTOR, FLOAT, "speaker embedding [batch, " + c.xvectorDim() + "]", BATCH, (long) c.xvectorDim());
                inputs.add(XVECTOR);
            }
            if (c.variant().audio) {
                String audio = AUDIO;
                g.scope("audio");
                Seq s = mask(audio, AUDIO_LEN);
                if (!identity(n.mean(), n.std())) {
                    normalized = true;
                    audio = op("Div", "normalized", op("Sub", "centred", audio, constant("features.mean", n.mean())),
                            constant("features.std", n.std()));
                }
                String x = op("Where", "masked", s.validRow, audio, g.scalar(0f));
                x = op("Transpose", "channels_first", List.of(x), Attr.ints("perm", 0, 2, 1));
                String h = conv("audio.conv.", x, c.audioKernels(), s);
                audioPool = pool(h, s, c.audioPooling(), true);
                z.add(audioPool);
            }
            if (c.xvector()) {
                String xv = XVECTOR;
                g.scope("xvector");
                if (!identity(n.xvMean(), n.xvStd())) {
                    normalized = true;
                    xv = op("Div", "normalized", op("Sub", "centred", xv, constant("xvector.mean", n.xvMean())),
                            constant("xvector.std", n.xvStd()));
                }
                z.add(xv);
            }
            if (c.variant().text) {
                String table = param(ParamLayout.EMBEDDING);
                g.scope("text");
                text = mask(TOKEN_IDS, TEXT_LEN);
                // ids past the length become PAD, whose embedding row is zero (the checkpoint reader checks it): the
                // embedded sequence is zero outside [0, len), as the convolution needs
                String ids = op("Where", "ids", text.valid, TOKEN_IDS, g.scalar(0L));
                String e = op("Gather", "embedded", List.of(table, ids), Attr.i("axis", 0));
                e = op("Transpose", "channels_first", List.of(e), Attr.ints("perm", 0, 2, 1));
                textH = conv("text.conv.", e, c.textKernels(), text);
                z.add(pool(textH, text, c.textPooling(), true));
                if (c.swem()) {
                    g.scope("swem");
                    z.add(pool(e, text, Pooling.SWEM, false));
                }
            }
            if (c.variant().attention) {
                g.scope("attention");
                int G = c.audioBlocks(), C = c.textChannels();
                String q = op("Reshape", "queries", audioPool, g.axes(0, G, C));  // [B,G,C]
                String scores = op("MatMul", "scores", q, textH);  // [B,G,M]
                scores = op("Where", "scores_masked", text.validCol, scores, g.scalar(Float.NEGATIVE_INFINITY));
                String p = op("Softmax", "weights", List.of(scores), Attr.i("axis", -1));
                // an empty transcript has no valid key: its softmax row is NaN, replaced by zeros, so S = 0
                p = op("Where", "weights_masked", text.validCol, p, g.scalar(0f));
                String values = op("Transpose", "values", List.of(textH), Attr.ints("perm", 0, 2, 1));  // [B,M,C]
                String s = op("MatMul", "context", p, values);  // [B,G,C]
                z.add(op("Reshape", "context_flat", s, g.axes(0, (long) G * C)));
            }
            String headW = param("head.hidden.weight"), headB = param("head.hidden.bias");
            String outW = param("head.output.weight"), outB = param("head.output.bias");
            g.scope("head");
            String zc = z.size() == 1 ? z.getFirst() : op("Concat", "z", z, Attr.i("axis", 1));
            String hidden = op("Relu", "hidden", op("Gemm", "hidden_linear", List.of(zc, headW, headB), Attr.i("transB", 1)));
            String logits = g.named("Gemm", LOGITS, List.of(hidden, outW, outB), Attr.i("transB", 1));
            g.named("Softmax", PROBABILITIES, List.of(logits), Attr.i("axis", 1));
            g.output(LOGITS, FLOAT, "class scores [batch, classes], in the order of the metadata's labels", BATCH, (long) c.classes());
            g.output(PROBABILITIES, FLOAT, "softmax of the logits [batch, classes]", BATCH, (long) c.classes());
        }

        /** The masks of a padded sequence {@code x [B, L, ...]} with lengths {@code len [B]}. */
        record Seq(String valid, String validRow, String validCol, String nonEmpty, String count) {}

        Seq mask(String x, String len) {
            String L = op("Squeeze", "length", op("Shape", "shape", List.of(x), Attr.i("start", 1), Attr.i("end", 2)), g.axes(0));
            String pos = op("Range", "positions", g.scalar(0L), L, g.scalar(1L));  // [L]
            String len2 = op("Unsqueeze", "len", len, g.axes(1));  // [B,1]
            String valid = op("Less", "valid", op("Unsqueeze", "positions_row", pos, g.axes(0)), len2);  // [B,L]
            return new Seq(valid,
                    op("Unsqueeze", "valid_rows", valid, g.axes(2)),  // [B,L,1]
                    op("Unsqueeze", "valid_cols", valid, g.axes(1)),  // [B,1,L]
                    op("Greater", "non_empty", len2, g.scalar(0L)),  // [B,1]
                    op("Cast", "count", List.of(op("Max", "len_at_least_1", len2, g.scalar(1L))), Attr.i("to", FLOAT)));
        }

        /** The multi-scale convolution of {@code x [B,Cin,L]} (zero past each length): [B, F*K, L], ReLU, zero past the length. */
        String conv(String prefix, String x, int[] kernels, Seq s) {
            List<String> ys = new ArrayList<>();
            for (int i = 0; i < kernels.length; i++) {
                int k = kernels[i], left = (k - 1) / 2, right = k - 1 - left;     // "same": even sizes pad one more on the right
                String w = param(prefix + i + ".weight"), b = param(prefix + i + ".bias");
                ys.add(op("Relu", "relu" + k, op("Conv", "conv" + k, List.of(x, w, b), Attr.ints("kernel_shape", k),
                        Attr.ints("pads", left, right), Attr.ints("strides", 1), Attr.ints("dilations", 1))));
            }
            String h = ys.size() == 1 ? ys.getFirst() : op("Concat", "multiscale", ys, Attr.i("axis", 1));
            return op("Where", "multiscale_masked", s.validCol, h, g.scalar(0f));
        }

        /**
         * Masked pooling over the last axis of {@code x [B,C,L]}, zero past each length: [max | mean | std] as
         * {@code p} says. {@code nonNegative}: x is a ReLU output, so the plain maximum of the zero-padded sequence is
         * already the maximum over the valid positions (and 0 when there are none).
         */
        String pool(String x, Seq s, Pooling p, boolean nonNegative) {
            String max;
            if (nonNegative) max = op("ReduceMax", "max", List.of(x), Attr.ints("axes", 2), Attr.i("keepdims", 0));
            else {
                String masked = op("Where", "max_input", s.validCol, x, g.scalar(Float.NEGATIVE_INFINITY));
                max = op("ReduceMax", "max_raw", List.of(masked), Attr.ints("axes", 2), Attr.i("keepdims", 0));
                max = op("Where", "max", s.nonEmpty, max, g.scalar(0f));                  // len = 0: 0, not -inf
            }
            if (!p.mean) return max;
            List<String> parts = new ArrayList<>(List.of(max));
            String mean = op("Div", "mean", op("ReduceSum", "sum", List.of(x, g.axes(2)), Attr.i("keepdims", 0)), s.count);
            parts.add(mean);
            if (p.std) {
                String d = op("Sub", "deviation", x, op("Unsqueeze", "mean_col", mean, g.axes(2)));
                d = op("Where", "deviation_masked", s.validCol, d, g.scalar(0f));
                String var = op("Div", "variance", op("ReduceSum", "squares", List.of(op("Mul", "square", d, d), g.axes(2)),
                        Attr.i("keepdims", 0)), s.count);
                String std = op("Sqrt", "std_raw", op("Add", "variance_eps", var, g.scalar((float) 1e-6)));
                parts.add(op("Where", "std", s.nonEmpty, std, g.scalar(0f)));         // len = 0: 0, not sqrt(1e-6)
            }
            return op("Concat", "pooled", parts, Attr.i("axis", 1));
        }

        String op(String type, String out, String... inputs) {
            return g.node(type, out, List.of(inputs));
        }

        String op(String type, String out, List<String> inputs, Attr... attrs) {
            return g.node(type, out, inputs, attrs);
        }
    }
}
