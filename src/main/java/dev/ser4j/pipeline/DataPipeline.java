package dev.ser4j.pipeline;

import dev.ser4j.audio.Mfcc;
import dev.ser4j.audio.WaveAugment;
import dev.ser4j.core.InputException;
import dev.ser4j.core.Labels;
import dev.ser4j.core.ModelConfig;
import dev.ser4j.core.Variant;
import dev.ser4j.data.Dataset;
import dev.ser4j.data.Utterance;
import dev.ser4j.data.XVectors;
import dev.ser4j.io.Progress;
import dev.ser4j.model.Example;
import dev.ser4j.text.Vocabulary;
import dev.ser4j.text.WordVectors;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * From a data set to the model's examples: features (through the cache, truncated to 750 frames), tokens (Treebank
 * tokenizer, one vocabulary over the whole data set, truncated to 128), optional pretrained word vectors for the
 * embedding, and optional speaker embeddings.
 *
 * <p>The vocabulary spans the whole data set, test folds included: a word seen only in a test fold keeps its
 * initial (pretrained or random) vector, since no training step touches it, so this is the same as mapping it to an
 * unknown word with that vector. Speaker embeddings are either read from a file (Kaldi x-vectors and the like) or,
 * with {@code speaker-stats}, computed from the audio: the mean and standard deviation of each feature over all of a
 * speaker's utterances (unsupervised; the held-out speaker's own utterances, as speaker normalisation does).
 */
public final class DataPipeline {
    private DataPipeline() {}

    /** Speaker embeddings computed from the audio: {@link #SPEAKER_STATS_DIM} values per speaker. */
    public static final String SPEAKER_STATS = "speaker-stats";
    public static final int SPEAKER_STATS_DIM = 2 * Mfcc.FEATURES;

    /**
     * @param vectors    GloVe or word2vec text file or wink-embeddings JSON, or null
     * @param xvectors   a speaker-embedding file, {@link #SPEAKER_STATS}, or null for none
     * @param xvectorDim the file's embedding width (checked)
     * @param vocabulary a fixed vocabulary (a trained model's), or null to build one from the data
     */
    public record Settings(Path vectors, String xvectors, int xvectorDim, XVectors.Missing missing, FeatureCache cache,
                           int threads, boolean strict, Progress progress, Vocabulary vocabulary, long seed, Labels classes,
                           SpeakerNorm speakerNorm, WaveAugment augment, ModelInput input) {}

    /**
     * @param embedding  the initial embedding [V, D] from the word vectors, or null without them
     * @param xvectorDim width of the speaker embeddings (0: none)
     * @param skipped    inputs left out: the data set's own and the audio files that could not be featurised
     */
    public record Prepared(Dataset dataset, List<Example> examples, Labels classes, Vocabulary vocabulary, float[] embedding,
                           int embedDim, int xvectorDim, String xvectorKind, SpeakerNorm speakerNorm, ModelInput input, List<Dataset.Problem> skipped,
                           Map<String, Object> info) {
        /** The paper's configuration of {@code variant} on this data: vocabulary, word-vector and speaker-embedding sizes. */
        public ModelConfig configFor(Variant variant) {
            boolean haveX = xvectorDim > 0;
            if (variant == Variant.AUDIO_CNN_XVECTOR && !haveX)
                throw new InputException("--variant", "audio-cnn-xvector needs speaker embeddings: pass --xvectors FILE or --xvectors speaker-stats");
            ModelConfig base = ModelConfig.of(variant, vocabulary.size(), haveX).withLabels(classes);
            return base.withSizes(base.audioDim(), embedDim, haveX ? xvectorDim : base.xvectorDim(), base.filters(), base.hidden());
        }

        /** What a model trained on this data needs in its checkpoint to turn raw input into its input again. */
        public Map<String, String> checkpointMetadata() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("vocabulary", vocabulary.toJson());
            m.put("tokenizer", "nltk-treebank/1");
            m.put("features", FeatureCache.PARAMETERS);
            m.put("xvector_kind", xvectorKind);
            m.put("speaker_norm", speakerNorm.id());
            m.put("trim_silence", Boolean.toString(input.trimSilence()));
            m.put("dataset", dataset.name());
            return m;
        }
    }

    public static Prepared prepare(Dataset ds, Settings s, PrintStream log) {
        List<Utterance> utts = ds.utterances();
        if (utts.isEmpty()) throw new InputException(ds.name(), "holds no usable utterance");
        Featurizer.Result f = Featurizer.extract(utts, s.cache, s.augment, s.threads, s.strict, s.progress);
        List<Dataset.Problem> skipped = new ArrayList<>(ds.skipped());
        skipped.addAll(f.skipped());
        List<Utterance> kept = new ArrayList<>();
        List<float[]> feats = new ArrayList<>();
        List<List<float[]>> copies = new ArrayList<>();
        for (int i = 0; i < utts.size(); i++)
            if (f.features()[i] != null) {
                kept.add(utts.get(i));
                feats.add(s.input.audio(f.features()[i]));
                copies.add(f.copies().get(i).stream().map(s.input::audio).toList());
            }
        if (kept.isEmpty()) throw new InputException(ds.name(), "has no utterance whose audio could be read (first problem: " + skipped.getFirst() + ")");
        if (log != null) {
            log.printf("data: %s%n", ds.summary());
            log.printf("features: %d utterances in %.1f s (%d from the cache%s)%s%n", kept.size(), f.seconds(), f.cached(),
                    s.cache.dir() == null ? "" : " in " + s.cache.dir(), f.skipped().isEmpty() ? "" : "; " + f.skipped().size() + " skipped");
            for (Dataset.Problem p : f.skipped().subList(0, Math.min(5, f.skipped().size()))) log.println("  skipped " + p);
            if (s.augment.copies() > 0) log.printf("augmented copies: %d per utterance (%s), for training%n", s.augment.copies(),
                    java.util.stream.IntStream.range(0, s.augment.copies()).mapToObj(s.augment::describe).collect(java.util.stream.Collectors.joining("; ")));
            for (List<String> d : f.duplicates()) log.println("  duplicate audio (byte-identical files): " + String.join(", ", d));
        }

        List<List<String>> tokens = kept.stream().map(u -> ModelInput.words(u.transcript())).toList();
        Vocabulary vocab = s.vocabulary != null ? s.vocabulary : Vocabulary.build(tokens);
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("dataset", ds.name());
        info.put("utterances", kept.size());
        info.put("skipped", skipped.size());
        info.put("classes", s.classes.csv());
        info.put("vocabulary", vocab.size());
        float[] embedding = null;
        int embedDim = 300;
        if (s.vectors != null) {
            WordVectors wv = WordVectors.read(s.vectors, vocab, 0);
            embedding = wv.embedding(vocab, s.seed);
            embedDim = wv.dim();
            WordVectors.Coverage c = wv.coverage(vocab);
            info.put("word_vectors", s.vectors.toString());
            info.put("vector_coverage", c.summary());
            if (log != null) log.println("word vectors: " + c.summary());
        }

        float[][] xv = new float[kept.size()][];
        int xDim = 0;
        String xKind = "none";
        if (SPEAKER_STATS.equals(s.xvectors)) {
            Map<String, SpeakerStats> stats = speakerStats(kept, feats);
            for (int i = 0; i < kept.size(); i++) xv[i] = stats.get(kept.get(i).speaker()).embedding();
            xDim = SPEAKER_STATS_DIM;
            xKind = SPEAKER_STATS;
        } else if (s.xvectors != null) {
            XVectors x = XVectors.read(Path.of(s.xvectors), s.xvectorDim);
            List<String> missing = x.missing(kept.stream().map(Utterance::id).toList());
            if (!missing.isEmpty() && s.missing == XVectors.Missing.ERROR)
                throw new InputException(s.xvectors, "has no x-vector for " + missing.size() + " of the " + kept.size() + " utterances (e.g. "
                        + String.join(", ", missing.subList(0, Math.min(3, missing.size()))) + "); pass --xvector-missing zero to use zeros");
            for (int i = 0; i < kept.size(); i++) xv[i] = x.get(kept.get(i).id(), s.missing);
            xDim = x.dim();
            xKind = "file";
            info.put("xvectors", s.xvectors + (missing.isEmpty() ? "" : " (" + missing.size() + " missing, zeros)"));
            if (log != null) log.printf("x-vectors: %d of %d utterances from %s%n", kept.size() - missing.size(), kept.size(), s.xvectors);
        }
        info.put("xvector_kind", xKind);
        info.put("speaker_norm", s.speakerNorm.id());
        info.put("trim_silence", s.input.trimSilence());
        if (!f.duplicates().isEmpty()) info.put("duplicate_audio", f.duplicates());
        SpeakerNorm.Normalizer norm = s.speakerNorm.fit(kept.stream().map(Utterance::speaker).toList(), feats);   // after the speaker stats

        List<Example> examples = new ArrayList<>(kept.size());
        for (int i = 0; i < kept.size(); i++) {
            Utterance u = kept.get(i);
            Example e = ModelInput.example(u.id(), u.speaker(), u.session(), norm.apply(u.speaker(), feats.get(i)), tokens.get(i), vocab,
                    xv[i], u.label() == null ? -1 : s.classes.indexOf(u.label()));
            examples.add(copies.get(i).isEmpty() ? e : e.withCopies(copies.get(i).stream().map(c -> norm.apply(u.speaker(), c)).toList()));
        }
        return new Prepared(ds, examples, s.classes, vocab, embedding, embedDim, xDim, xKind, s.speakerNorm, s.input, skipped, info);
    }

    /** Per speaker, the statistics of all the speaker's frames. */
    static Map<String, SpeakerStats> speakerStats(List<Utterance> utts, List<float[]> features) {
        Map<String, SpeakerStats> out = new HashMap<>();
        for (int i = 0; i < utts.size(); i++) out.computeIfAbsent(utts.get(i).speaker(), k -> new SpeakerStats()).add(features.get(i));
        return out;
    }
}
