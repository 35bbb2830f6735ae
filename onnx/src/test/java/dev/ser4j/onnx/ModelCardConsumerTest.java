package dev.ser4j.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ser4j.EmotionRecognizer;
import dev.ser4j.Prediction;
import dev.ser4j.audio.Mfcc;
import dev.ser4j.core.ModelConfig;
import dev.ser4j.core.Variant;
import dev.ser4j.cpu.CpuBackend;
import dev.ser4j.model.FeatureNormalizer;
import dev.ser4j.model.MscnnSpuAtt;
import dev.ser4j.model.TrainedModel;
import dev.ser4j.pipeline.FeatureCache;
import dev.ser4j.text.Tokenizer;
import dev.ser4j.text.Vocabulary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A program that knows only the exported file and its card: it reads the metadata properties through ONNX Runtime
 * (input names, class order, silence trimming, speaker normalisation, speaker-embedding kind, vocabulary), makes the
 * inputs from a recording and a transcript as the card describes (its own trimming, normalisation and speaker
 * statistics, written here from the card's text; ser4j's MFCC and tokenizer, as {@code ./ser4j features} and NLTK
 * would give), runs the graph, and gets the answer ser4j's {@link EmotionRecognizer} gives for the same utterance.
 */
class ModelCardConsumerTest {
    @TempDir
    Path dir;

    /** A trained-looking checkpoint: vocabulary, speaker-stats x-vectors, utterance normalisation, trimming, a normaliser. */
    Path checkpoint(String speakerNorm) throws Exception {
        List<List<String>> transcripts = List.of(Tokenizer.tokenize("I can't believe you did that!"), Tokenizer.tokenize("Well, that's fine, I guess."),
                Tokenizer.tokenize("Oh no. Not again."));
        Vocabulary vocab = Vocabulary.build(transcripts);
        ModelConfig cfg = ModelConfig.of(Variant.MSCNN_SPU_ATT, vocab.size(), true).withSizes(Mfcc.FEATURES, 16, 2 * Mfcc.FEATURES, 8, 12);
        SplittableRandom rng = new SplittableRandom(3);
        float[] mean = new float[Mfcc.FEATURES], std = new float[Mfcc.FEATURES], xm = new float[2 * Mfcc.FEATURES], xs = new float[2 * Mfcc.FEATURES];
        for (int i = 0; i < mean.length; i++) {
            mean[i] = (float) rng.nextGaussian(0, 0.5);
            std[i] = (float) rng.nextDouble(0.5, 2);
        }
        for (int i = 0; i < xm.length; i++) {
            xm[i] = (float) rng.nextGaussian(0, 5);
            xs[i] = (float) rng.nextDouble(1, 20);
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("vocabulary", vocab.toJson());
        meta.put("tokenizer", "nltk-treebank/1");
        meta.put("features", FeatureCache.PARAMETERS);
        meta.put("xvector_kind", "speaker-stats");
        meta.put("speaker_norm", speakerNorm);
        meta.put("trim_silence", "true");
        meta.put("dataset", "synth:test");
        meta.put("recipe", "robust");
        meta.put("train.best_epoch", "7");
        meta.put("fold", "session 3");
        meta.put("seed", "2");
        Path file = dir.resolve("model-" + speakerNorm + ".safetensors");
        try (MscnnSpuAtt m = new MscnnSpuAtt(cfg, new CpuBackend(), false)) {
            m.initialize(17);
            TrainedModel.of(m, new FeatureNormalizer(mean, std, xm, xs), meta).write(file);
        }
        return file;
    }

    /** Half a second of near-silence, 2 s of a voiced, vibrating sound, half a second of near-silence. */
    static float[] recording() {
        SplittableRandom rng = new SplittableRandom(5);
        float[] y = new float[3 * 16000];
        for (int i = 0; i < y.length; i++) {
            double t = i / 16000.0, speech = i >= 8000 && i < 40000 ? 1 : 0;
            double f0 = 140 + 30 * Math.sin(2 * Math.PI * 3 * t);
            double v = 0;
            for (int h = 1; h <= 8; h++) v += Math.sin(2 * Math.PI * h * f0 * t) / h;
            y[i] = (float) (speech * 0.2 * v * (0.6 + 0.4 * Math.sin(2 * Math.PI * 4 * t)) + 1e-4 * rng.nextGaussian());
        }
        return y;
    }

    @Test
    void aProgramReadingOnlyTheMetadataGetsSer4jsAnswer() throws Exception {
        for (String norm : List.of("utterance", "none")) {
            Path ckpt = checkpoint(norm), onnx = dir.resolve("model-" + norm + ".onnx");
            OnnxExport.write(ckpt, onnx);
            assertTrue(Files.exists(OnnxExport.cardPath(onnx)));
            float[] samples = recording();
            String transcript = "I can't believe it, that's fine!";
            Prediction want;
            try (EmotionRecognizer ser = EmotionRecognizer.load(ckpt)) {
                want = ser.predict(samples, transcript);
            }
            Answer got = consume(onnx, samples, transcript);
            assertTrue(got.frames < 260, "the silence at both ends is trimmed: " + got.frames + " of 301 frames kept");
            assertEquals(want.label(), got.label, norm);
            assertEquals(want.classes(), got.labels, norm);
            assertTrue(OnnxParityTest.relError(got.probabilities, want.probabilities()) <= OnnxParityTest.TOL,
                    norm + ": " + Arrays.toString(got.probabilities) + " vs " + Arrays.toString(want.probabilities()));
            OnnxParityTest.REPORT.merge("model card consumer, speaker_norm " + norm, OnnxParityTest.relError(got.probabilities, want.probabilities()), Math::max);
        }
    }

    record Answer(String label, List<String> labels, float[] probabilities, int frames) {}

    /** Everything below uses only the file, its metadata properties and what the card says. */
    static Answer consume(Path onnx, float[] samples, String transcript) throws Exception {
        try (OrtSession s = Ort.ENV.createSession(onnx.toString(), new OrtSession.SessionOptions())) {
            Map<String, String> meta = s.getMetadata().getCustomMetadata();
            List<String> labels = List.of(meta.get("labels").split(","));
            List<String> inputs = List.of(meta.get("onnx.inputs").split(","));
            assertEquals(new java.util.HashSet<>(inputs), s.getInputNames());
            int D = Mfcc.FEATURES;
            float[] f = new Mfcc().features("recording", samples);                          // what ./ser4j features writes
            int n = f.length / D;
            if (Boolean.parseBoolean(meta.get("trim_silence"))) {                            // card: silence trimming
                float max = Float.NEGATIVE_INFINITY;
                for (int t = 0; t < n; t++) max = Math.max(max, f[t * D]);
                double threshold = max - 40 * Math.sqrt(128);
                int first = 0, last = n - 1;
                while (f[first * D] < threshold) first++;
                while (f[last * D] < threshold) last--;
                first = Math.max(0, first - 5);
                last = Math.min(n - 1, last + 5);
                f = Arrays.copyOfRange(f, first * D, (last + 1) * D);
                n = last - first + 1;
            }
            int maxFrames = Integer.parseInt(meta.get("max_frames"));                      // card: truncation
            if (n > maxFrames) f = Arrays.copyOf(f, (n = maxFrames) * D);
            double[] mean = new double[D], sd = new double[D];                               // the utterance's statistics
            for (int t = 0; t < n; t++) for (int c = 0; c < D; c++) mean[c] += f[t * D + c] / (double) n;
            for (int t = 0; t < n; t++) for (int c = 0; c < D; c++) sd[c] += Math.pow(f[t * D + c] - mean[c], 2) / n;
            for (int c = 0; c < D; c++) sd[c] = Math.sqrt(sd[c]);
            float[] xvector = new float[2 * D];                                              // card: speaker-stats
            assertEquals("speaker-stats", meta.get("xvector_kind"));
            for (int c = 0; c < D; c++) {
                xvector[c] = (float) mean[c];
                xvector[D + c] = (float) sd[c];
            }
            if (!meta.get("speaker_norm").equals("none")) {                                  // card: speaker normalisation
                float[] g = new float[f.length];
                for (int t = 0; t < n; t++)
                    for (int c = 0; c < D; c++) g[t * D + c] = (float) ((f[t * D + c] - mean[c]) / Math.max(1e-5, sd[c]));
                f = g;
            }
            JsonNode words = new ObjectMapper().readTree(meta.get("vocabulary"));           // card: tokens
            Map<String, Long> ids = new HashMap<>();
            for (int i = 0; i < words.size(); i++) ids.put(words.get(i).asText(), (long) i);
            List<Long> tokens = new ArrayList<>();
            for (String w : Tokenizer.tokenize(transcript)) tokens.add(ids.getOrDefault(w, 1L));
            int maxTokens = Integer.parseInt(meta.get("max_tokens"));
            if (tokens.size() > maxTokens) tokens = tokens.subList(0, maxTokens);
            long[] tok = tokens.isEmpty() ? new long[1] : tokens.stream().mapToLong(Long::longValue).toArray();

            Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
            for (String in : inputs)
                feeds.put(in, switch (in) {
                    case "audio" -> OnnxTensor.createTensor(Ort.ENV, FloatBuffer.wrap(f), new long[]{1, n, D});
                    case "audio_len" -> OnnxTensor.createTensor(Ort.ENV, LongBuffer.wrap(new long[]{n}), new long[]{1});
                    case "tokens" -> OnnxTensor.createTensor(Ort.ENV, LongBuffer.wrap(tok), new long[]{1, tok.length});
                    case "text_len" -> OnnxTensor.createTensor(Ort.ENV, LongBuffer.wrap(new long[]{tokens.size()}), new long[]{1});
                    case "xvector" -> OnnxTensor.createTensor(Ort.ENV, FloatBuffer.wrap(xvector), new long[]{1, xvector.length});
                    default -> throw new AssertionError("the card names no input " + in);
                });
            try (OrtSession.Result r = s.run(feeds)) {
                float[] p = ((float[][]) r.get("probabilities").orElseThrow().getValue())[0];
                int best = 0;
                for (int c = 1; c < p.length; c++) if (p[c] > p[best]) best = c;
                return new Answer(labels.get(best), labels, p, n);
            } finally {
                feeds.values().forEach(OnnxTensor::close);
            }
        }
    }

    @Test
    void cardDescribesInputsClassesPreprocessingAndTraining() throws Exception {
        Path ckpt = checkpoint("speaker"), onnx = dir.resolve("m.onnx");
        OnnxExport.Exported e = OnnxExport.write(ckpt, onnx);
        String card = Files.readString(dir.resolve("m.md"));
        for (String s : List.of("`audio` | float32 | [batch, frames, 96]", "`audio_len` | int64 | [batch]", "`tokens` | int64 | [batch, tokens]",
                "`text_len` | int64 | [batch]", "`xvector` | float32 | [batch, 192]", "`logits` | float32 | [batch, 4]",
                "| 0 | angry |", "| 3 | neutral |", "librosa.feature.mfcc(y=y, sr=16000, n_mfcc=32, n_fft=400, hop_length=160",
                "`trim_silence` = true", "within 40 dB", "`speaker_norm` = speaker", "floored at 1e-5", "inside the graph", "speaker-stats", "nltk-treebank/1",
                "| `dataset` | synth:test |", "| `recipe` | robust |", "| `train.best_epoch` | 7 |", "| `fold` | session 3 |", "| `seed` | 2 |",
                "opset 17", e.nodeCount() + " nodes", "InferenceSession(\"m.onnx\")"))
            assertTrue(card.contains(s), "the card lacks: " + s + "\n" + card);
        Map<String, String> meta = e.metadata();
        assertEquals("angry,happy,sad,neutral", meta.get("labels"));
        assertEquals(FeatureCache.PARAMETERS, meta.get("features"));
        assertEquals("speaker", meta.get("speaker_norm"));
        assertEquals("true", meta.get("trim_silence"));
        assertEquals("audio,audio_len,tokens,text_len,xvector", meta.get("onnx.inputs"));
        assertEquals("in-graph", meta.get("onnx.normalization"));
    }
}
