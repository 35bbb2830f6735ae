package dev.ser4j.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ser4j.model.TrainedModel;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code ./ser4j spark predict} and {@code ./ser4j spark cv} against {@code ./ser4j predict --manifest} and
 * {@code ./ser4j cv} on the same inputs, on one embedded {@code local[2]} session (the commands use the JVM's
 * session when there is one).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkCommandLineTest {
    static final ObjectMapper JSON = new ObjectMapper();
    SparkSession spark;
    Path dir, manifest, model;
    List<Corpus.Utt> utts;

    @BeforeAll
    void corpusModelAndSpark(@TempDir Path tmp) throws Exception {
        dir = tmp;
        utts = Corpus.make(3, 6, 11);                       // 3 sessions x 2 speakers x 6 = 36 utterances
        manifest = Corpus.manifest(dir.resolve("corpus"), utts);
        model = Commands.train(manifest, dir.resolve("cache"), dir.resolve("model.safetensors"), "--recipe", "robust", "--wave-augment", "none");
        spark = SparkSession.builder().master("local[2]").appName("SparkCommandLineTest").config("spark.ui.enabled", "false").getOrCreate();
    }

    @AfterAll
    void stopSpark() {
        if (spark != null) spark.stop();
    }

    @Test
    void sparkPredictWritesWhatPredictManifestPredictsAndAnErrorPerBadRow() throws Exception {
        // the corpus's manifest plus a corrupt file and a missing one
        Files.writeString(manifest.resolveSibling("corrupt.wav"), "not a wave file");
        Path m = Files.writeString(dir.resolve("corpus/predict.tsv"), Files.readString(manifest)
                + "corrupt\tSes01F\tSes01\tangry\tsome words.\tcorrupt.wav\nmissing\tSes02M\tSes02\tsad\t\tnowhere.wav\n");
        Path local = dir.resolve("local.json");
        Commands.Run l = Commands.ser4j("predict", "--model", model.toString(), "--manifest", m.toString(), "--out", local.toString());
        assertEquals(0, l.code(), l.toString());
        Map<String, JsonNode> expected = new HashMap<>();
        for (JsonNode p : JSON.readTree(local.toFile()).get("predictions")) expected.put(p.get("id").asText(), p);
        assertEquals(utts.size(), expected.size());

        Path out = dir.resolve("spark-out");
        Commands.Run s = Commands.spark("predict", "--master", "local[2]", "--model", model.toString(), "--manifest", m.toString(), "--out",
                out.toString(), "--format", "jsonl", "--batch", "8");
        assertEquals(0, s.code(), s.toString());
        assertTrue(s.err().contains("predicted 36 of 38 recordings"), s.err());
        Map<String, JsonNode> got = new HashMap<>();
        try (Stream<Path> parts = Files.list(out)) {
            for (Path part : parts.filter(p -> p.getFileName().toString().startsWith("part-")).toList())
                for (String line : Files.readAllLines(part)) {
                    JsonNode n = JSON.readTree(line);
                    assertNull(got.put(n.get("id").asText(), n), "one object per manifest row: " + line);
                }
        }
        assertEquals(38, got.size(), "one object per manifest row");
        for (var e : expected.entrySet()) {
            JsonNode g = got.get(e.getKey());
            assertEquals(List.of("id", "label", "probabilities"), names(g), "a prediction has id, label and probabilities: " + g);
            assertEquals(e.getValue().get("label").asText(), g.get("label").asText(), e.getKey());
            assertEquals(names(e.getValue().get("probabilities")), names(g.get("probabilities")), "classes in the model's order");
            for (String c : names(e.getValue().get("probabilities")))
                assertEquals(e.getValue().get("probabilities").get(c).asDouble(), g.get("probabilities").get(c).asDouble(), 1e-6, e.getKey() + " " + c);
        }
        for (String bad : new String[]{"corrupt", "missing"}) {
            assertEquals(List.of("id", "error"), names(got.get(bad)), "a bad row has id and error: " + got.get(bad));
            assertTrue(got.get(bad).get("error").asText().contains(bad.equals("corrupt") ? "corrupt.wav" : "nowhere.wav"), got.get(bad).toString());
        }

        Path parquet = dir.resolve("spark-parquet");
        Commands.Run p = Commands.spark("predict", "--model", model.toString(), "--manifest", m.toString(), "--out", parquet.toString(), "--format",
                "parquet");
        assertEquals(0, p.code(), p.toString());
        List<Row> rows = spark.read().parquet(parquet.toString()).collectAsList();
        assertEquals(38, rows.size());
        for (Row r : rows)
            if (expected.containsKey(r.getString(0))) assertEquals(expected.get(r.getString(0)).get("label").asText(), r.getString(1));

        Commands.Run again = Commands.spark("predict", "--model", model.toString(), "--manifest", m.toString(), "--out", out.toString());
        assertEquals(2, again.code(), "an existing --out is refused: " + again);
    }

    @Test
    void sparkCvReportEqualsCvReportAndResumes() throws Exception {
        String[] protocol = {"--data", "manifest:" + manifest, "--variant", "mscnn-spu-att", "--folds", "session", "--repeats", "2", "--max-folds", "2",
                "--epochs", "2", "--batch-size", "16", "--backend", "cpu", "--seed", "5", "--cache", dir.resolve("cache").toString()};
        Path local = dir.resolve("cv-local"), onSpark = dir.resolve("cv-spark");
        Commands.Run l = Commands.ser4j(concat(new String[]{"cv", "--out", local.toString()}, protocol));
        assertEquals(0, l.code(), l.toString());
        Commands.Run s = Commands.spark(concat(new String[]{"cv", "--master", "local[2]", "--out", onSpark.toString()}, protocol));
        assertEquals(0, s.code(), s.toString());
        assertTrue(s.out().contains("spark: 4 run(s) as tasks on local[2]"), s.out());
        assertEquals(stable(local.resolve("report.json")), stable(onSpark.resolve("report.json")), "the same report, timings aside");
        assertSameCheckpoints(local, onSpark);

        // a spark cv killed before its last result was written resumes with that run alone
        Path last = onSpark.resolve("runs/session-Ses02-run2.json");
        assertTrue(Files.exists(last), "run file names: " + Files.list(onSpark.resolve("runs")).toList());
        Files.delete(last);
        Commands.Run r = Commands.spark("cv", "--resume", onSpark.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("spark: 1 run(s) as tasks"), r.out());
        assertEquals(3, r.out().split("already done", -1).length - 1, r.out());
        assertEquals(stable(local.resolve("report.json")), stable(onSpark.resolve("report.json")), "the resumed report is the same");
        assertSameCheckpoints(local, onSpark);
    }

    static void assertSameCheckpoints(Path a, Path b) throws Exception {
        List<String> names = listNames(a.resolve("checkpoints"));
        assertEquals(names, listNames(b.resolve("checkpoints")));
        assertEquals(2, names.size(), "one checkpoint per fold");
        for (String n : names) {
            TrainedModel x = TrainedModel.read(a.resolve("checkpoints").resolve(n)), y = TrainedModel.read(b.resolve("checkpoints").resolve(n));
            assertArrayEquals(x.parameters(), y.parameters(), n + ": the same run's weights");
            assertEquals(x.metadata(), y.metadata(), n);
        }
    }

    static List<String> listNames(Path d) throws Exception {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** report.json without what differs between two runs of the same computation: wall times and throughputs. */
    static JsonNode stable(Path report) throws Exception {
        JsonNode n = JSON.readTree(report.toFile());
        strip(n);
        return n;
    }

    private static void strip(JsonNode n) {
        if (n instanceof ObjectNode o) {
            o.remove(List.of("seconds", "utterances_per_second", "timings"));
            o.forEach(SparkCommandLineTest::strip);
        } else if (n.isArray()) n.forEach(SparkCommandLineTest::strip);
    }

    static List<String> names(JsonNode n) {
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) out.add(it.next());
        return out;
    }

    static String[] concat(String[] a, String[] b) {
        String[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
