package dev.ser4j;

import dev.ser4j.audio.Mfcc;
import dev.ser4j.audio.Segmenter;
import dev.ser4j.core.InputException;
import dev.ser4j.core.ModelConfig;
import dev.ser4j.model.Batch;
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

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * Speech emotion recognition with a trained ser4j model, for other JVM programs.
 *
 * <pre>{@code
 * try (EmotionRecognizer ser = EmotionRecognizer.load(Path.of("model.safetensors"))) {
 *     Prediction p = ser.predict(Speech.read(Path.of("utterance.wav")).withTranscript("I can't believe you did that."));
 *     System.out.println(p.label() + " " + p.probability("angry"));
 *     for (Segment s : ser.segments(Speech.read(Path.of("call.wav"))))           // a long recording, per utterance
 *         System.out.printf("%.1f-%.1f s %s%n", s.startSeconds(), s.endSeconds(), s.label());
 * }
 * }</pre>
 *
 * <p>Audio is mono, at any sample rate (resampled to the model's 16 kHz), at least 0.08 s; the transcript is plain
 * text (tokenised as in training; an empty one is allowed). The model sees at most 7.5 s of speech: a longer recording
 * is predicted from its first 7.5 s and says so ({@link Prediction#truncated()}); {@link #segments} and
 * {@link #stream} cut a long recording into utterances and predict each. Models trained with speaker embeddings from
 * a file need one ({@link Speech#withXvector}); models trained with {@code speaker-stats} compute it from the
 * enrolled speaker's statistics, or from the utterance itself; models trained with speaker normalisation use an {@link #enroll enrolled} speaker's statistics,
 * or the utterance's own.
 *
 * <p>Thread-safe: concurrent callers each get a model instance of their own (up to {@link Options#instances()};
 * further callers wait), so answers do not depend on concurrency. After {@link #close()} every call fails at once with
 * an {@link IllegalStateException}, callers waiting for an instance included, and every instance is freed.
 */
public final class EmotionRecognizer implements AutoCloseable {
    private final TrainedModel trained;
    private final Options options;
    private final String backend;
    private final Vocabulary vocabulary;
    private final String xvectorKind;
    private final SpeakerNorm speakerNorm;
    private final ModelInput input;
    private final Map<String, SpeakerStats> enrolled = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Worker> idle = new ConcurrentLinkedQueue<>();
    private final Semaphore slots;
    private final AtomicInteger open = new AtomicInteger();     // instances created and not yet freed
    private volatile boolean closed;

    /** A model instance on its own backend. */
    private record Worker(MscnnSpuAtt model, Batcher batcher) {}

    /**
     * How a recognizer computes.
     *
     * @param backend   {@code cpu} (the default), {@code cuda}, or {@code auto} (CUDA when usable, else the CPU)
     * @param instances the most model instances, i.e. concurrent predictions (at least 1)
     */
    public record Options(String backend, int instances) {
        /** The CPU, one instance per processor. */
        public static final Options DEFAULT = new Options("cpu", Runtime.getRuntime().availableProcessors());

        /**
         * Checks the number of instances.
         *
         * @throws InputException if it is below 1
         */
        public Options {
            if (instances < 1) throw new InputException("instances", instances + " model instances; at least 1");
        }

        /**
         * These options on another backend.
         *
         * @param b {@code cpu}, {@code cuda} or {@code auto}
         * @return new options
         */
        public Options withBackend(String b) {
            return new Options(b, instances);
        }

        /**
         * These options with another number of instances.
         *
         * @param n the most concurrent predictions
         * @return new options
         */
        public Options withInstances(int n) {
            return new Options(backend, n);
        }
    }

    private EmotionRecognizer(TrainedModel m, Options options) {
        this.trained = m;
        this.options = options;
        this.backend = Backends.resolve("backend", options.backend());
        ModelConfig config = m.config();
        String vocab = m.metadata().get("vocabulary");
        if (config.variant().text && vocab == null)
            throw new InputException("model", "has a text branch but no vocabulary in its metadata; it was not written by ./ser4j train");
        this.vocabulary = vocab == null ? null : Vocabulary.fromJson("model metadata 'vocabulary'", vocab);
        this.xvectorKind = m.metadata().getOrDefault("xvector_kind", config.xvector() ? "file" : "none");
        this.speakerNorm = SpeakerNorm.parse("model metadata 'speaker_norm'", m.metadata().getOrDefault("speaker_norm", "none"));
        this.input = new ModelInput(Boolean.parseBoolean(m.metadata().getOrDefault("trim_silence", "false")));
        this.slots = new Semaphore(options.instances());
    }

    /**
     * Loads a model written by {@code ./ser4j train} (or a cross-validation checkpoint), on the CPU.
     *
     * @param modelFile the model's safetensors file
     * @return a recognizer; close it when done
     * @throws InputException if the file is missing, unreadable, truncated, or not a ser4j model
     */
    public static EmotionRecognizer load(Path modelFile) {
        return load(modelFile, Options.DEFAULT);
    }

    /**
     * Loads a model with options.
     *
     * @param modelFile the model's safetensors file
     * @param options   the backend and the number of instances
     * @return a recognizer; close it when done
     * @throws InputException if the file is not a ser4j model, or the backend is unknown or {@code cuda} is unusable here
     */
    public static EmotionRecognizer load(Path modelFile, Options options) {
        return new EmotionRecognizer(TrainedModel.read(modelFile), options);
    }

    /**
     * Loads a model from a stream (read to its end; the caller closes it).
     *
     * @param model   the model file's bytes
     * @param name    names the model in error messages
     * @param options the backend and the number of instances
     * @return a recognizer; close it when done
     * @throws InputException if the bytes are not a ser4j model or cannot be read
     */
    public static EmotionRecognizer load(InputStream model, String name, Options options) {
        try {
            return new EmotionRecognizer(TrainedModel.read(model.readAllBytes(), name), options);
        } catch (IOException e) {
            throw new InputException(name, "cannot be read (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Loads a model packaged as a class-path resource (e.g. inside an application's jar).
     *
     * @param resource the resource's name, as {@link ClassLoader#getResource} takes it ({@code models/ser.safetensors})
     * @param options  the backend and the number of instances
     * @return a recognizer; close it when done
     * @throws InputException if there is no such resource or it is not a ser4j model
     */
    public static EmotionRecognizer loadResource(String resource, Options options) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) loader = EmotionRecognizer.class.getClassLoader();
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) throw new InputException(resource, "is not a resource on the class path");
            return load(in, resource, options);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The model's configuration: variant, ablations, sizes and classes.
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
     * The backend predictions run on.
     *
     * @return {@code cpu} or {@code cuda}
     */
    public String backend() {
        return backend;
    }

    /**
     * Whether predictions must be given a speaker embedding: the model was trained with x-vectors from a file (a
     * model trained with {@code speaker-stats} computes its own).
     *
     * @return true when every prediction needs an x-vector
     */
    public boolean needsSpeakerEmbedding() {
        return config().xvector() && !xvectorKind.equals(DataPipeline.SPEAKER_STATS);
    }

    /**
     * How the model normalises for the speaker, as it was trained ({@code --speaker-norm}).
     *
     * @return {@code none}, {@code speaker} (by an enrolled speaker's statistics) or {@code utterance}
     */
    public String speakerNormalization() {
        return speakerNorm.id();
    }

    /**
     * How many of a transcript's words the model knows.
     *
     * @param words   the transcript's words (tokens, as the model's tokenizer makes them)
     * @param unknown how many of them are not in the model's vocabulary (they all read as one unknown word)
     */
    public record WordCount(int words, int unknown) {}

    /**
     * Counts a transcript's words and those the model does not know: a high share of unknown words (a domain the
     * model was not trained on, another language) makes the text branch's answer weaker.
     *
     * @param transcript the text
     * @return the counts; zero words for a model without a text branch
     */
    public WordCount countWords(String transcript) {
        if (vocabulary == null) return new WordCount(0, 0);
        int[] ids = vocabulary.encode(ModelInput.words(transcript), Integer.MAX_VALUE);
        return new WordCount(ids.length, (int) Arrays.stream(ids).filter(id -> id == Vocabulary.UNK).count());
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
     * @throws InputException        if the name is blank, no recording is given, or one is too short or not finite
     *                               (then none of them is added)
     * @throws IllegalStateException if the recognizer is closed
     */
    public void enroll(String speaker, Speech... utterances) {
        checkOpen();
        if (speaker == null || speaker.isBlank()) throw new InputException("speaker", "an enrolled speaker needs a name");
        if (utterances.length == 0) throw new InputException(speaker, "enrolment needs at least one recording of the speaker");
        List<Features> features = new ArrayList<>(utterances.length);
        for (Speech s : utterances) features.add(features(s, MFCC.get()));
        SpeakerStats stats = enrolled.computeIfAbsent(speaker, k -> new SpeakerStats());
        for (Features f : features) stats.add(f.audio);
    }

    /**
     * Forgets an enrolled speaker's statistics: later predictions of that speaker's speech are normalised by the
     * utterance's own, as for a speaker never enrolled. A long-lived recognizer that enrols many speakers in turn (a
     * batch job, speaker by speaker) forgets each when done, so its memory stays bounded.
     *
     * @param speaker the name the speaker was enrolled under
     * @return whether the speaker was enrolled
     */
    public boolean forget(String speaker) {
        return speaker != null && enrolled.remove(speaker) != null;
    }

    /**
     * Predicts the emotion of mono 16 kHz samples.
     *
     * @param samples16k mono samples at 16 kHz in [-1, 1], at least 1280 (0.08 s)
     * @param transcript what was said, as plain text; empty or null when there is none
     * @return the prediction
     * @throws InputException        if the audio is too short or holds a non-finite sample, or the model needs a
     *                               speaker embedding ({@link #needsSpeakerEmbedding()})
     * @throws IllegalStateException if the recognizer is closed
     */
    public Prediction predict(float[] samples16k, String transcript) {
        return predict(Speech.of(samples16k, Mfcc.SAMPLE_RATE).withTranscript(transcript));
    }

    /**
     * Predicts with an explicit speaker embedding.
     *
     * @param samples16k       mono samples at 16 kHz in [-1, 1], at least 1280 (0.08 s)
     * @param transcript       what was said; empty or null when there is none
     * @param speakerEmbedding the speaker's x-vector ({@code config().xvectorDim()} values); null when the model has
     *                         none, or computes its own ({@code speaker-stats})
     * @return the prediction
     * @throws InputException        if the audio is too short, or the speaker embedding is needed and missing, or has
     *                               the wrong width
     * @throws IllegalStateException if the recognizer is closed
     */
    public Prediction predict(float[] samples16k, String transcript, float[] speakerEmbedding) {
        return predict(Speech.of(samples16k, Mfcc.SAMPLE_RATE).withTranscript(transcript).withXvector(speakerEmbedding));
    }

    /**
     * Reads a WAV file (any sample rate, resampled to 16 kHz; several channels are averaged) and predicts.
     *
     * @param wav              the recording
     * @param transcript       what was said; empty or null when there is none
     * @param speakerEmbedding the speaker's x-vector, or null (see {@link #predict(float[], String, float[])})
     * @return the prediction; its time includes reading and resampling the file
     * @throws InputException        if the file is not a readable WAV, is too short, or a needed speaker embedding is
     *                               missing or of the wrong width
     * @throws IllegalStateException if the recognizer is closed
     */
    public Prediction predict(Path wav, String transcript, float[] speakerEmbedding) {
        long t0 = System.nanoTime();
        Prediction p = predict(Speech.read(wav).withTranscript(transcript).withXvector(speakerEmbedding));
        return p.withMilliseconds((System.nanoTime() - t0) / 1e6);
    }

    /**
     * Predicts the emotion of a piece of speech. A model trained with speaker normalisation normalises the features
     * by the statistics of {@link Speech#speaker()} when that speaker is {@link #enroll enrolled}, and otherwise by
     * the utterance's own (the documented fallback: a little less accurate than a speaker's statistics). Speech longer
     * than the model's window is predicted from its first 7.5 s of speech, and the prediction says so.
     *
     * @param speech the audio (any sample rate) and what is known about it
     * @return the prediction
     * @throws InputException        if the audio is too short or not finite, or the model needs an x-vector and the
     *                               speech has none or one of the wrong width
     * @throws IllegalStateException if the recognizer is closed
     */
    public Prediction predict(Speech speech) {
        return predictAll(List.of(speech)).getFirst();
    }

    /**
     * Predicts many pieces of speech at once: their features are computed in parallel and the model runs on padded
     * batches of utterances of similar length, which is several times the throughput of one-by-one calls. The
     * answers are those of {@link #predict(Speech)} for each.
     *
     * @param speeches the audio and what is known about each
     * @return the predictions, in the order of {@code speeches}; each one's time is its share of the batch
     * @throws InputException        for the first speech whose audio or x-vector is unusable (naming its source)
     * @throws IllegalStateException if the recognizer is closed
     */
    public List<Prediction> predictAll(List<Speech> speeches) {
        return predictAll(speeches, false);
    }

    /**
     * Enrols every piece of speech that names a speaker with that speech, then predicts them all: the same as
     * {@link #enroll enroll(s.speaker(), s)} for each such {@code s} in order and then {@link #predictAll}, but each
     * recording's features are computed once, not twice. For a batch of a speaker's recordings (a service's requests,
     * a speaker's part of an archive) with a model trained with speaker normalisation; speech without a speaker is
     * predicted and not enrolled.
     *
     * @param speeches the audio and what is known about each
     * @return the predictions, in the order of {@code speeches}
     * @throws InputException        for the first speech whose audio or x-vector is unusable (naming its source); then
     *                               nothing is enrolled
     * @throws IllegalStateException if the recognizer is closed
     */
    public List<Prediction> enrollAndPredict(List<Speech> speeches) {
        for (Speech s : speeches)
            if (s.speaker() != null && s.speaker().isBlank()) throw new InputException(s.source(), "an enrolled speaker needs a name");
        return predictAll(speeches, true);
    }

    private List<Prediction> predictAll(List<Speech> speeches, boolean enroll) {
        checkOpen();
        long t0 = System.nanoTime();
        // everything that can be wrong with an input is found before anything is enrolled
        Features[] features = new Features[speeches.size()];
        for (Speech s : speeches) checkXvector(s);
        if (features.length == 1) features[0] = features(speeches.getFirst(), MFCC.get());
        else IntStream.range(0, features.length).parallel().forEach(i -> features[i] = features(speeches.get(i), MFCC.get()));
        if (enroll)
            for (int i = 0; i < features.length; i++) {
                String speaker = speeches.get(i).speaker();
                if (speaker != null) enrolled.computeIfAbsent(speaker, k -> new SpeakerStats()).add(features[i].audio);
            }
        Input[] inputs = new Input[features.length];
        for (int i = 0; i < inputs.length; i++) inputs[i] = input(speeches.get(i), features[i]);
        Prediction[] out = new Prediction[inputs.length];
        Integer[] order = new Integer[inputs.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, Comparator.comparingInt(i -> inputs[i].example.frames()));     // similar lengths share a batch
        Worker w = acquire();
        try {
            ModelConfig config = config();
            for (int b0 = 0; b0 < order.length; b0 += BATCH) {
                int n = Math.min(BATCH, order.length - b0);
                List<Example> chunk = new ArrayList<>(n);
                for (int j = 0; j < n; j++) chunk.add(inputs[order[b0 + j]].example);
                Batch batch = w.batcher.batch(chunk);
                w.model.forward(batch, 0f, 0);
                float[] p = w.model.probabilities();
                int E = config.classes();
                for (int j = 0; j < n; j++) {
                    float[] probs = Arrays.copyOfRange(p, j * E, (j + 1) * E);
                    Input in = inputs[order[b0 + j]];
                    out[order[b0 + j]] = new Prediction(config.labels().name(MscnnSpuAtt.argmax(probs, 0, E)), config.labels().names(), probs,
                            0, in.truncated);
                }
            }
        } finally {
            release(w);
        }
        double ms = (System.nanoTime() - t0) / 1e6 / Math.max(1, out.length);
        return Arrays.stream(out).map(p -> p.withMilliseconds(ms)).toList();
    }

    /** Utterances per batch of {@link #predictAll}. */
    static final int BATCH = 32;
    private static final ThreadLocal<Mfcc> MFCC = ThreadLocal.withInitial(Mfcc::new);

    /** An utterance as the model's input, and whether it was longer than the model's window. */
    private record Input(Example example, boolean truncated) {}

    /** An utterance's features as the model reads them (its window, before any normalisation), and whether it was cut. */
    private record Features(float[] audio, boolean truncated) {}

    /** The features of {@code speech}; throws for unusable audio. */
    private Features features(Speech speech, Mfcc mfcc) {
        float[] all = mfcc.features(speech.source(), speech.samples16k());
        return new Features(input.audio(all), input.truncates(all));
    }

    /** Throws unless the model gets the x-vector it needs from {@code speech}. */
    private void checkXvector(Speech speech) {
        ModelConfig config = config();
        if (!config.xvector()) return;
        if (speech.xvector() == null && !xvectorKind.equals(DataPipeline.SPEAKER_STATS))
            throw new InputException(speech.source(), "needs a speaker embedding: this model was trained with " + config.xvectorDim() + "-d x-vectors");
        if (speech.xvector() != null && speech.xvector().length != config.xvectorDim())
            throw new InputException(speech.source(), "has a speaker embedding of " + speech.xvector().length + " values; the model takes "
                    + config.xvectorDim());
    }

    private Input input(Speech speech, Features features) {
        ModelConfig config = config();
        float[] audio = features.audio;
        boolean truncated = features.truncated;
        SpeakerStats stats = speech.speaker() == null ? null : enrolled.get(speech.speaker());
        float[] xv = null;
        if (config.xvector())
            xv = speech.xvector() != null ? speech.xvector() : (stats != null ? stats : SpeakerStats.of(audio)).embedding();
        float[] normalised = switch (speakerNorm) {
            case NONE -> audio;
            case SPEAKER -> (stats != null ? stats : SpeakerStats.of(audio)).normalize(audio);
            case UTTERANCE -> SpeakerStats.of(audio).normalize(audio);
        };
        return new Input(ModelInput.example(speech.source(), "unknown", "unknown", normalised, ModelInput.words(speech.transcript()), vocabulary,
                xv, -1), truncated);
    }

    /**
     * Cuts a long recording into utterances of speech ({@link Segmenter}: pauses of 0.3 s or more, at most the model's
     * 7.5 s each) and predicts each. The transcript is not used (it is not aligned with the segments): a bimodal model
     * predicts the segments from their audio alone. The speaker and x-vector apply to every segment.
     *
     * @param recording the recording, any length
     * @return the segments in time order; none when there is no speech
     * @throws InputException        if the audio is not finite
     * @throws IllegalStateException if the recognizer is closed
     */
    public List<Segment> segments(Speech recording) {
        checkOpen();
        List<Segment> out = new ArrayList<>();
        try (Stream s = stream(recording.sampleRate(), out::add, recording)) {
            s.accept(recording.samples());
        }
        return out;
    }

    /**
     * A recording that arrives in chunks (a call, a microphone): each utterance's prediction is given to
     * {@code onSegment} (in the thread that calls {@link Stream#accept}) as soon as the pause after it is heard.
     * Memory stays bounded: only the current utterance's samples are kept. Feeding a recording in chunks of any size
     * gives exactly the segments of {@link #segments} on the whole recording.
     *
     * @param sampleRate the chunks' sample rate, in Hz
     * @param onSegment  receives each segment's prediction
     * @return the stream; close it (or {@link Stream#finish}) at the end of the recording
     * @throws IllegalStateException if the recognizer is closed
     */
    public Stream stream(int sampleRate, Consumer<Segment> onSegment) {
        return stream(sampleRate, onSegment, Speech.of(new float[0], sampleRate).withTranscript(""));
    }

    private Stream stream(int sampleRate, Consumer<Segment> onSegment, Speech template) {
        checkOpen();
        return new Stream(sampleRate, onSegment, template);
    }

    /** A recording fed in chunks; see {@link EmotionRecognizer#stream}. Not thread-safe: one producer feeds it. */
    public final class Stream implements AutoCloseable {
        private final Segmenter.Stream segmenter;
        private final Speech template;
        private final Consumer<Segment> onSegment;
        private float[] buffer = new float[1 << 14];
        private long bufferStart, received;
        private int bufferLength;
        private boolean finished;

        private Stream(int sampleRate, Consumer<Segment> onSegment, Speech template) {
            this.onSegment = onSegment;
            this.template = template;
            this.segmenter = new Segmenter.Stream(sampleRate, this::segment);
        }

        /**
         * The next chunk of the recording.
         *
         * @param chunk mono samples at the stream's rate, in [-1, 1]
         * @throws IllegalStateException if the stream is finished or the recognizer closed
         */
        public void accept(float[] chunk) {
            if (finished) throw new IllegalStateException("the stream is finished");
            checkOpen();
            long keep = segmenter.earliestNeeded();
            if (keep > bufferStart) drop(keep);
            if (bufferLength + chunk.length > buffer.length) buffer = Arrays.copyOf(buffer, Math.max(2 * buffer.length, bufferLength + chunk.length));
            System.arraycopy(chunk, 0, buffer, bufferLength, chunk.length);
            bufferLength += chunk.length;
            received += chunk.length;
            segmenter.accept(chunk, 0, chunk.length);
        }

        /** The end of the recording: predicts the last utterance when it is still open. Idempotent. */
        public void finish() {
            if (finished) return;
            finished = true;
            segmenter.finish();
        }

        @Override
        public void close() {
            finish();
        }

        private void drop(long upTo) {
            int n = (int) Math.min(upTo - bufferStart, bufferLength);
            System.arraycopy(buffer, n, buffer, 0, bufferLength - n);
            bufferLength -= n;
            bufferStart += n;
        }

        private void segment(Segmenter.Span span) {
            int from = (int) (span.start() - bufferStart), to = (int) (Math.min(span.end(), received) - bufferStart);
            float[] samples = Arrays.copyOfRange(buffer, from, to);
            if (samples.length * (long) Mfcc.SAMPLE_RATE / span.sampleRate() < Mfcc.MIN_SAMPLES) return;   // too short to predict
            Speech piece = new Speech(samples, span.sampleRate(), "", template.speaker(), template.xvector(),
                    template.source() + " " + String.format(java.util.Locale.ROOT, "%.2f-%.2f s", span.startSeconds(), span.endSeconds()));
            onSegment.accept(new Segment(span.startSeconds(), span.endSeconds(), predict(piece)));
        }
    }

    /**
     * Creates every model instance now ({@link Options#instances()}) and runs each once on the largest batch
     * {@link #predictAll} makes (32 utterances of the model's 7.5 s, and of its most tokens), so that each
     * holds its working memory from the start. A long-running service then knows its memory before the first request,
     * and a heap too small for that many instances fails here, at startup, rather than under load. Instances keep
     * their working memory until {@link #close()}.
     *
     * @throws IllegalStateException if the recognizer is closed
     * @throws OutOfMemoryError      if the heap cannot hold the instances at their largest
     */
    public void warmUp() {
        ModelConfig config = config();
        List<Example> largest = new ArrayList<>(BATCH);
        List<String> words = java.util.Collections.nCopies(Example.MAX_TOKENS, "the");
        for (int i = 0; i < BATCH; i++)
            largest.add(ModelInput.example("warm-up", "unknown", "unknown", new float[Example.MAX_FRAMES * Mfcc.FEATURES], words, vocabulary,
                    config.xvector() ? new float[config.xvectorDim()] : null, -1));
        List<Worker> all = new ArrayList<>();
        try {
            for (int i = 0; i < options.instances(); i++) all.add(acquire());     // every instance at once: each is its own
            for (Worker w : all) w.model.forward(w.batcher.batch(largest), 0f, 0);
        } finally {
            all.forEach(this::release);
        }
    }

    private void checkOpen() {
        if (closed) throw new IllegalStateException("this EmotionRecognizer is closed");
    }

    private Worker acquire() {
        checkOpen();
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a model instance", e);
        }
        if (closed) {
            slots.release();
            throw new IllegalStateException("this EmotionRecognizer is closed");
        }
        Worker w = idle.poll();
        if (w != null) return w;
        try {
            w = new Worker(trained.instantiate(Backends.select(backend), false), new Batcher(config(), trained.normalizer()));
            open.incrementAndGet();
            return w;
        } catch (RuntimeException e) {
            slots.release();
            throw e;
        }
    }

    private void release(Worker w) {
        if (closed) close(w);
        else idle.add(w);
        if (closed) for (Worker left; (left = idle.poll()) != null; ) close(left);     // close() ran while we computed
        slots.release();
    }

    private void close(Worker w) {
        w.model.closeWithBackend();
        open.decrementAndGet();
    }

    /** The model instances open now: created and not yet freed (zero once closed and every call has returned). */
    int openInstances() {
        return open.get();
    }

    /** Frees every model instance; later and waiting calls fail with an {@link IllegalStateException}. Idempotent. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        for (Worker w; (w = idle.poll()) != null; ) close(w);
        slots.release(Integer.MAX_VALUE / 2);                 // wake every waiting caller: each sees closed and fails
    }
}
