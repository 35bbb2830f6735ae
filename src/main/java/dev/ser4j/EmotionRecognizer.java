package dev.ser4j;

import dev.ser4j.audio.Mfcc;
import dev.ser4j.core.InputException;
import dev.ser4j.core.ModelConfig;
import dev.ser4j.model.Batcher;
import dev.ser4j.model.Example;
import dev.ser4j.model.MscnnSpuAtt;
import dev.ser4j.model.TrainedModel;
import dev.ser4j.pipeline.DataPipeline;
import dev.ser4j.pipeline.ModelInput;
import dev.ser4j.pipeline.SpeakerNorm;
import dev.ser4j.pipeline.SpeakerStats;
import dev.ser4j.runtime.Backends;
import dev.ser4j.text.Vocabulary;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Speech emotion recognition with a trained ser4j model, for other JVM programs.
 *
 * <pre>{@code
 * try (EmotionRecognizer ser = EmotionRecognizer.load(Path.of("model.safetensors"))) {
 *     Prediction p = ser.predict(samples16k, "I can't believe you did that.");
 *     System.out.println(p.label() + " " + p.probability("angry"));
 * }
 * }</pre>
 *
 * Samples are mono floats in [-1, 1] at 16 kHz (at least 1280 of them, 0.08 s); the transcript is plain text (it is
 * tokenised as in training; an empty one is allowed). Models trained with speaker embeddings from a file need one
 * ({@link #predict(float[], String, float[])}); models trained with {@code speaker-stats} compute it from the
 * utterance itself when none is given. Thread-safe: concurrent callers each get a model instance of their own (up to
 * the number of processors; further callers wait), so answers do not depend on concurrency.
 */
public final class EmotionRecognizer implements AutoCloseable {
    private final TrainedModel trained;
    private final Vocabulary vocabulary;
    private final String xvectorKind;
    private final SpeakerNorm speakerNorm;
    private final Map<String, SpeakerStats> enrolled = new ConcurrentHashMap<>();
    private final LinkedBlockingQueue<Worker> idle = new LinkedBlockingQueue<>();
    private final AtomicInteger workers = new AtomicInteger();
    private final int maxWorkers = Runtime.getRuntime().availableProcessors();

    private record Worker(MscnnSpuAtt model, Mfcc mfcc, Batcher batcher) {}

    private EmotionRecognizer(TrainedModel m) {
        this.trained = m;
        ModelConfig config = m.config();
        String vocab = m.metadata().get("vocabulary");
        if (config.variant().text && vocab == null)
            throw new InputException("model", "has a text branch but no vocabulary in its metadata; it was not written by ./ser4j train");
        this.vocabulary = vocab == null ? null : Vocabulary.fromJson("model metadata 'vocabulary'", vocab);
        this.xvectorKind = m.metadata().getOrDefault("xvector_kind", config.xvector() ? "file" : "none");
        this.speakerNorm = SpeakerNorm.parse("model metadata 'speaker_norm'", m.metadata().getOrDefault("speaker_norm", "none"));
    }

    /**
     * Loads a model written by {@code ./ser4j train} (or a cross-validation checkpoint).
     *
     * @param modelFile the model's safetensors file
     * @return a recognizer; close it when done
     * @throws dev.ser4j.core.InputException if the file is missing, unreadable, truncated, or not a ser4j model
     */
    public static EmotionRecognizer load(Path modelFile) {
        return new EmotionRecognizer(TrainedModel.read(modelFile));
    }

    /**
     * The model's configuration: variant, ablations and sizes.
     *
     * @return the configuration recorded in the model file
     */
    public ModelConfig config() {
        return trained.config();
    }

    /**
     * The classes the model tells apart.
     *
     * @return the class names, in the order of {@link Prediction#probabilities()}
     */
    public List<String> classes() {
        return config().labels().names();
    }

    /**
     * Whether {@link #predict(float[], String, float[])} must be given a speaker embedding: the model was trained
     * with x-vectors from a file (a model trained with {@code speaker-stats} computes its own).
     *
     * @return true when every prediction needs an x-vector
     */
    public boolean needsSpeakerEmbedding() {
        return config().xvector() && !xvectorKind.equals(DataPipeline.SPEAKER_STATS);
    }

    /**
     * Predicts the emotion of an utterance.
     *
     * @param samples16k mono samples at 16 kHz in [-1, 1], at least 1280 (0.08 s)
     * @param transcript what was said, as plain text; empty or null when there is none
     * @return the prediction
     * @throws dev.ser4j.core.InputException if the audio is too short or holds a non-finite sample, or the model
     *                                       needs a speaker embedding ({@link #needsSpeakerEmbedding()})
     */
    public Prediction predict(float[] samples16k, String transcript) {
        return predict(samples16k, transcript, null);
    }

    /**
     * Reads a WAV file (any sample rate, resampled to 16 kHz; several channels are averaged) and predicts.
     *
     * @param wav              the recording
     * @param transcript       what was said; empty or null when there is none
     * @param speakerEmbedding the speaker's x-vector, or null (see {@link #predict(float[], String, float[])})
     * @return the prediction; its time includes reading and resampling the file
     * @throws dev.ser4j.core.InputException if the file is not a readable WAV, is too short, or a needed speaker
     *                                       embedding is missing or of the wrong width
     */
    public Prediction predict(Path wav, String transcript, float[] speakerEmbedding) {
        long t0 = System.nanoTime();
        return predict(Speech.read(wav).withTranscript(transcript).withXvector(speakerEmbedding)).withMilliseconds((System.nanoTime() - t0) / 1e6);
    }

    /**
     * Predicts with an explicit speaker embedding.
     *
     * @param samples16k       mono samples at 16 kHz in [-1, 1], at least 1280 (0.08 s)
     * @param transcript       what was said; empty or null when there is none
     * @param speakerEmbedding the speaker's x-vector ({@code config().xvectorDim()} values); null when the model has
     *                         none, or computes its own ({@code speaker-stats})
     * @return the prediction
     * @throws dev.ser4j.core.InputException if the audio is too short, or the speaker embedding is needed and
     *                                       missing, or has the wrong width
     */
    public Prediction predict(float[] samples16k, String transcript, float[] speakerEmbedding) {
        return predict(Speech.of(samples16k, Mfcc.SAMPLE_RATE).withTranscript(transcript).withXvector(speakerEmbedding));
    }

    /**
     * Predicts the emotion of a piece of speech. A model trained with speaker normalisation normalises the features
     * by the statistics of {@link Speech#speaker()} when that speaker is {@link #enroll enrolled}, and otherwise by
     * the utterance's own (the documented fallback: a little less accurate than a speaker's statistics).
     *
     * @param speech the audio (any sample rate) and what is known about it
     * @return the prediction
     * @throws InputException if the audio is too short or not finite, or the model needs an x-vector and the speech
     *                        has none or one of the wrong width
     */
    public Prediction predict(Speech speech) {
        long t0 = System.nanoTime();
        ModelConfig config = config();
        Worker w = acquire();
        try {
            float[] audio = ModelInput.audio(w.mfcc.features(speech.source(), speech.samples16k()));
            float[] xv = null;
            if (config.xvector()) {
                if (speech.xvector() != null) xv = speech.xvector();
                else if (xvectorKind.equals(DataPipeline.SPEAKER_STATS)) xv = SpeakerStats.of(audio).embedding();
                else throw new InputException("speaker embedding", "is required: this model was trained with "
                        + config.xvectorDim() + "-d x-vectors");
                if (xv.length != config.xvectorDim())
                    throw new InputException("speaker embedding", "has " + xv.length + " values, the model takes " + config.xvectorDim());
            }
            SpeakerStats stats = speech.speaker() == null ? null : enrolled.get(speech.speaker());
            float[] normalised = switch (speakerNorm) {
                case NONE -> audio;
                case SPEAKER -> (stats != null ? stats : SpeakerStats.of(audio)).normalize(audio);
                case UTTERANCE -> SpeakerStats.of(audio).normalize(audio);
            };
            Example e = ModelInput.example(speech.source(), "unknown", "unknown", normalised, ModelInput.words(speech.transcript()), vocabulary,
                    xv, -1);
            w.model.forward(w.batcher.batch(List.of(e)), 0f, 0);
            float[] p = w.model.probabilities();
            return new Prediction(config.labels().name(MscnnSpuAtt.argmax(p, 0, config.classes())), config.labels().names(),
                    Arrays.copyOf(p, config.classes()), (System.nanoTime() - t0) / 1e6);
        } finally {
            idle.add(w);
        }
    }

    /**
     * Enrols a speaker for a model trained with speaker normalisation: adds every frame of these recordings of the
     * speaker (no label is needed; the more, the better the statistics) to the speaker's statistics, which later
     * predictions of {@link Speech#withSpeaker speech of that speaker} are normalised by, as training normalised by
     * all of a speaker's utterances. Calls add up, also from several threads. A model trained without speaker
     * normalisation ({@code none}, {@code utterance}) does not use them.
     *
     * @param speaker    the speaker's name, as {@link Speech#speaker()} will give it
     * @param utterances recordings of the speaker (any sample rate); their own speaker, transcript and x-vector are
     *                   not used
     * @throws InputException if the name is blank, no recording is given, or one is too short or not finite (then
     *                        none of them is added)
     */
    public void enroll(String speaker, Speech... utterances) {
        if (speaker == null || speaker.isBlank()) throw new InputException("speaker", "an enrolled speaker needs a name");
        if (utterances.length == 0) throw new InputException(speaker, "enrolment needs at least one recording of the speaker");
        List<float[]> features = new java.util.ArrayList<>(utterances.length);
        Worker w = acquire();
        try {
            for (Speech s : utterances) features.add(ModelInput.audio(w.mfcc.features(s.source(), s.samples16k())));
        } finally {
            idle.add(w);
        }
        SpeakerStats stats = enrolled.computeIfAbsent(speaker, k -> new SpeakerStats());
        for (float[] f : features) stats.add(f);
    }

    private Worker acquire() {
        Worker w = idle.poll();
        if (w != null) return w;
        if (workers.incrementAndGet() <= maxWorkers)
            return new Worker(trained.instantiate(Backends.select("cpu"), false), new Mfcc(), new Batcher(config(), trained.normalizer()));
        workers.decrementAndGet();
        try {
            return idle.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a model instance", e);
        }
    }

    /** Frees the model instances. */
    @Override
    public void close() {
        Worker w;
        while ((w = idle.poll()) != null) w.model.close();
    }
}
