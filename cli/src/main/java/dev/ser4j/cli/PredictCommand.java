package dev.ser4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ser4j.EmotionRecognizer;
import dev.ser4j.Prediction;
import dev.ser4j.Segment;
import dev.ser4j.Speech;
import dev.ser4j.core.InputException;
import dev.ser4j.data.Dataset;
import dev.ser4j.data.DatasetOptions;
import dev.ser4j.data.Datasets;
import dev.ser4j.data.Utterance;
import dev.ser4j.data.XVectors;
import dev.ser4j.io.AtomicFiles;
import dev.ser4j.io.Progress;
import dev.ser4j.pipeline.SpeakerNorm;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code ./ser4j predict}: the emotion of one recording, of every utterance of a long recording ({@code --segments}),
 * or of every recording in a manifest.
 */
@Command(name = "predict", sortOptions = false, description = {"Predict the emotion of a recording, of each utterance in a long one, or of every row of a manifest.",
        "AUDIO.wav (with its transcript), each utterance of a long recording (--segments), or every row of --manifest: prints the label,"
                + " each class's probability and the time taken."})
public final class PredictCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "MODEL.safetensors", description = "The trained model (from ./ser4j train or cv).")
    Path modelFile;

    @Parameters(index = "0", arity = "0..1", paramLabel = "AUDIO.wav", description = "The recording (any sample rate).")
    Path audio;

    static final class Text {
        @Option(names = "--text", paramLabel = "TEXT", description = "The transcript.")
        String text;

        @Option(names = "--transcript", paramLabel = "FILE", description = "A file holding the transcript.")
        Path file;
    }

    @ArgGroup(exclusive = true)
    Text text;

    @Option(names = "--segments", description = "Cut AUDIO.wav into utterances at pauses (at most the model's 7.5 s each) and predict each:"
            + " one row, or with --json one JSON object per line, per segment (start_s, end_s, label, probabilities).")
    boolean segments;

    @Option(names = "--manifest", paramLabel = "FILE", description = "Predict every row of a manifest (TSV/CSV: path, transcript[, id, speaker, label]).")
    Path manifest;

    @Option(names = "--out", paramLabel = "FILE", description = "With --manifest: write the predictions here; FILE.json gives JSON, other names TSV.")
    Path out;

    @Option(names = "--xvectors", paramLabel = "FILE", description = "Speaker embeddings by utterance id (for models trained with x-vectors; the id of AUDIO.wav is its file name without .wav).")
    Path xvectors;

    @Option(names = "--json", description = "Print JSON (with --manifest: also for --out of any name).")
    boolean json;

    @Option(names = "--strict", description = "With --manifest: stop at the first bad file (by default it is reported and skipped).")
    boolean strict;

    @Option(names = "--backend", paramLabel = "auto|cpu|cuda", defaultValue = "cpu",
            description = "Where the model runs: cpu (default), cuda, or auto (CUDA when usable, else the CPU).")
    String backend;

    @Override
    public Integer call() throws Exception {
        if ((audio == null) == (manifest == null)) throw new InputException("AUDIO.wav", "give either one audio file or --manifest FILE");
        if (segments && manifest != null) throw new InputException("--segments", "applies to one recording, not to --manifest");
        if (out != null && manifest == null) throw new InputException("--out", "applies to --manifest; one recording's prediction is printed");
        String transcript = text == null ? "" : text.text != null ? text.text : readTranscript(text.file);
        try (EmotionRecognizer ser = EmotionRecognizer.load(modelFile, EmotionRecognizer.Options.DEFAULT.withBackend(backend))) {
            XVectors xv = xvectors == null ? null : XVectors.read(xvectors, ser.config().xvectorDim());
            if (ser.needsSpeakerEmbedding() && xv == null)
                throw new InputException("--xvectors", "is required: " + modelFile + " was trained with " + ser.config().xvectorDim() + "-d x-vectors");
            if (manifest != null) return many(ser, xv);
            Speech speech = Speech.read(audio).withTranscript(transcript);
            if (xv != null) speech = speech.withXvector(xv.get(audio.getFileName().toString().replaceFirst("(?i)\\.wav$", ""), XVectors.Missing.ERROR));
            return segments ? segments(ser, speech) : single(ser, speech);
        }
    }

    private int single(EmotionRecognizer ser, Speech speech) throws Exception {
        warnAboutText(ser, speech.transcript(), audio.toString());
        long t0 = System.nanoTime();
        Prediction p = ser.predict(speech);
        p = new Prediction(p.label(), p.classes(), p.probabilities(), (System.nanoTime() - t0) / 1e6, p.truncated());
        if (p.truncated())
            System.err.printf(Locale.ROOT, "ser4j: warning: %s is longer than the 7.5 s the model takes (%.1f s of audio); the prediction is of its "
                    + "first 7.5 s; --segments predicts each utterance%n", audio, speech.samples().length / (double) speech.sampleRate());
        if (json) System.out.println(new ObjectMapper().writeValueAsString(node(new ObjectMapper().createObjectNode().put("file", audio.toString()), p)));
        else System.out.println(line(p));
        return 0;
    }

    private int segments(EmotionRecognizer ser, Speech speech) throws Exception {
        if (!speech.transcript().isEmpty())
            System.err.println("ser4j: warning: --segments predicts each segment from its audio; the transcript is not aligned with the segments and is not used");
        ObjectMapper om = new ObjectMapper();
        List<Segment> segs = ser.segments(speech);
        for (Segment s : segs) {
            if (json) {
                System.out.println(om.writeValueAsString(segmentNode(om.createObjectNode().put("file", audio.toString()), s)));
            } else {
                System.out.printf(Locale.ROOT, "%8.2f %8.2f  %s%n", s.startSeconds(), s.endSeconds(), line(s.prediction()));
            }
        }
        System.err.printf(Locale.ROOT, "ser4j: %d segments of speech in %.1f s of audio%n", segs.size(), speech.samples().length / (double) speech.sampleRate());
        return 0;
    }

    private static double round(double seconds) {
        return Math.round(seconds * 1000) / 1000.0;
    }

    /** Warns when a bimodal model gets no transcript, and reports how many words the model does not know. */
    private static void warnAboutText(EmotionRecognizer ser, String transcript, String what) {
        if (!ser.config().variant().text) return;
        EmotionRecognizer.WordCount c = ser.countWords(transcript);
        if (c.words() == 0) {
            if (ser.config().variant().audio)
                System.err.printf("ser4j: warning: %s has no transcript, and the model (%s) reads audio and text: its prediction rests on the audio alone%n",
                        what, ser.config().variant().id);
            return;
        }
        if (c.unknown() > 0)
            System.err.printf(Locale.ROOT, "ser4j: %d of the %d words (%.0f%%) are not in the model's vocabulary%n", c.unknown(), c.words(),
                    100.0 * c.unknown() / c.words());
    }

    private int many(EmotionRecognizer ser, XVectors xv) throws Exception {
        Dataset ds = Datasets.open("manifest:" + manifest, new DatasetOptions(strict, null, null));
        List<Utterance> us = ds.utterances();
        Prediction[] preds = new Prediction[us.size()];
        String[] errors = new String[us.size()];
        // A model trained with speaker normalisation normalises each utterance of a known speaker by all of that
        // speaker's utterances: a speaker's rows are enrolled, then predicted (in one pass, each recording read once,
        // when they fit a batch). Statistics are per speaker, so going speaker by speaker gives what enrolling every
        // row first would. The rest are predicted in manifest order.
        boolean enrols = SpeakerNorm.parse("model", ser.speakerNormalization()) == SpeakerNorm.SPEAKER;
        Map<String, List<Integer>> bySpeaker = new LinkedHashMap<>();
        List<Integer> alone = new ArrayList<>();
        for (int i = 0; i < us.size(); i++) {
            String speaker = us.get(i).speaker();
            if (enrols && !speaker.equals(SpeakerNorm.UNKNOWN_SPEAKER)) bySpeaker.computeIfAbsent(speaker, k -> new ArrayList<>()).add(i);
            else alone.add(i);
        }
        Batches b = new Batches(ser, xv, us, preds, errors);
        try (Progress.Task bar = ConsoleProgress.forTerminal().start("predict", us.size())) {
            for (Map.Entry<String, List<Integer>> e : bySpeaker.entrySet()) {
                List<Integer> rows = e.getValue();
                if (rows.size() > BATCH || !b.predict(rows, e.getKey(), true)) {
                    for (int i : rows) {
                        if (errors[i] != null) continue;            // unreadable: found by the one pass
                        try {
                            ser.enroll(e.getKey(), Speech.read(us.get(i).audio()));
                        } catch (InputException bad) {
                            errors[i] = bad.getMessage();
                        }
                    }
                    for (int r0 = 0; r0 < rows.size(); r0 += BATCH) b.predict(rows.subList(r0, Math.min(rows.size(), r0 + BATCH)), e.getKey(), false);
                }
                ser.forget(e.getKey());
                bar.stepTo(b.done);
            }
            for (int r0 = 0; r0 < alone.size(); r0 += BATCH) {
                b.predict(alone.subList(r0, Math.min(alone.size(), r0 + BATCH)), null, false);
                bar.stepTo(b.done);
            }
        }
        long words = 0, unknown = 0, empty = 0, truncated = 0;
        for (int i = 0; i < us.size(); i++) {
            if (preds[i] == null) continue;
            EmotionRecognizer.WordCount c = ser.countWords(us.get(i).transcript());
            words += c.words();
            unknown += c.unknown();
            if (c.words() == 0) empty++;
            if (preds[i].truncated()) truncated++;
        }
        List<String> problems = new ArrayList<>();
        for (Dataset.Problem p : ds.skipped()) problems.add(p.toString());
        for (int i = 0; i < us.size(); i++) {
            if (errors[i] == null) continue;
            if (strict) throw new InputException(us.get(i).audio().toString(), "cannot be used (--strict): " + errors[i]);
            problems.add(errors[i]);
        }
        boolean asJson = json || out != null && out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
        String result = asJson ? manyJson(us, preds, problems) : manyTsv(ser.classes(), us, preds);
        if (out != null) AtomicFiles.writeString(out, result);
        else System.out.print(result);
        int done = (int) java.util.Arrays.stream(preds).filter(java.util.Objects::nonNull).count();
        PrintStream err = System.err;
        err.printf("ser4j: predicted %d of %d utterances%s%s%n", done, us.size() + ds.skipped().size(),
                problems.isEmpty() ? "" : "; skipped " + problems.size() + " (first: " + problems.getFirst() + ")",
                out == null ? "" : "; written to " + out);
        if (ser.config().variant().text && words > 0)
            err.printf(Locale.ROOT, "ser4j: %d of the %d words (%.1f%%) are not in the model's vocabulary%n", unknown, words, 100.0 * unknown / words);
        if (ser.config().variant().text && ser.config().variant().audio && empty > 0)
            err.printf("ser4j: warning: %d utterances have no transcript; the model (%s) predicts them from their audio alone%n", empty,
                    ser.config().variant().id);
        if (truncated > 0)
            err.printf("ser4j: warning: %d recordings hold more than the model's 7.5 s of speech; each was predicted from its first 7.5 s%n", truncated);
        return 0;
    }

    /** Utterances predicted together (one batch of the model, features in parallel). */
    static final int BATCH = 64;

    /** A manifest's rows predicted a batch at a time into {@code preds}, each bad row's error into {@code errors}. */
    private static final class Batches {
        final EmotionRecognizer ser;
        final XVectors xv;
        final List<Utterance> us;
        final Prediction[] preds;
        final String[] errors;
        int done;

        Batches(EmotionRecognizer ser, XVectors xv, List<Utterance> us, Prediction[] preds, String[] errors) {
            this.ser = ser;
            this.xv = xv;
            this.us = us;
            this.preds = preds;
            this.errors = errors;
        }

        /**
         * Reads and predicts {@code rows} (those without an error yet) as speech of {@code speaker} (null: each row's
         * own, which is not enrolled), all at once; when that fails on one, one by one, so that each bad row gets its
         * own error. With {@code enroll}, the rows are enrolled under {@code speaker} as they are predicted, and when
         * one that can be read cannot be used, nothing is enrolled or predicted and the answer is false.
         */
        boolean predict(List<Integer> rows, String speaker, boolean enroll) {
            List<Integer> batch = new ArrayList<>();
            List<Speech> speeches = new ArrayList<>();
            for (int i : rows) {
                if (errors[i] != null) continue;
                Utterance u = us.get(i);
                try {
                    Speech s = Speech.read(u.audio()).withTranscript(u.transcript()).withSpeaker(speaker != null ? speaker : u.speaker());
                    if (xv != null) s = s.withXvector(xv.get(u.id(), XVectors.Missing.ERROR));
                    speeches.add(s);
                    batch.add(i);
                } catch (InputException e) {
                    errors[i] = e.getMessage();
                }
            }
            try {
                List<Prediction> ps = enroll ? ser.enrollAndPredict(speeches) : ser.predictAll(speeches);
                for (int j = 0; j < batch.size(); j++) preds[batch.get(j)] = ps.get(j);
            } catch (InputException badOne) {
                if (enroll) return false;
                for (int j = 0; j < speeches.size(); j++) {
                    try {
                        preds[batch.get(j)] = ser.predict(speeches.get(j));
                    } catch (InputException e) {
                        errors[batch.get(j)] = e.getMessage();
                    }
                }
            }
            for (int i : rows) if (preds[i] != null || errors[i] != null) done++;
            return true;
        }
    }

    private static String manyTsv(List<String> classes, List<Utterance> us, Prediction[] preds) {
        StringBuilder sb = new StringBuilder("id\tpath\tlabel");
        for (String c : classes) sb.append("\tp_").append(c);
        sb.append("\tms\ttrue\n");
        for (int i = 0; i < us.size(); i++) {
            Prediction p = preds[i];
            if (p == null) continue;
            Utterance u = us.get(i);
            sb.append(u.id()).append('\t').append(u.audio()).append('\t').append(p.label());
            for (float v : p.probabilities()) sb.append('\t').append(String.format(Locale.ROOT, "%.5f", v));
            sb.append('\t').append(String.format(Locale.ROOT, "%.1f", p.milliseconds())).append('\t').append(u.label() == null ? "" : u.label()).append('\n');
        }
        return sb.toString();
    }

    private static String manyJson(List<Utterance> us, Prediction[] preds, List<String> problems) throws Exception {
        ObjectMapper om = new ObjectMapper();
        ObjectNode root = om.createObjectNode();
        ArrayNode arr = root.putArray("predictions");
        for (int i = 0; i < us.size(); i++)
            if (preds[i] != null) node(arr.addObject().put("id", us.get(i).id()).put("file", us.get(i).audio().toString()), preds[i]);
        ArrayNode sk = root.putArray("skipped");
        problems.forEach(sk::add);
        return om.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
    }

    /** A segment's fields in {@code n} (also the service's): start_s, end_s, then the fields of {@link #node}. */
    static ObjectNode segmentNode(ObjectNode n, Segment s) {
        n.put("start_s", round(s.startSeconds())).put("end_s", round(s.endSeconds()));
        return node(n, s.prediction());
    }

    /** The prediction's fields in {@code n}: label, probabilities by class name, milliseconds. */
    static ObjectNode node(ObjectNode n, Prediction p) {
        n.put("label", p.label());
        ObjectNode probs = n.putObject("probabilities");
        for (String c : p.classes()) probs.put(c, p.probability(c));
        n.put("milliseconds", p.milliseconds());
        return n;
    }

    static String line(Prediction p) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-8s (", p.label()));
        for (String c : p.classes())
            sb.append(String.format(Locale.ROOT, "%s%s %.3f", c.equals(p.classes().getFirst()) ? "" : ", ", c, p.probability(c)));
        return sb.append(String.format(Locale.ROOT, ")  %.1f ms", p.milliseconds())).toString();
    }

    private static String readTranscript(Path f) {
        try {
            return Files.readString(f).strip();
        } catch (java.io.IOException e) {
            throw dev.ser4j.io.UserFiles.problem(f, e);
        } catch (java.io.UncheckedIOException e) {
            throw new InputException(f, "cannot be read as UTF-8 text (" + e.getMessage() + ")");
        }
    }
}
