package dev.ser4j.spark.cli;

import dev.ser4j.core.InputException;
import dev.ser4j.data.Manifest;
import dev.ser4j.data.Utterance;
import dev.ser4j.data.XVectors;
import dev.ser4j.pipeline.SpeakerNorm;
import dev.ser4j.spark.SparkPredictor;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import static org.apache.spark.sql.functions.col;

/**
 * {@code ./ser4j spark predict}: every row of a manifest predicted on Spark ({@link SparkPredictor}), with the
 * numbers of {@code ./ser4j predict --manifest}; the output is a folder of Spark's part files, one record per
 * manifest row: its id, label and probabilities, or its id and error.
 */
@Command(name = "predict", sortOptions = false, description = {"Predict every row of a manifest on Spark, as predict --manifest.",
        "Writes one record per row into --out: id, label, probabilities (by class), or id and error."})
public final class SparkPredictCommand implements Callable<Integer> {
    @Mixin
    SparkOptions spark;

    @Option(names = "--model", required = true, paramLabel = "MODEL.safetensors", description = "The trained model (from ./ser4j train or cv).")
    Path modelFile;

    @Option(names = "--manifest", required = true, paramLabel = "FILE",
            description = "TSV/CSV with a header: path, transcript[, id, speaker] (as predict --manifest; paths relative to the manifest).")
    Path manifest;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "A new folder for Spark's part files: a path here, or a URI Spark writes to (hdfs://..., s3a://...).")
    String out;

    @Option(names = "--format", defaultValue = "jsonl", paramLabel = "jsonl|parquet",
            description = "JSON lines (one object per row) or Parquet (default ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--xvectors", paramLabel = "FILE", description = "Speaker embeddings by utterance id (for models trained with x-vectors from a file).")
    Path xvectors;

    @Option(names = "--backend", defaultValue = "cpu", paramLabel = "auto|cpu|cuda",
            description = "Where each executor's model runs: cpu (default), cuda, or auto (CUDA where the executor has a usable GPU).")
    String backend;

    @Option(names = "--batch", defaultValue = "" + SparkPredictor.DEFAULT_BATCH, paramLabel = "N",
            description = "Rows per batch of a task: sorted by length into padded model batches (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--partitions", paramLabel = "N", description = "Partitions of the manifest's rows (default: 2 per task slot).")
    Integer partitions;

    @Override
    public Integer call() throws Exception {
        if (!format.equals("jsonl") && !format.equals("parquet")) throw new InputException("--format", "'" + format + "' is not jsonl or parquet");
        boolean local = !out.matches("^[A-Za-z][A-Za-z0-9+.-]+:.*");            // no scheme: a folder of this machine
        if (local && Files.exists(Path.of(out)) && !(Files.isDirectory(Path.of(out)) && isEmpty(Path.of(out))))
            throw new InputException("--out", out + " already exists; give a new folder (Spark writes its part files there)");
        if (partitions != null && partitions < 1) throw new InputException("--partitions", partitions + " is not a positive number of partitions");
        List<Manifest.Entry> entries = Manifest.entries(manifest);
        long t0 = System.nanoTime();
        try (SparkOptions.Session owner = spark.session("ser4j spark predict")) {
            SparkSession session = owner.spark();
            double started = (System.nanoTime() - t0) / 1e9;
            SparkPredictor ser = SparkPredictor.load(session, modelFile).withBackend(backend).withBatchSize(batch);
            if (xvectors != null && ser.xvectorDim() == 0) throw new InputException("--xvectors", modelFile + " takes no speaker embeddings");
            XVectors xv = xvectors == null ? null : XVectors.read(xvectors, ser.xvectorDim());
            if (ser.needsXvectors() && xv == null)
                throw new InputException("--xvectors", "is required: " + modelFile + " was trained with " + ser.xvectorDim() + "-d x-vectors");
            List<Row> rows = new ArrayList<>();
            List<String[]> rejected = new ArrayList<>();
            for (Manifest.Entry e : entries) {
                Utterance u = e.utterance();
                if (e.problem() != null) {
                    rejected.add(new String[]{u.id(), e.where() + ": " + e.problem()});
                    continue;
                }
                List<Float> x = null;
                if (xv != null) {
                    try {
                        x = new ArrayList<>();
                        for (float v : xv.get(u.id(), XVectors.Missing.ERROR)) x.add(v);
                    } catch (InputException missing) {
                        rejected.add(new String[]{u.id(), missing.getMessage()});
                        continue;
                    }
                }
                rows.add(RowFactory.create(u.id(), u.audio().toString(), u.transcript(),
                        u.speaker().equals(SpeakerNorm.UNKNOWN_SPEAKER) ? null : u.speaker(), x));
            }
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(session.sparkContext());
            int parts = partitions != null ? partitions : 2 * jsc.defaultParallelism();
            Dataset<Row> in = session.createDataFrame(jsc.parallelize(rows, Math.max(1, Math.min(parts, rows.size()))), INPUT);
            Dataset<Row> result = ser.predict(in);
            if (!rejected.isEmpty()) result = result.unionByName(ser.errors(session, rejected));
            String target = local ? Path.of(out).toAbsolutePath().toString() : out;
            var writer = result.write().mode(local ? "overwrite" : "errorifexists");        // a local --out is new or empty (above)
            try {
                if (format.equals("jsonl")) writer.json(target);
                else writer.parquet(target);
            } catch (Exception e) {              // Spark's AnalysisException: checked, yet undeclared to Java
                if (e instanceof org.apache.spark.sql.AnalysisException && String.valueOf(e.getMessage()).contains("already exists"))
                    throw new InputException("--out", out + " already exists; give a new folder (Spark writes its part files there)");
                throw e;
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            Dataset<Row> back = format.equals("jsonl") ? session.read().schema(ser.outputSchema()).json(target) : session.read().parquet(target);
            long total = back.count();
            List<Row> failed = back.filter(col(SparkPredictor.ERROR).isNotNull()).select(SparkPredictor.ID, SparkPredictor.ERROR).limit(1).collectAsList();
            long errors = back.filter(col(SparkPredictor.ERROR).isNotNull()).count();
            System.err.printf(Locale.ROOT, "ser4j: predicted %d of %d recordings on %s in %.1f s (%.1f per second; Spark started in %.1f s)%s; "
                            + "written to %s (%s)%n", total - errors, total, spark.master(), secs, (total - errors) / secs, started,
                    errors == 0 ? "" : "; " + errors + " could not be predicted (first: " + failed.getFirst().getString(0) + ": "
                            + failed.getFirst().getString(1) + ")", out, format.equals("jsonl") ? "JSON lines" : "Parquet");
            ser.release();
        }
        return 0;
    }

    /** The rows a manifest gives {@link SparkPredictor#predict}. */
    static final StructType INPUT = DataTypes.createStructType(List.of(
            DataTypes.createStructField(SparkPredictor.ID, DataTypes.StringType, false),
            DataTypes.createStructField(SparkPredictor.PATH, DataTypes.StringType, false),
            DataTypes.createStructField(SparkPredictor.TRANSCRIPT, DataTypes.StringType, false),
            DataTypes.createStructField(SparkPredictor.SPEAKER, DataTypes.StringType, true),
            DataTypes.createStructField(SparkPredictor.XVECTOR, DataTypes.createArrayType(DataTypes.FloatType, false), true)));

    private static boolean isEmpty(Path dir) throws java.io.IOException {
        try (var s = Files.list(dir)) {
            return s.findFirst().isEmpty();
        }
    }
}
