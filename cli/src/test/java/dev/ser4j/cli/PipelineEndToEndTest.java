package dev.ser4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ser4j.EmotionRecognizer;
import dev.ser4j.Prediction;
import dev.ser4j.Speech;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The commands a researcher and an application developer run, end to end on a generated corpus: cross-validation
 * (manifest and IEMOCAP layout), resume, the Table 1 experiment, train, evaluate, predict (CLI and Java API,
 * concurrently), and one clear sentence for bad input.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PipelineEndToEndTest {
    Path dir, manifest, iemocap, model;
    List<TestCorpus.Utt> utts;

    record Run(int code, String out, String err) {}

    static synchronized Run ser4j(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true));
        System.setErr(new PrintStream(err, true));
        try {
            return new Run(Main.run(args), out.toString(), err.toString());
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    static final String[] QUICK = {"--epochs", "4", "--patience", "3", "--batch-size", "16", "--backend", "cpu"};

    static String[] args(String[] head, String... more) {
        List<String> a = new ArrayList<>(List.of(head));
        a.addAll(List.of(more));
        a.addAll(List.of(QUICK));
        return a.toArray(String[]::new);
    }

    @BeforeAll
    void corpusAndModel(@TempDir Path tmp) throws Exception {
        dir = tmp;
        utts = TestCorpus.make(4, 16, 3);                     // 4 sessions x 2 speakers x 16 = 128 utterances
        manifest = TestCorpus.manifest(dir.resolve("corpus"), utts);
        iemocap = TestCorpus.iemocap(dir.resolve("IEMOCAP_full_release"), TestCorpus.make(5, 8, 4));
        model = dir.resolve("model.safetensors");
        Run r = ser4j(args(new String[]{"train", "--data", "manifest:" + manifest, "--variant", "mscnn-spu-att",
                "--xvectors", "speaker-stats", "--out", model.toString()}));
        assertEquals(0, r.code, r.out + r.err);
        assertTrue(r.out.contains("saved " + model), r.out);
    }

    @Test
    void trainSavesAModelAndRemovesItsRunState() {
        assertTrue(Files.isRegularFile(model));
        assertFalse(Files.exists(TrainCommand.runDir(model)), "the state directory is removed when training ends");
    }

    @Test
    void crossValidationWritesItsReportAndResumes() throws Exception {
        Path run = dir.resolve("cv");
        Run r = ser4j(args(new String[]{"cv", "--data", "manifest:" + manifest, "--variant", "mscnn-spu-att", "--xvectors", "speaker-stats",
                "--folds", "session", "--repeats", "1", "--max-folds", "2", "--out", run.toString()}));
        assertEquals(0, r.code, r.out + r.err);
        JsonNode j = new ObjectMapper().readTree(run.resolve("report.json").toFile());
        assertEquals("mscnn-spu-att", j.get("variant").asText());
        assertEquals("session", j.get("folds").asText());
        assertEquals(2, j.get("per_fold").size());
        double ua = j.get("summary").get("ua_mean").asDouble();
        assertTrue(ua > 0.25 && ua <= 1, "better than chance on a learnable corpus: " + ua);
        for (String f : new String[]{"report.md", "confusion.png", "learning-curves.png", "command.json"}) assertTrue(Files.exists(run.resolve(f)), f);
        assertFalse(Files.exists(run.resolve("state")), "no empty state/ folder in a finished run");
        // the report says what was run: 2 of the 4 session folds, the stopping rule, the recipe, the data, the software
        JsonNode p = j.get("protocol");
        assertEquals(2, p.get("folds_run").asInt());
        assertEquals(4, p.get("folds_total").asInt());
        assertEquals(1, p.get("repeats").asInt());
        assertEquals(4, p.get("max_epochs").asInt());
        assertEquals(3, p.get("patience").asInt());
        assertEquals("robust", p.get("recipe").get("name").asText(), "cv's default recipe");
        assertEquals("speaker", p.get("recipe").get("speaker_norm").asText());
        assertEquals("manifest:" + manifest, p.get("dataset").asText());
        assertFalse(j.get("versions").get("commit").asText().isBlank());
        String md = Files.readString(run.resolve("report.md"));
        assertTrue(md.contains("- protocol: session folds, 2 of 4 folds, 1 run per fold, at most 4 epochs (patience 3)"), md);
        assertTrue(md.contains("- recipe: robust (") && md.contains("- data set: manifest:" + manifest + " (128 utterances)"), md);
        assertTrue(md.contains("(commit " + j.get("versions").get("commit").asText() + ")"), md);
        assertFalse(r.out().contains("note: without --xvectors"), "x-vectors were given: " + r.out());
        try (var ck = Files.list(run.resolve("checkpoints"))) {
            assertEquals(2, ck.count(), "the best checkpoint of each fold");
        }
        Run again = ser4j(args(new String[]{"cv", "--data", "manifest:" + manifest, "--out", run.toString()}));
        assertEquals(2, again.code);
        assertTrue(again.err.contains("already holds a run; continue it with --resume"), again.err);
        Run resumed = ser4j("cv", "--resume", run.toString());
        assertEquals(0, resumed.code, resumed.out + resumed.err);
        assertTrue(resumed.out.contains("already done"), "finished runs are read back, not repeated: " + resumed.out);
        assertEquals(ua, new ObjectMapper().readTree(run.resolve("report.json").toFile()).get("summary").get("ua_mean").asDouble());
        // a cross-validation checkpoint is a usable model
        try (var ck = Files.list(run.resolve("checkpoints")); EmotionRecognizer ser = EmotionRecognizer.load(ck.findFirst().orElseThrow())) {
            assertEquals(4, ser.predict(utts.getFirst().samples(), utts.getFirst().transcript()).probabilities().length);
        }
    }

    @Test
    void crossValidationRunsOnTheIemocapLayoutBySpeaker() throws Exception {
        Path run = dir.resolve("cv-iemocap");
        Run r = ser4j(args(new String[]{"cv", "--data", "iemocap:" + iemocap, "--variant", "audio-cnn", "--repeats", "1", "--max-folds", "1",
                "--out", run.toString()}));
        assertEquals(0, r.code, r.out + r.err);
        assertTrue(r.out.contains("10 speakers in 5 sessions"), r.out);
        JsonNode report = new ObjectMapper().readTree(run.resolve("report.json").toFile()), fold = report.get("per_fold").get(0);
        assertEquals("audio-cnn", report.get("config").get("variant").asText());
        assertFalse(report.get("config").has("ser4j.model"), "the report names no other model than the one run: " + report.get("config"));
        assertEquals(8, fold.get("test_size").asInt(), "one speaker's utterances are the test set");
        assertEquals(8, fold.get("dev_size").asInt(), "the other speaker of the session is the dev set");
    }

    @Test
    void experimentPrintsTableOne() throws Exception {
        Path out = dir.resolve("table1");
        Run r = ser4j(args(new String[]{"experiment", "table1", "--data", "manifest:" + manifest, "--xvectors", "speaker-stats", "--folds", "session",
                "--repeats", "1", "--max-folds", "1", "--out", out.toString()}));
        assertEquals(0, r.code, r.out + r.err);
        for (String m : new String[]{"Audio-CNN ", "Audio-CNN-xvector", "Text-CNN", "MSCNN-SPU ", "MSCNN-SPU-ATT"}) assertTrue(r.out.contains(m), m + " in\n" + r.out);
        JsonNode t = new ObjectMapper().readTree(out.resolve("table.json").toFile());
        assertEquals(5, t.get("rows").size());
        for (JsonNode row : t.get("rows")) assertTrue(Files.exists(out.resolve(row.get("report").asText())), row.toString());
    }

    @Test
    void trainWithoutXvectorsSaysItTrainsTheAblation() throws Exception {
        Path m = dir.resolve("no-xvector.safetensors");
        Run r = ser4j("train", "--data", "manifest:" + manifest, "--variant", "mscnn-spu", "--epochs", "1", "--batch-size", "32", "--backend", "cpu",
                "--out", m.toString());
        assertEquals(0, r.code, r.out + r.err);
        List<String> lines = r.out.lines().toList();
        assertEquals("note: without --xvectors, mscnn-spu is trained without the x-vector (the paper's 'w/o x-vector' ablation);"
                + " --xvectors FILE or --xvectors speaker-stats gives the full model", lines.getFirst(), "said once, at the start: " + r.out);
        assertFalse(dev.ser4j.model.TrainedModel.read(m).config().xvector());
    }

    @Test
    void evaluateWritesAReportOfItsOwnKind() throws Exception {
        Path out = dir.resolve("eval");
        Run r = ser4j("evaluate", "--model", model.toString(), "--data", "iemocap:" + iemocap, "--out", out.toString(), "--backend", "cpu");
        assertEquals(0, r.code, r.out + r.err);
        JsonNode j = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        for (String k : new String[]{"wa_mean", "wa_std", "ua_mean", "ua_std"}) assertTrue(j.get("summary").has(k), k);
        assertEquals("evaluation", j.get("kind").asText());
        assertEquals(j.get("summary").get("ua").asDouble(), j.get("summary").get("ua_mean").asDouble());
        assertTrue(j.get("summary").get("unknown_words").get("words").asInt() > 0, "a text model counts the words it does not know");
        assertEquals("robust", j.get("training").get("recipe").asText());
        assertEquals("manifest:" + manifest, j.get("training").get("dataset").asText());
        assertTrue(j.get("training").has("train.best_epoch"));
        assertEquals(80 + 1, Files.readAllLines(out.resolve("predictions.tsv")).size());
        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.startsWith("# Evaluation of " + model + " (MSCNN-SPU-ATT) on iemocap:" + iemocap), md);
        assertFalse(md.contains("±") || md.contains("cross-validation") || md.contains("held-out"), md);
        assertTrue(Files.exists(out.resolve("confusion.png")));
        assertFalse(Files.exists(out.resolve("learning-curves.png")), "an evaluation trains nothing");
    }

    @Test
    void predictFromTheCommandLineMatchesTheJavaApi() throws Exception {
        TestCorpus.Utt u = utts.get(5);
        Path wav = manifest.getParent().resolve("wav").resolve(u.id() + ".wav");
        Run r = ser4j("predict", "--model", model.toString(), wav.toString(), "--text", u.transcript(), "--json");
        assertEquals(0, r.code, r.err);
        JsonNode j = new ObjectMapper().readTree(r.out);
        double sum = 0;
        for (String c : List.of("angry", "happy", "sad", "neutral")) sum += j.get("probabilities").get(c).asDouble();
        assertEquals(1.0, sum, 1e-5);
        try (EmotionRecognizer ser = EmotionRecognizer.load(model)) {
            Prediction p = ser.predict(u.samples(), u.transcript());
            assertEquals(p.label(), j.get("label").asText());
            for (String c : p.classes()) assertEquals(p.probability(c), j.get("probabilities").get(c).asDouble(), 2e-4);
        }
        Path tsv = dir.resolve("predictions.tsv");
        Run many = ser4j("predict", "--model", model.toString(), "--manifest", manifest.toString(), "--out", tsv.toString());
        assertEquals(0, many.code, many.err);
        List<String> lines = Files.readAllLines(tsv);
        assertEquals(utts.size() + 1, lines.size());
        assertTrue(many.err.contains("predicted " + utts.size() + " of " + utts.size()), many.err);
        // the model normalises by speaker: the manifest's rows are those of every speaker enrolled with all its rows
        try (EmotionRecognizer ser = EmotionRecognizer.load(model)) {
            assertEquals("speaker", ser.speakerNormalization());
            List<Speech> speeches = new ArrayList<>();
            for (TestCorpus.Utt t : utts) {
                Speech s = Speech.read(manifest.getParent().resolve("wav").resolve(t.id() + ".wav"));
                ser.enroll(t.speaker(), s);
                speeches.add(s.withTranscript(t.transcript()).withSpeaker(t.speaker()));
            }
            List<Prediction> want = ser.predictAll(speeches);
            List<String> header = List.of(lines.getFirst().split("\t"));
            for (int i = 0; i < utts.size(); i++) {
                String[] row = lines.get(i + 1).split("\t");
                assertEquals(utts.get(i).id(), row[0]);
                for (String c : want.get(i).classes())
                    assertEquals(want.get(i).probability(c), Double.parseDouble(row[header.indexOf("p_" + c)]), 1e-5 / 2 + 1e-6, utts.get(i).id() + " " + c);   // 5 decimals
            }
        }
    }

    @Test
    void concurrentPredictionsEqualSequentialOnes() throws Exception {
        try (EmotionRecognizer ser = EmotionRecognizer.load(model); ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<TestCorpus.Utt> sample = utts.subList(0, 24);
            List<float[]> sequential = new ArrayList<>();
            for (TestCorpus.Utt u : sample) sequential.add(ser.predict(u.samples(), u.transcript()).probabilities());
            List<Future<float[]>> futures = new ArrayList<>();
            for (int rep = 0; rep < 4; rep++)
                for (TestCorpus.Utt u : sample) futures.add(pool.submit(() -> ser.predict(u.samples(), u.transcript()).probabilities()));
            for (int i = 0; i < futures.size(); i++) assertArrayEquals(sequential.get(i % sample.size()), futures.get(i).get(), "prediction " + i);
        }
    }

    @Test
    void badFilesAreSkippedAndCountedOrFatalWhenStrict() throws Exception {
        Path d = dir.resolve("with-bad");
        List<TestCorpus.Utt> some = utts.subList(0, 40);
        Path m = TestCorpus.manifest(d, some);
        Files.write(d.resolve("wav").resolve(some.get(3).id() + ".wav"), new byte[]{'R', 'I', 'F', 'F', 1, 2});      // corrupt
        Path out = dir.resolve("eval-bad");
        Run r = ser4j("evaluate", "--model", model.toString(), "--data", "manifest:" + m, "--out", out.toString(), "--backend", "cpu");
        assertEquals(0, r.code, r.out + r.err);
        assertTrue(r.out.contains("1 skipped"), r.out);
        assertEquals(1, new ObjectMapper().readTree(out.resolve("report.json").toFile()).get("context").get("skipped").asInt());
        Run strict = ser4j("evaluate", "--model", model.toString(), "--data", "manifest:" + m, "--out", dir.resolve("x").toString(), "--strict");
        assertEquals(2, strict.code);
        assertTrue(strict.err.contains(some.get(3).id() + ".wav"), strict.err);
    }

    @Test
    void userMistakesAreOneSentenceAndExitTwo() {
        String[][] cases = {
                {"cv", "--data", "manifest:" + dir.resolve("missing.tsv"), "--out", dir.resolve("o1").toString()},
                {"cv", "--data", "iemocap:" + dir, "--out", dir.resolve("o2").toString()},
                {"cv", "--data", "manifest:" + manifest, "--variant", "mscnn", "--out", dir.resolve("o3").toString()},
                {"cv", "--data", "manifest:" + manifest, "--folds", "diagonal", "--out", dir.resolve("o4").toString()},
                {"cv", "--data", "manifest:" + manifest, "--variant", "audio-cnn-xvector", "--out", dir.resolve("o5").toString()},
                {"predict", "--model", model.toString(), dir.resolve("nothing.wav").toString()},
                {"predict", "--model", manifest.toString(), "x.wav"},
                {"train", "--data", "synth:" + dir, "--out", dir.resolve("m.safetensors").toString()},
                {"cv", "--resume", dir.resolve("nowhere").toString()},
                {"experiment", "table9", "--data", "manifest:" + manifest, "--out", dir.resolve("o6").toString()},
                {"evaluate", "--model", model.toString()},
                {"cv", "--frobnicate"},
        };
        for (String[] a : cases) {
            Run r = ser4j(a);
            assertEquals(2, r.code, String.join(" ", a) + "\n" + r.out + r.err);
            String err = r.err.strip();
            assertTrue(err.startsWith("ser4j: ") && err.lines().count() == 1 && !err.contains("Exception"), String.join(" ", a) + " -> " + err);
        }
    }

    @Test
    void everyCommandAnswersHelp() {
        // the error line for a bad flag says "./ser4j <command> --help lists the options": that must be true
        for (String command : new String[]{"demo", "cv", "experiment", "train", "evaluate", "predict", "bench", "features",
                "synth", "grad", "info", "gpu-check"}) {
            Run r = ser4j(command, "--help");
            assertEquals(0, r.code, command + " --help\n" + r.err);
            assertTrue(r.out.startsWith("Usage: ser4j " + command), command + " --help -> " + r.out);
        }
    }
}
