package dev.ser4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ser4j.EmotionRecognizer;
import dev.ser4j.Prediction;
import dev.ser4j.core.InputException;
import dev.ser4j.data.Dataset;
import dev.ser4j.data.DatasetOptions;
import dev.ser4j.data.Datasets;
import dev.ser4j.data.Utterance;
import dev.ser4j.data.XVectors;
import dev.ser4j.io.AtomicFiles;
import dev.ser4j.io.Progress;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;

/** {@code ./ser4j predict}: the emotion of one recording, or of every recording in a manifest. */
@Command(name = "predict", sortOptions = false, description = {"Predict the emotion of AUDIO.wav (with its transcript), or of every row of --manifest.",
        "Prints the label, the four probabilities and the time taken; --json for machine-readable output."})
public final class PredictCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "MODEL.safetensors")
    Path modelFile;

    @Parameters(index = "0", arity = "0..1", paramLabel = "AUDIO.wav")
    Path audio;

    static final class Text {
        @Option(names = "--text", paramLabel = "TEXT", description = "The transcript.")
        String text;

        @Option(names = "--transcript", paramLabel = "FILE", description = "A file holding the transcript.")
        Path file;
    }

    @ArgGroup(exclusive = true)
    Text text;

    @Option(names = "--manifest", paramLabel = "FILE", description = "Predict every row of a manifest (TSV/CSV: path, transcript[, id, speaker, label]).")
    Path manifest;

    @Option(names = "--out", paramLabel = "FILE", description = "With --manifest: write the predictions here (.tsv, or .json) instead of stdout.")
    Path out;

    @Option(names = "--xvectors", paramLabel = "FILE", description = "Speaker embeddings by utterance id (for models trained with x-vectors; the id of AUDIO.wav is its file name without .wav).")
    Path xvectors;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Option(names = "--strict", description = "With --manifest: stop at the first bad file (by default it is reported and skipped).")
    boolean strict;

    @Override
    public Integer call() throws Exception {
        if ((audio == null) == (manifest == null)) throw new InputException("AUDIO.wav", "give either one audio file or --manifest FILE");
        try (EmotionRecognizer ser = EmotionRecognizer.load(modelFile)) {
            XVectors xv = xvectors == null ? null : XVectors.read(xvectors, ser.config().xvectorDim());
            if (ser.needsSpeakerEmbedding() && xv == null)
                throw new InputException("--xvectors", "is required: " + modelFile + " was trained with " + ser.config().xvectorDim() + "-d x-vectors");
            if (audio != null) return single(ser, xv);
            return many(ser, xv);
        }
    }

    private int single(EmotionRecognizer ser, XVectors xv) throws Exception {
        String transcript = text == null ? "" : text.text != null ? text.text : readTranscript(text.file);
        String id = audio.getFileName().toString().replaceFirst("(?i)\\.wav$", "");
        Prediction p = ser.predict(audio, transcript, xv == null ? null : xv.get(id, XVectors.Missing.ERROR));
        if (json) System.out.println(new ObjectMapper().writeValueAsString(node(new ObjectMapper().createObjectNode().put("file", audio.toString()), p)));
        else System.out.println(line(p));
        return 0;
    }

    private int many(EmotionRecognizer ser, XVectors xv) throws Exception {
        Dataset ds = Datasets.open("manifest:" + manifest, new DatasetOptions(strict, null, null));
        List<Utterance> us = ds.utterances();
        Prediction[] preds = new Prediction[us.size()];
        String[] errors = new String[us.size()];
        try (Progress.Task bar = ConsoleProgress.forTerminal().start("predict", us.size())) {
            IntStream.range(0, us.size()).parallel().forEach(i -> {
                Utterance u = us.get(i);
                try {
                    preds[i] = ser.predict(u.audio(), u.transcript(), xv == null ? null : xv.get(u.id(), XVectors.Missing.ERROR));
                } catch (InputException e) {
                    errors[i] = e.getMessage();
                }
                bar.step();
            });
        }
        List<String> problems = new ArrayList<>();
        for (Dataset.Problem p : ds.skipped()) problems.add(p.toString());
        for (int i = 0; i < us.size(); i++) {
            if (errors[i] == null) continue;
            if (strict) throw new InputException(us.get(i).audio().toString(), "cannot be used (--strict): " + errors[i]);
            problems.add(errors[i]);
        }
        String text = json ? manyJson(us, preds, problems) : manyTsv(ser.classes(), us, preds);
        if (out != null) AtomicFiles.writeString(out, text);
        else System.out.print(text);
        int done = (int) java.util.Arrays.stream(preds).filter(java.util.Objects::nonNull).count();
        System.err.printf("ser4j: predicted %d of %d utterances%s%s%n", done, us.size() + ds.skipped().size(),
                problems.isEmpty() ? "" : "; skipped " + problems.size() + " (first: " + problems.getFirst() + ")",
                out == null ? "" : "; written to " + out);
        return 0;
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

    private static ObjectNode node(ObjectNode n, Prediction p) {
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
