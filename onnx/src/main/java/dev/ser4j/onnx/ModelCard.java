package dev.ser4j.onnx;

import dev.ser4j.audio.Mfcc;
import dev.ser4j.core.ModelConfig;
import dev.ser4j.model.Example;
import dev.ser4j.model.TrainedModel;
import dev.ser4j.pipeline.DataPipeline;
import dev.ser4j.pipeline.FeatureCache;
import dev.ser4j.pipeline.ModelInput;
import dev.ser4j.pipeline.SpeakerStats;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The model card written beside an exported model ({@code M.onnx} → {@code M.md}): what goes in and comes out, the
 * classes, how to make the inputs from a recording and a transcript exactly as ser4j does (the features, silence
 * trimming, speaker normalisation, tokens, speaker embedding), the training data and protocol the checkpoint records,
 * and a few lines that run it. Everything a program needs is also in the model's metadata properties.
 */
final class ModelCard {
    private ModelCard() {}

    static String markdown(TrainedModel m, OnnxExport.Exported e, String file, long bytes) {
        ModelConfig c = m.config();
        Map<String, String> meta = e.metadata();
        boolean audioNorm = !OnnxExport.identity(m.normalizer().mean(), m.normalizer().std());
        boolean xvNorm = !OnnxExport.identity(m.normalizer().xvMean(), m.normalizer().xvStd());
        StringBuilder s = new StringBuilder();
        s.append("# ").append(c.variant().paperName).append(" — ONNX model card\n\n");
        s.append("`").append(file).append("` is ser4j's ").append(c.variant().paperName).append(" (variant `").append(c.variant().id).append('`')
                .append(ablations(c)).append("; Peng et al., *Efficient speech emotion recognition using multi-scale CNN and attention*, ICASSP 2021)")
                .append(" exported by ser4j ").append(OnnxExport.version()).append(" from `").append(meta.get(OnnxExport.META_SOURCE))
                .append("`. ONNX opset ").append(OnnxGraph.OPSET).append(" (IR version ").append(OnnxGraph.IR_VERSION).append("), ")
                .append(String.format(Locale.ROOT, "%,d", bytes)).append(" bytes, ").append(e.nodeCount()).append(" nodes, ")
                .append(String.format(Locale.ROOT, "%,d", c.parameterCount())).append(" parameters. It computes the model spec's function")
                .append(" (ser4j's `docs/model-spec.md`) on padded batches; ONNX Runtime gives ser4j's logits to about 1e-6 relative.\n\n");

        s.append("## Inputs\n\n| name | type | shape | what |\n|---|---|---|---|\n");
        if (c.variant().audio) {
            s.append("| `audio` | float32 | [batch, frames, ").append(c.audioDim()).append("] | the utterance's features (below), one row per 10 ms frame")
                    .append(audioNorm ? ", **not** normalised: the graph applies the training set's mean and standard deviation itself" : "")
                    .append("; rows past `audio_len` are ignored |\n");
            s.append("| `audio_len` | int64 | [batch] | frames of each utterance, 1 ≤ `audio_len` ≤ frames (ser4j keeps at most ").append(Example.MAX_FRAMES).append(") |\n");
        }
        if (c.variant().text) {
            s.append("| `tokens` | int64 | [batch, tokens] | word ids of the transcript (below), 0 = PAD, 1 = UNK, < ").append(c.vocab())
                    .append("; ids past `text_len` are ignored |\n");
            s.append("| `text_len` | int64 | [batch] | tokens of each transcript, 0 ≤ `text_len` ≤ tokens (ser4j keeps at most ").append(Example.MAX_TOKENS)
                    .append("); 0 for an empty or missing transcript |\n");
        }
        if (c.xvector())
            s.append("| `xvector` | float32 | [batch, ").append(c.xvectorDim()).append("] | the speaker embedding (below)")
                    .append(xvNorm ? ", not normalised: the graph does it" : "")
                    .append(" |\n");
        s.append("\nBatch, `frames` and `tokens` are dynamic axes: pad each input to the batch's longest utterance (with anything: padding is masked");
        if (c.variant().text) s.append("; `tokens` needs at least one column, so an empty transcript alone is `tokens = [[0]]`, `text_len = [0]`");
        s.append("). An utterance gets the same answer alone as inside any batch. Only these inputs exist: a variant takes only what it uses.\n\n");

        s.append("## Outputs\n\n| name | type | shape | what |\n|---|---|---|---|\n");
        s.append("| `logits` | float32 | [batch, ").append(c.classes()).append("] | class scores, in the order of the classes below |\n");
        s.append("| `probabilities` | float32 | [batch, ").append(c.classes()).append("] | their softmax; the prediction is the first largest |\n\n");

        s.append("## Classes\n\n| index | class |\n|---|---|\n");
        for (int i = 0; i < c.classes(); i++) s.append("| ").append(i).append(" | ").append(c.labels().name(i)).append(" |\n");
        s.append("\n(metadata property `labels`: `").append(c.labels().csv()).append("`)\n\n");

        s.append("## Making the inputs\n\n");
        if (c.variant().audio) audio(s, c, meta, audioNorm);
        if (c.variant().text) text(s, meta);
        if (c.xvector()) xvector(s, c, meta, xvNorm);

        s.append("## Training data and protocol\n\n");
        List<String> keys = new java.util.ArrayList<>();
        for (String k : List.of("dataset", "recipe", "fold", "seed", "epoch", "ser4j.init_seed")) if (meta.containsKey(k)) keys.add(k);
        meta.keySet().stream().filter(k -> k.startsWith("train.")).sorted().forEach(keys::add);
        if (keys.isEmpty()) s.append("The checkpoint records no training data or protocol.\n\n");
        else {
            if (meta.containsKey("ser4j.init_seed") && !meta.containsKey("dataset"))
                s.append("Freshly initialised weights (`./ser4j grad --init`), not a trained model.\n\n");
            s.append("| key | value |\n|---|---|\n");
            for (String k : keys) s.append("| `").append(k).append("` | ").append(cell(meta.get(k))).append(" |\n");
            s.append('\n');
        }

        s.append("## Configuration\n\n| key | value |\n|---|---|\n");
        for (var kv : c.toMetadata().entrySet()) s.append("| `").append(kv.getKey()).append("` | ").append(cell(kv.getValue())).append(" |\n");
        s.append("\nEvery key of the checkpoint's metadata is also a metadata property of the ONNX model (`vocabulary` included), with ")
                .append("`onnx.inputs`, `onnx.outputs`, `onnx.normalization` (`in-graph` or `none`)")
                .append(c.variant().audio ? ", `max_frames`" : "").append(c.variant().text ? ", `max_tokens`" : "")
                .append(" and `onnx.source` added.\n\n");

        s.append("## Running it\n\nPython (`pip install onnxruntime numpy`):\n\n```python\nimport numpy as np, onnxruntime as ort\n\n")
                .append("session = ort.InferenceSession(\"").append(file).append("\")\n")
                .append("meta = session.get_modelmeta().custom_metadata_map\nlabels = meta[\"labels\"].split(\",\")\n");
        if (c.variant().audio)
            s.append("features = ...   # [frames, ").append(c.audioDim()).append("] float32, made as above (e.g. `./ser4j features`)\n");
        if (c.variant().text) s.append("ids = ...        # list of word ids, made as above\n");
        if (c.xvector()) s.append("xvector = ...    # [").append(c.xvectorDim()).append("] float32\n");
        s.append("feeds = {");
        String sep = "";
        if (c.variant().audio) {
            s.append("\"audio\": features[None].astype(np.float32), \"audio_len\": np.array([len(features)], np.int64)");
            sep = ",\n         ";
        }
        if (c.variant().text) {
            s.append(sep).append("\"tokens\": np.array([ids or [0]], np.int64), \"text_len\": np.array([len(ids)], np.int64)");
            sep = ",\n         ";
        }
        if (c.xvector()) s.append(sep).append("\"xvector\": xvector[None].astype(np.float32)");
        s.append("}\nlogits, probabilities = session.run(None, feeds)\nprint(labels[int(probabilities[0].argmax())])\n```\n\n");
        s.append("Java (`com.microsoft.onnxruntime:onnxruntime`): `OrtEnvironment.getEnvironment().createSession(\"").append(file)
                .append("\")`, the labels from `session.getMetadata().getCustomMetadata().get(\"labels\")`, inputs as `OnnxTensor`s ")
                .append("(`FloatBuffer`/`LongBuffer` with the shapes above), `session.run(Map.of(...))`.\n");
        return s.toString();
    }

    private static void audio(StringBuilder s, ModelConfig c, Map<String, String> meta, boolean normalized) {
        boolean trim = Boolean.parseBoolean(meta.get("trim_silence"));
        String norm = meta.get("speaker_norm");
        int step = 1;
        s.append("**Audio** (`audio`, `audio_len`), in this order:\n\n");
        s.append(step++).append(". **Features**: mono, 16 kHz, samples in [-1, 1] (16-bit PCM / 32768; stereo averaged; other rates resampled), ")
                .append("at least ").append(Mfcc.MIN_SAMPLES).append(" samples. ").append(Mfcc.FEATURES).append(" features per frame exactly as librosa 0.11 computes them:\n\n")
                .append("   ```python\n   M = librosa.feature.mfcc(y=y, sr=16000, n_mfcc=32, n_fft=400, hop_length=160, win_length=400, window='hamming')\n")
                .append("   F = np.vstack([M, librosa.feature.delta(M, width=9, order=1), librosa.feature.delta(M, width=9, order=2)]).T   # [frames, 96]\n   ```\n\n")
                .append("   (periodic Hamming window, centre padding with zeros, a 400-point FFT, 128 Slaney mel bands, power to dB with top_db 80 over ")
                .append("the whole utterance, orthonormal DCT-II, Savitzky-Golay deltas with `mode='interp'`). `./ser4j features IN.wav --out F.safetensors` ")
                .append("writes exactly these (`mfcc [frames, 96]`). Feature definition (metadata property `features`): `").append(meta.get("features")).append("`")
                .append(meta.get("features").equals(FeatureCache.PARAMETERS) ? "" : " (differs from this ser4j's own, `" + FeatureCache.PARAMETERS + "`)")
                .append(".\n");
        if (trim)
            s.append(step++).append(". **Silence trimming** (`trim_silence` = true): with c0 the first feature of each frame, keep the frames from the first to the last whose ")
                    .append("c0 ≥ max(c0) − ").append(fmt(ModelInput.TRIM_DB)).append(" · √").append(Mfcc.N_MELS).append(" (i.e. within ").append(fmt(ModelInput.TRIM_DB))
                    .append(" dB of the loudest frame's mean log-mel energy), widened by ").append(ModelInput.TRIM_MARGIN)
                    .append(" frames on each side (within the utterance); pauses inside are kept.\n");
        else s.append(step++).append(". No silence trimming (`trim_silence` = false).\n");
        s.append(step++).append(". **Truncation**: keep the first ").append(Example.MAX_FRAMES).append(" frames.\n");
        switch (norm) {
            case "none" -> s.append(step++).append(". No speaker normalisation (`speaker_norm` = none).\n");
            case "utterance" -> s.append(step++).append(". **Speaker normalisation** (`speaker_norm` = utterance): z-normalise each of the ").append(Mfcc.FEATURES)
                    .append(" features by the mean and population standard deviation of the utterance's own frames (after steps above), the standard deviation ")
                    .append("floored at ").append(fmt(SpeakerStats.MIN_STD)).append(".\n");
            case "speaker" -> s.append(step++).append(". **Speaker normalisation** (`speaker_norm` = speaker): z-normalise each of the ").append(Mfcc.FEATURES)
                    .append(" features by the mean and population standard deviation over all frames of the speaker's utterances (any emotion, after the steps ")
                    .append("above; a few tens of seconds suffice), the standard deviation floored at ").append(fmt(SpeakerStats.MIN_STD))
                    .append(". For a speaker without such recordings, use the utterance's own frames (what ser4j does).\n");
            default -> s.append(step++).append(". Speaker normalisation `").append(cell(norm)).append("` (not one ser4j knows).\n");
        }
        s.append(step).append(". **Feature normalisation**: ").append(normalized
                ? "inside the graph (the checkpoint's `features.mean` and `features.std` over the training frames): do not apply it yourself.\n\n"
                : "none (the checkpoint has no feature normaliser).\n\n");
    }

    private static void text(StringBuilder s, Map<String, String> meta) {
        String vocab = meta.get("vocabulary");
        s.append("**Text** (`tokens`, `text_len`): the transcript ");
        if (vocab == null) {
            s.append("as word ids of a vocabulary the checkpoint does not record (e.g. weights from `./ser4j grad --init`): 0 = PAD, 1 = UNK.\n\n");
            return;
        }
        s.append("is tokenised (`tokenizer` = `").append(cell(meta.getOrDefault("tokenizer", "?")))
                .append("`: NLTK's `word_tokenize` — Punkt sentences, then the Penn Treebank rules — on the lower-cased text, bracketed markers such as `[LAUGHTER]` ")
                .append("dropped and typographic quotes made ASCII; ser4j's `Tokenizer` is tested against NLTK 3.8), each token mapped to its index in the metadata ")
                .append("property `vocabulary` (a JSON array: index 0 `<pad>`, 1 `<unk>`, then the training words) or to 1 when absent, and the first ")
                .append(Example.MAX_TOKENS).append(" ids kept.\n\n");
    }

    private static void xvector(StringBuilder s, ModelConfig c, Map<String, String> meta, boolean normalized) {
        String kind = meta.get("xvector_kind");
        s.append("**Speaker embedding** (`xvector`, ").append(c.xvectorDim()).append(" values): ");
        if (DataPipeline.SPEAKER_STATS.equals(kind))
            s.append("`xvector_kind` = speaker-stats: the mean of each of the ").append(Mfcc.FEATURES).append(" features, then its population standard deviation, ")
                    .append("over the frames of the speaker's utterances after trimming and truncation and before speaker normalisation (ser4j uses the ")
                    .append("utterance's own frames at prediction time).");
        else s.append("`xvector_kind` = ").append(cell(kind)).append(": the speaker's x-vector as given in training (e.g. Kaldi's).");
        s.append(normalized ? " The graph normalises it with the checkpoint's `xvector.mean` and `xvector.std`.\n\n" : "\n\n");
    }

    /** The configuration's departures from the variant's paper form, as the command-line flags name them. */
    private static String ablations(ModelConfig c) {
        StringBuilder a = new StringBuilder();
        if (c.xvector()) a.append(", with x-vector");
        else if (c.variant().audio && c.variant() != dev.ser4j.core.Variant.AUDIO_CNN) a.append(", `--no-xvector`");
        if (c.variant().audio && c.audioPooling() != dev.ser4j.core.Pooling.SPU) a.append(", `--audio-pooling ").append(c.audioPooling().id).append('`');
        if (c.variant().text && c.textPooling() != dev.ser4j.core.Pooling.SPU) a.append(", `--text-pooling ").append(c.textPooling().id).append('`');
        if (c.variant().text && !c.swem()) a.append(", `--no-swem`");
        return a.toString();
    }

    /** 40, 0.5, 1e-5: a constant as a person writes it. */
    private static String fmt(double v) {
        java.math.BigDecimal d = new java.math.BigDecimal(Double.toString(v)).stripTrailingZeros();
        if (d.scale() <= 3) return d.toPlainString();
        return d.unscaledValue() + "e-" + d.scale();
    }

    /** A value fit for a table cell: one line, pipes escaped, long values shortened. */
    private static String cell(String v) {
        String one = v.replace("\\", "\\\\").replace("|", "\\|").replaceAll("[\\r\\n]+", " ");
        return one.length() <= 200 ? one : one.substring(0, 197) + "...";
    }
}
