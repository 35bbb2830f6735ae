package dev.ser4j.spark;

import dev.ser4j.EmotionRecognizer;
import dev.ser4j.Prediction;
import dev.ser4j.Speech;
import dev.ser4j.core.InputException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link SparkPredictor} on an embedded {@code local[2]} Spark: the numbers of {@link EmotionRecognizer} for the same
 * recordings, with and without speaker enrolment, from paths or from bytes, and an error row for each bad file.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkPredictorTest {
    SparkSession spark;
    Path dir, corpus, speakerNormModel, plainModel, corrupt, tooShort, missing;
    List<Corpus.Utt> utts;

    @BeforeAll
    void corpusModelsAndSpark(@TempDir Path tmp) throws Exception {
        dir = tmp;
        utts = Corpus.make(3, 6, 7);                        // 3 sessions x 2 speakers x 6 = 36 utterances
        Path manifest = Corpus.manifest(dir.resolve("corpus"), utts);
        corpus = manifest.getParent();
        // robust: speaker normalisation by enrolled speakers, and speaker-stats x-vectors from the enrolment too
        speakerNormModel = Commands.train(manifest, dir.resolve("cache"), dir.resolve("norm.safetensors"), "--recipe", "robust",
                "--wave-augment", "none", "--xvectors", "speaker-stats");
        plainModel = Commands.train(manifest, dir.resolve("cache"), dir.resolve("plain.safetensors"), "--recipe", "paper");
        corrupt = Files.write(dir.resolve("corrupt.wav"), "RIFF....WAVEfmt this is no wave file".getBytes());
        tooShort = dir.resolve("short.wav");
        dev.ser4j.audio.Wav.writePcm16(tooShort, new float[200], 16000);       // 0.0125 s: read fine, too short to predict
        missing = dir.resolve("missing.wav");
        spark = SparkSession.builder().master("local[2]").appName("SparkPredictorTest").config("spark.ui.enabled", "false").getOrCreate();
    }

    @AfterAll
    void stopSpark() {
        if (spark != null) spark.stop();
    }

    static final StructType INPUT = DataTypes.createStructType(List.of(
            DataTypes.createStructField("id", DataTypes.StringType, false),
            DataTypes.createStructField("path", DataTypes.StringType, false),
            DataTypes.createStructField("transcript", DataTypes.StringType, true),
            DataTypes.createStructField("speaker", DataTypes.StringType, true)));

    /** The corpus as input rows (speaker given or not), then the three bad files, spread over 3 partitions. */
    Dataset<Row> input(boolean speakers) {
        List<Row> rows = new ArrayList<>();
        for (Corpus.Utt u : utts)
            rows.add(RowFactory.create(u.id(), corpus.resolve("wav").resolve(u.id() + ".wav").toString(), u.transcript(), speakers ? u.speaker() : null));
        rows.add(RowFactory.create("corrupt", corrupt.toString(), "", speakers ? "Ses01F" : null));
        rows.add(RowFactory.create("short", tooShort.toString(), "okay.", speakers ? "Ses03F" : null));
        rows.add(RowFactory.create("missing", missing.toString(), "", speakers ? "Ses02M" : null));
        return spark.createDataFrame(rows, INPUT).repartition(3);
    }

    /** What {@code predict --manifest} computes: every row of a known speaker enrolled first (when the model wants it), then each row. */
    Map<String, Prediction> reference(Path model, boolean enrol) {
        Map<String, Prediction> out = new HashMap<>();
        try (EmotionRecognizer ser = EmotionRecognizer.load(model)) {
            if (enrol) for (Corpus.Utt u : utts) ser.enroll(u.speaker(), Speech.read(corpus.resolve("wav").resolve(u.id() + ".wav")));
            for (Corpus.Utt u : utts)
                out.put(u.id(), ser.predict(Speech.read(corpus.resolve("wav").resolve(u.id() + ".wav")).withTranscript(u.transcript())
                        .withSpeaker(enrol ? u.speaker() : null)));
        }
        return out;
    }

    static Map<String, Row> byId(Dataset<Row> out) {
        Map<String, Row> m = new HashMap<>();
        for (Row r : out.collectAsList()) assertNull(m.put(r.getString(r.fieldIndex("id")), r), "one output row per input row: " + r);
        return m;
    }

    static void assertSamePredictions(Map<String, Prediction> expected, Map<String, Row> got, List<String> classes) {
        for (var e : expected.entrySet()) {
            Row r = got.get(e.getKey());
            assertNotNull(r, e.getKey() + " has an output row");
            assertTrue(r.isNullAt(r.fieldIndex("error")), e.getKey() + ": " + r);
            assertEquals(e.getValue().label(), r.getString(r.fieldIndex("label")), e.getKey());
            Row probs = r.getStruct(r.fieldIndex("probabilities"));
            for (int c = 0; c < classes.size(); c++)
                assertEquals(e.getValue().probability(classes.get(c)), probs.getFloat(probs.fieldIndex(classes.get(c))), 1e-6,
                        e.getKey() + " " + classes.get(c));
        }
    }

    /**
     * Batches of 5 rows: every speaker (6 or 7 rows) takes two passes, enrolment then prediction; of 64: one pass
     * each, except Ses03F, whose recording too short to use makes it fall back to two (the corrupt and missing files
     * cannot be read, so they are error rows before the pass).
     */
    @ParameterizedTest
    @ValueSource(ints = {5, 64})
    void predictionsEqualEmotionRecognizersWithEachSpeakerEnrolled(int batch) {
        SparkPredictor ser = SparkPredictor.load(spark, speakerNormModel).withBatchSize(batch);
        assertTrue(ser.enrolsSpeakers(), "the robust recipe normalises by enrolled speakers");
        Map<String, Row> got = byId(ser.predict(input(true)));
        assertEquals(utts.size() + 3, got.size());
        Map<String, Prediction> enrolled = reference(speakerNormModel, true), alone = reference(speakerNormModel, false);
        assertSamePredictions(enrolled, got, ser.classes());
        for (String bad : new String[]{"corrupt", "short", "missing"}) assertFalse(got.get(bad).isNullAt(got.get(bad).fieldIndex("error")), bad);
        assertTrue(utts.stream().anyMatch(u -> Math.abs(enrolled.get(u.id()).probabilities()[0] - alone.get(u.id()).probabilities()[0]) > 1e-3),
                "enrolment matters to this model, so the comparison above checks it");
        ser.release();
    }

    @Test
    void predictionsEqualEmotionRecognizersWithoutEnrolment() {
        SparkPredictor ser = SparkPredictor.load(spark, plainModel).withBatchSize(7);
        assertFalse(ser.enrolsSpeakers());
        Map<String, Row> got = byId(ser.predict(input(false)));
        assertSamePredictions(reference(plainModel, false), got, ser.classes());
        ser.release();
    }

    @Test
    void aBadFileIsAnErrorRowAndTheRestArePredicted() {
        SparkPredictor ser = SparkPredictor.load(spark, speakerNormModel).withBatchSize(4);
        Map<String, Row> got = byId(ser.predict(input(true)));
        for (String[] bad : new String[][]{{"corrupt", corrupt.toString()}, {"short", tooShort.toString()}, {"missing", missing.toString()}}) {
            Row r = got.get(bad[0]);
            assertTrue(r.isNullAt(r.fieldIndex("label")) && r.isNullAt(r.fieldIndex("probabilities")), r.toString());
            assertTrue(r.getString(r.fieldIndex("error")).startsWith(bad[1] + ": "), "the error names the file and the problem: " + r);
        }
        long predicted = got.values().stream().filter(r -> r.isNullAt(r.fieldIndex("error"))).count();
        assertEquals(utts.size(), predicted, "every good recording is predicted");
        ser.release();
    }

    @Test
    void audioBytesFromBinaryFilesPredictAsTheirPaths() {
        SparkPredictor ser = SparkPredictor.load(spark, plainModel);
        Dataset<Row> files = spark.read().format("binaryFile").load(corpus.resolve("wav").toString())
                .withColumn("id", regexp_extract(col("path"), "([^/]+)\\.wav$", 1)).withColumnRenamed("content", "audio");
        List<Row> texts = new ArrayList<>();
        for (Corpus.Utt u : utts) texts.add(RowFactory.create(u.id(), u.transcript()));
        Dataset<Row> transcripts = spark.createDataFrame(texts, DataTypes.createStructType(List.of(
                DataTypes.createStructField("id", DataTypes.StringType, false), DataTypes.createStructField("transcript", DataTypes.StringType, false))));
        Map<String, Row> got = byId(ser.predict(files.join(transcripts, "id")));
        assertEquals(utts.size(), got.size());
        assertSamePredictions(reference(plainModel, false), got, ser.classes());
        ser.release();
    }

    @Test
    void inputWithoutAudioIsOneClearError() {
        SparkPredictor ser = SparkPredictor.load(spark, plainModel);
        Dataset<Row> noAudio = spark.createDataFrame(List.of(RowFactory.create("a", "text")), DataTypes.createStructType(List.of(
                DataTypes.createStructField("id", DataTypes.StringType, false), DataTypes.createStructField("transcript", DataTypes.StringType, false))));
        InputException e = assertThrows(InputException.class, () -> ser.predict(noAudio));
        assertTrue(e.getMessage().contains("'path'") && e.getMessage().contains("'audio'"), e.getMessage());
        ser.release();
    }
}
