package dev.ser4j.spark;

import dev.ser4j.EmotionRecognizer;
import dev.ser4j.Prediction;
import dev.ser4j.Speech;
import dev.ser4j.core.InputException;
import dev.ser4j.pipeline.SpeakerNorm;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.monotonically_increasing_id;

/**
 * Batch emotion prediction on Spark: a {@code Dataset<Row>} of recordings in, one row per recording out, with the
 * numbers of {@link EmotionRecognizer#predictAll} (and of {@code ./ser4j predict --manifest}) for the same inputs.
 *
 * <pre>{@code
 * SparkPredictor ser = SparkPredictor.load(spark, Path.of("model.safetensors"));
 * Dataset<Row> in = spark.read().option("header", true).option("sep", "\t").csv("calls.tsv");   // id, path, transcript, speaker
 * ser.predict(in).write().json("predictions/");
 * }</pre>
 *
 * <p>Input columns, by name: {@code id} (string), the audio as {@code path} (string: a WAV file every executor can
 * read) or {@code audio} (binary: the WAV file's bytes, e.g. from {@code spark.read().format("binaryFile")}, where
 * both are given {@code audio} wins for a row that has it), and optionally {@code transcript} (string; empty when
 * absent), {@code speaker} (string) and {@code xvector} (array of float or double, for models trained with x-vectors
 * from a file). Output ({@link #outputSchema}): {@code id}, {@code label}, {@code probabilities} (a struct with one
 * float per class, named by the class), {@code truncated} (true when the recording was longer than the model's
 * 7.5 s and only its first 7.5 s were used, else null) and {@code error} (why the row could not be predicted, else
 * null): a bad file is an error row, never a failed job.
 *
 * <p>How it runs: the model file's bytes are broadcast once; each executor JVM loads the model lazily, once, and
 * shares it between the tasks it runs ({@link EmotionRecognizer} is thread-safe, one model instance per concurrent
 * caller). Each task takes its rows {@link #withBatchSize batch} by batch: a batch's features are computed in
 * parallel and its utterances sorted by length into padded model batches ({@link EmotionRecognizer#predictAll}).
 *
 * <p>Speaker normalisation: a model trained with {@code --speaker-norm speaker} normalises an utterance by its
 * speaker's statistics over all of the speaker's recordings, as {@code predict --manifest} does by enrolling every
 * row of a speaker first. Here the rows with a speaker are partitioned by speaker (one shuffle of the rows, not of
 * their audio; a speaker's rows are held by one task) and sorted into input order; each speaker's recordings are
 * enrolled, then predicted, and the speaker is forgotten (in one pass, each recording read once, when the speaker's
 * rows fit one batch). Rows without a speaker (null, blank or {@code unknown})
 * are normalised by their own statistics, without a shuffle; models without speaker normalisation never shuffle.
 */
public final class SparkPredictor implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Input column names. */
    public static final String ID = "id", PATH = "path", AUDIO = "audio", TRANSCRIPT = "transcript", SPEAKER = "speaker", XVECTOR = "xvector";
    /** Output column names besides {@link #ID}. */
    public static final String LABEL = "label", PROBABILITIES = "probabilities", TRUNCATED = "truncated", ERROR = "error";
    /** Rows per {@link EmotionRecognizer#predictAll} call, by default. */
    public static final int DEFAULT_BATCH = 256;

    private static final String ORDINAL = "_ser4j_ordinal";

    private final Broadcast<byte[]> model;
    private final String name, key, backend;
    private final String[] classes;
    private final boolean enrols;
    private final int xvectorDim;              // > 0: needed, < 0: taken (speaker-stats models), 0: none
    private final int batch;

    private SparkPredictor(Broadcast<byte[]> model, String name, String key, String backend, String[] classes, boolean enrols,
                           int xvectorDim, int batch) {
        this.model = model;
        this.name = name;
        this.key = key;
        this.backend = backend;
        this.classes = classes;
        this.enrols = enrols;
        this.xvectorDim = xvectorDim;
        this.batch = batch;
    }

    /**
     * Reads a model written by {@code ./ser4j train} (or a cross-validation checkpoint) on the driver and broadcasts
     * it to the executors; predictions run on the CPU in batches of {@value #DEFAULT_BATCH} rows.
     *
     * @param spark     the session whose executors predict
     * @param modelFile the model's safetensors file, on the driver
     * @return a predictor
     * @throws InputException if the file is missing or not a ser4j model
     */
    public static SparkPredictor load(SparkSession spark, Path modelFile) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(modelFile);
        } catch (IOException e) {
            throw dev.ser4j.io.UserFiles.problem(modelFile, e);
        }
        return load(spark, bytes, modelFile.toString());
    }

    /**
     * A predictor of a model held in memory.
     *
     * @param spark the session whose executors predict
     * @param bytes the model file's bytes
     * @param name  names the model in messages
     * @return a predictor
     * @throws InputException if the bytes are not a ser4j model
     */
    public static SparkPredictor load(SparkSession spark, byte[] bytes, String name) {
        String[] classes;
        boolean enrols;
        int xvectorDim;
        try (EmotionRecognizer ser = EmotionRecognizer.load(new ByteArrayInputStream(bytes), name, EmotionRecognizer.Options.DEFAULT)) {
            classes = ser.classes().toArray(String[]::new);
            enrols = SpeakerNorm.parse(name, ser.speakerNormalization()) == SpeakerNorm.SPEAKER;
            xvectorDim = ser.needsSpeakerEmbedding() ? ser.config().xvectorDim() : ser.config().xvector() ? -ser.config().xvectorDim() : 0;
        }
        Broadcast<byte[]> b = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(bytes);
        return new SparkPredictor(b, name, sha256(bytes), "cpu", classes, enrols, xvectorDim, DEFAULT_BATCH);
    }

    /**
     * This predictor on another backend (resolved on each executor).
     *
     * @param b {@code cpu}, {@code cuda} or {@code auto} (CUDA where the executor has a usable GPU, else the CPU)
     * @return a new predictor sharing the broadcast model
     */
    public SparkPredictor withBackend(String b) {
        return new SparkPredictor(model, name, key, b, classes, enrols, xvectorDim, batch);
    }

    /**
     * This predictor with another number of rows per {@link EmotionRecognizer#predictAll} call: more rows sort into
     * better-filled length buckets and feature more threads, at the cost of memory (a batch's decoded audio).
     *
     * @param rows rows per call, at least 1
     * @return a new predictor sharing the broadcast model
     * @throws InputException if {@code rows} is below 1
     */
    public SparkPredictor withBatchSize(int rows) {
        if (rows < 1) throw new InputException("batch size", rows + " rows; at least 1");
        return new SparkPredictor(model, name, key, backend, classes, enrols, xvectorDim, rows);
    }

    /**
     * The model's classes.
     *
     * @return the class names, in the order of the {@code probabilities} struct's fields
     */
    public List<String> classes() {
        return List.of(classes);
    }

    /**
     * Whether predictions enrol each speaker first (the model was trained with speaker normalisation), which groups
     * the rows with a speaker by speaker.
     *
     * @return true for a model trained with {@code --speaker-norm speaker}
     */
    public boolean enrolsSpeakers() {
        return enrols;
    }

    /**
     * The width of the x-vectors the model takes in the {@code xvector} column.
     *
     * @return the width, or 0 when the model takes none
     */
    public int xvectorDim() {
        return Math.abs(xvectorDim);
    }

    /**
     * Whether every row needs an x-vector: the model was trained with x-vectors from a file (a model trained with
     * {@code speaker-stats} computes its own, and takes a row's x-vector in their place when it has one).
     *
     * @return true when the {@code xvector} column must be given
     */
    public boolean needsXvectors() {
        return xvectorDim > 0;
    }

    /**
     * The schema of {@link #predict}'s output.
     *
     * @return id, label, probabilities (one float per class), truncated, error
     */
    public StructType outputSchema() {
        List<StructField> probs = new ArrayList<>();
        for (String c : classes) probs.add(DataTypes.createStructField(c, DataTypes.FloatType, false));
        return DataTypes.createStructType(List.of(
                DataTypes.createStructField(ID, DataTypes.StringType, true),
                DataTypes.createStructField(LABEL, DataTypes.StringType, true),
                DataTypes.createStructField(PROBABILITIES, DataTypes.createStructType(probs), true),
                DataTypes.createStructField(TRUNCATED, DataTypes.BooleanType, true),
                DataTypes.createStructField(ERROR, DataTypes.StringType, true)));
    }

    /**
     * Predicts every row (lazily: the work runs when the result is written or collected).
     *
     * @param input rows with {@code id}, {@code path} or {@code audio}, and optionally {@code transcript},
     *              {@code speaker}, {@code xvector}
     * @return one row per input row, in {@link #outputSchema}; the order of rows is not kept
     * @throws InputException if a needed column is missing or of the wrong type
     */
    public Dataset<Row> predict(Dataset<Row> input) {
        Dataset<Row> rows = normalise(input);
        var encoder = Encoders.row(outputSchema());
        if (!enrols) return rows.mapPartitions(new Batches(this), encoder);
        Column known = col(SPEAKER).isNotNull().and(col(SPEAKER).notEqual(lit(""))).and(col(SPEAKER).notEqual(lit(SpeakerNorm.UNKNOWN_SPEAKER)));
        // A speaker's rows into one partition, in input order. The number of partitions is explicit: adaptive query
        // execution would otherwise merge these small rows (a path each, their work is in the audio) into one task.
        int parts = Math.max(input.rdd().getNumPartitions(), 4 * input.sparkSession().sparkContext().defaultParallelism());
        Dataset<Row> bySpeaker = rows.withColumn(ORDINAL, monotonically_increasing_id()).filter(known).repartition(parts, col(SPEAKER))
                .sortWithinPartitions(col(SPEAKER), col(ORDINAL)).mapPartitions(new Speakers(this), encoder);
        Dataset<Row> alone = rows.filter(org.apache.spark.sql.functions.not(known)).mapPartitions(new Batches(this), encoder);
        return bySpeaker.unionByName(alone);
    }

    /** The input as (id, path, audio, transcript, speaker, xvector) with the optional columns filled in and checked. */
    private Dataset<Row> normalise(Dataset<Row> in) {
        StructType s = in.schema();
        Map<String, DataType> types = new java.util.HashMap<>();
        for (StructField f : s.fields()) types.put(f.name(), f.dataType());
        require(types, ID, DataTypes.StringType, true);
        boolean path = require(types, PATH, DataTypes.StringType, false), audio = require(types, AUDIO, DataTypes.BinaryType, false);
        if (!path && !audio) throw new InputException("input", "has neither a 'path' column (WAV files) nor an 'audio' column (their bytes); columns: "
                + String.join(", ", s.fieldNames()));
        boolean text = require(types, TRANSCRIPT, DataTypes.StringType, false), speaker = require(types, SPEAKER, DataTypes.StringType, false);
        DataType xv = types.get(XVECTOR);
        if (xv != null && !(xv instanceof ArrayType a && (a.elementType().equals(DataTypes.FloatType) || a.elementType().equals(DataTypes.DoubleType))))
            throw new InputException("input", "has an 'xvector' column of " + xv.simpleString() + "; expected an array of float or double");
        ArrayType floats = DataTypes.createArrayType(DataTypes.FloatType);
        return in.select(col(ID),
                path ? col(PATH) : lit(null).cast(DataTypes.StringType).as(PATH),
                audio ? col(AUDIO) : lit(null).cast(DataTypes.BinaryType).as(AUDIO),
                text ? col(TRANSCRIPT) : lit("").as(TRANSCRIPT),
                speaker ? org.apache.spark.sql.functions.trim(col(SPEAKER)).as(SPEAKER) : lit(null).cast(DataTypes.StringType).as(SPEAKER),
                xv != null ? col(XVECTOR).cast(floats).as(XVECTOR) : lit(null).cast(floats).as(XVECTOR));
    }

    private static boolean require(Map<String, DataType> types, String column, DataType type, boolean needed) {
        DataType t = types.get(column);
        if (t == null) {
            if (needed) throw new InputException("input", "has no '" + column + "' column");
            return false;
        }
        if (!t.equals(type)) throw new InputException("input", "has a '" + column + "' column of " + t.simpleString() + "; expected " + type.simpleString());
        return true;
    }

    // ---- on the executors ------------------------------------------------------------------------------------------

    /** The models loaded in this JVM, by content and backend: one per executor JVM, shared by its tasks. */
    private static final Map<String, EmotionRecognizer> LOADED = new ConcurrentHashMap<>();

    private EmotionRecognizer recognizer() {
        return LOADED.computeIfAbsent(key + "@" + backend, k -> EmotionRecognizer.load(new ByteArrayInputStream(model.value()), name,
                EmotionRecognizer.Options.DEFAULT.withBackend(backend)));
    }

    /**
     * Frees the model in this JVM (the driver's, which in local mode is also the executor) and the broadcast's copies
     * on the executors; the predictor must not be used afterwards. Executors of a cluster free their model when they
     * end.
     */
    public void release() {
        EmotionRecognizer ser = LOADED.remove(key + "@" + backend);
        if (ser != null) ser.close();
        model.destroy();
    }

    /** A partition's rows, {@code batch} at a time, without enrolment. */
    private record Batches(SparkPredictor p) implements MapPartitionsFunction<Row, Row> {
        @Override
        public Iterator<Row> call(Iterator<Row> rows) {
            EmotionRecognizer ser = p.recognizer();
            return new Iterator<>() {
                private Iterator<Row> done = List.<Row>of().iterator();

                @Override
                public boolean hasNext() {
                    while (!done.hasNext() && rows.hasNext()) {
                        List<Row> chunk = new ArrayList<>(p.batch);
                        while (chunk.size() < p.batch && rows.hasNext()) chunk.add(rows.next());
                        done = p.predict(ser, chunk, null, new String[chunk.size()], false).iterator();
                    }
                    return done.hasNext();
                }

                @Override
                public Row next() {
                    if (!hasNext()) throw new NoSuchElementException();
                    return done.next();
                }
            };
        }
    }

    /**
     * A partition of speakers' rows, sorted by speaker and input order: each speaker's recordings enrolled (in input
     * order), then predicted, then the speaker forgotten.
     */
    private record Speakers(SparkPredictor p) implements MapPartitionsFunction<Row, Row> {
        @Override
        public Iterator<Row> call(Iterator<Row> rows) {
            EmotionRecognizer ser = p.recognizer();
            return new Iterator<>() {
                private Iterator<Row> done = List.<Row>of().iterator();
                private Row next;                                   // the first row of the next speaker

                @Override
                public boolean hasNext() {
                    while (!done.hasNext() && (next != null || rows.hasNext())) {
                        List<Row> group = new ArrayList<>();
                        group.add(next != null ? next : rows.next());
                        next = null;
                        String speaker = speakerOf(group.getFirst());
                        while (rows.hasNext()) {
                            Row r = rows.next();
                            if (speakerOf(r).equals(speaker)) group.add(r);
                            else {
                                next = r;
                                break;
                            }
                        }
                        done = p.speaker(ser, speaker, group).iterator();
                    }
                    return done.hasNext();
                }

                @Override
                public Row next() {
                    if (!hasNext()) throw new NoSuchElementException();
                    return done.next();
                }
            };
        }

        private static String speakerOf(Row r) {
            return r.getString(r.fieldIndex(SPEAKER));
        }
    }

    /**
     * One speaker's rows, in input order: every recording enrolled, then each predicted, then the speaker forgotten.
     * A speaker whose rows fit one batch takes one pass ({@link EmotionRecognizer#enrollAndPredict}: each recording
     * read and featurised once); a larger one, or a batch with a recording that cannot be used, two: all enrolled,
     * then predicted batch by batch, each bad row an error row of its own.
     */
    private List<Row> speaker(EmotionRecognizer ser, String speaker, List<Row> rows) {
        // Enrolled under a name of this call's own: tasks sharing the recognizer (a retried or speculative copy of this
        // one, another job) never add to each other's statistics.
        String enrolled = speaker + " #" + UUID.randomUUID();
        try {
            if (rows.size() <= batch) {
                List<Row> once = predict(ser, rows, enrolled, new String[rows.size()], true);
                if (once != null) return once;
            }
            String[] errors = new String[rows.size()];
            for (int i = 0; i < rows.size(); i++) {
                try {
                    ser.enroll(enrolled, speech(rows.get(i)));
                } catch (InputException e) {
                    errors[i] = e.getMessage();
                }
            }
            List<Row> out = new ArrayList<>(rows.size());
            for (int b0 = 0; b0 < rows.size(); b0 += batch) {
                int b1 = Math.min(rows.size(), b0 + batch);
                out.addAll(predict(ser, rows.subList(b0, b1), enrolled, Arrays.copyOfRange(errors, b0, b1), false));
            }
            return out;
        } finally {
            ser.forget(enrolled);
        }
    }

    /** A row's recording with its transcript and x-vector (not yet its speaker). */
    private Speech speech(Row r) {
        String id = r.getString(r.fieldIndex(ID));
        byte[] bytes = r.isNullAt(r.fieldIndex(AUDIO)) ? null : (byte[]) r.get(r.fieldIndex(AUDIO));
        String path = r.getString(r.fieldIndex(PATH));
        Speech s;
        if (bytes != null) s = Speech.parse(bytes, path != null ? path : id == null ? "audio" : id);
        else if (path != null) s = Speech.read(Path.of(path));
        else throw new InputException(id == null ? "row" : id, "has neither a path nor audio bytes");
        s = s.withTranscript(r.getString(r.fieldIndex(TRANSCRIPT)));
        int xi = r.fieldIndex(XVECTOR);
        if (!r.isNullAt(xi)) {
            List<Float> v = r.getList(xi);
            float[] xv = new float[v.size()];
            for (int i = 0; i < xv.length; i++) {
                Float f = v.get(i);
                if (f == null) throw new InputException(id == null ? "row" : id, "has a null in its x-vector");
                xv[i] = f;
            }
            s = s.withXvector(xv);
        }
        return s;
    }

    /**
     * Predicts {@code rows} (those without an error yet): their recordings read now, all predicted at once, and when
     * that fails on one, one by one, so that each bad one is an error row of its own (as {@code predict --manifest}).
     *
     * @param speaker the name the rows' speaker is enrolled under, or null (each row's own speaker, not enrolled)
     * @param enroll  enrol the rows under {@code speaker} as they are predicted; then, when a recording that can be
     *                read cannot be used, nothing is enrolled and the answer is null
     */
    private List<Row> predict(EmotionRecognizer ser, List<Row> rows, String speaker, String[] errors, boolean enroll) {
        List<Integer> which = new ArrayList<>();
        List<Speech> speeches = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            if (errors[i] != null) continue;
            try {
                Speech s = speech(rows.get(i));
                speeches.add(s.withSpeaker(speaker != null ? speaker : rows.get(i).getString(rows.get(i).fieldIndex(SPEAKER))));
                which.add(i);
            } catch (InputException e) {
                errors[i] = e.getMessage();
            } catch (RuntimeException e) {
                errors[i] = "internal error: " + e;
            }
        }
        Prediction[] preds = new Prediction[rows.size()];
        try {
            List<Prediction> ps = enroll ? ser.enrollAndPredict(speeches) : ser.predictAll(speeches);
            for (int j = 0; j < ps.size(); j++) preds[which.get(j)] = ps.get(j);
        } catch (InputException badOne) {
            if (enroll) return null;
            for (int j = 0; j < speeches.size(); j++) {
                try {
                    preds[which.get(j)] = ser.predict(speeches.get(j));
                } catch (InputException e) {
                    errors[which.get(j)] = e.getMessage();
                }
            }
        }
        List<Row> out = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            String id = rows.get(i).getString(rows.get(i).fieldIndex(ID));
            Prediction p = preds[i];
            if (p == null) {
                out.add(RowFactory.create(id, null, null, null, errors[i] != null ? errors[i] : "not predicted"));
                continue;
            }
            Object[] probs = new Object[classes.length];
            float[] pr = p.probabilities();
            for (int c = 0; c < probs.length; c++) probs[c] = pr[c];
            out.add(RowFactory.create(id, p.label(), RowFactory.create(probs), p.truncated() ? Boolean.TRUE : null, null));
        }
        return out;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /**
     * Rows with an error and nothing else, in {@link #outputSchema}: for inputs rejected before they reach
     * {@link #predict} (a manifest's row naming a missing file), so that the output still has a row for each.
     *
     * @param spark      the session
     * @param idAndError pairs of id and error
     * @return the rows
     */
    public Dataset<Row> errors(SparkSession spark, List<String[]> idAndError) {
        List<Row> rows = new ArrayList<>();
        for (String[] e : idAndError) rows.add(RowFactory.create(e[0], null, null, null, e[1]));
        return spark.createDataFrame(rows, outputSchema());
    }
}
