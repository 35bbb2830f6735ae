package dev.ser4j.cli;

import dev.ser4j.audio.Mfcc;
import dev.ser4j.audio.Resampler;
import dev.ser4j.audio.Wav;
import dev.ser4j.core.InputException;
import dev.ser4j.data.Dataset;
import dev.ser4j.data.DatasetOptions;
import dev.ser4j.data.Datasets;
import dev.ser4j.data.Utterance;
import dev.ser4j.io.Progress;
import dev.ser4j.io.SafeTensors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code ./ser4j features IN.wav --out OUT.safetensors}: the model's audio input for one file, so it can be
 * checked against librosa from outside. Writes the tensor {@code mfcc [frames, 96] F32} (c0..c31, delta,
 * delta-delta per frame; all frames, before the model's 750-frame cut) and the parameters as metadata.
 * Audio at another rate is resampled to 16 kHz first (said on stderr). {@code --manifest FILE --out DIR} does the
 * same for every row of a manifest, in parallel, into {@code DIR/<id>.safetensors}, reporting and skipping bad files
 * ({@code --strict}: the first one is fatal).
 */
@Command(name = "features", sortOptions = false,
        description = {"Compute the librosa-exact MFCC + delta + delta-delta (96 per 10 ms frame) of WAV files, as safetensors.",
                "IN.wav --out OUT.safetensors writes one file; --manifest FILE --out DIR writes DIR/<id>.safetensors for every row of the"
                        + " manifest, in parallel. Each holds mfcc [frames, 96] F32; other sample rates are resampled to 16 kHz first."})
public final class FeaturesCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "IN.wav", description = "Input WAV (PCM 8/16/24/32-bit or float; any rate and channel count).")
    Path in;

    @Option(names = "--manifest", paramLabel = "FILE",
            description = "Every row of this manifest (TSV/CSV with a path column, optional id) instead of one IN.wav; --out is then a directory.")
    Path manifest;

    @Option(names = "--out", required = true, paramLabel = "OUT.safetensors|DIR",
            description = "Output file (written atomically), or with --manifest the directory for <id>.safetensors (made when missing).")
    Path out;

    @Option(names = "--threads", paramLabel = "N", description = "With --manifest: files featurised at a time (default: all cores).")
    Integer threads;

    @Option(names = "--strict", description = "With --manifest: a bad file is fatal (by default it is reported and skipped).")
    boolean strict;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** What {@link #write} wrote: frames, seconds of 16 kHz audio, the input's own sample rate. */
    record Written(int frames, double seconds, int sourceRate) {
        boolean resampled() { return sourceRate != Mfcc.SAMPLE_RATE; }
    }

    @Override
    public Integer call() throws Exception {
        if ((in == null) == (manifest == null)) throw new InputException("IN.wav", "give either one WAV file or --manifest FILE");
        if (manifest != null) return many();
        if (threads != null || strict) throw new InputException(threads != null ? "--threads" : "--strict", "applies to --manifest");
        Written w = write(in, out);
        if (w.resampled())
            spec.commandLine().getErr().printf(Locale.ROOT, "ser4j: %s is %d Hz; resampling to %d Hz before the MFCC%n", in, w.sourceRate(),
                    Mfcc.SAMPLE_RATE);
        spec.commandLine().getOut().printf(Locale.ROOT, "%s: mfcc [%d, %d] from %.2f s%n", out, w.frames(), Mfcc.FEATURES, w.seconds());
        return 0;
    }

    /** The features of the WAV file {@code wav} into {@code file}, atomically. */
    static Written write(Path wav, Path file) throws IOException {
        Wav w = Wav.read(wav);
        float[] x = w.samples();
        if (w.sampleRate() != Mfcc.SAMPLE_RATE) x = Resampler.of(w.sampleRate(), Mfcc.SAMPLE_RATE).process(x);
        float[] features = new Mfcc().features(wav.toString(), x);
        int frames = features.length / Mfcc.FEATURES;
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("source", wav.getFileName().toString());
        meta.put("source_sample_rate", Integer.toString(w.sampleRate()));
        meta.put("source_channels", Integer.toString(w.channels()));
        meta.put("sample_rate", Integer.toString(Mfcc.SAMPLE_RATE));
        meta.put("samples", Integer.toString(x.length));
        meta.put("frames", Integer.toString(frames));
        meta.put("layout", "[frames, 96]: mfcc c0..c31, delta 0..31, delta-delta 0..31");
        meta.put("n_mfcc", Integer.toString(Mfcc.N_MFCC));
        meta.put("n_fft", Integer.toString(Mfcc.N_FFT));
        meta.put("hop_length", Integer.toString(Mfcc.HOP));
        meta.put("win_length", Integer.toString(Mfcc.N_FFT));
        meta.put("window", "hamming");
        meta.put("n_mels", Integer.toString(Mfcc.N_MELS));
        meta.put("top_db", "80");
        meta.put("delta_width", Integer.toString(Mfcc.DELTA_WIDTH));
        meta.put("reference", "librosa 0.11: feature.mfcc(sr=16000, n_mfcc=32, n_fft=400, hop_length=160, window='hamming') + feature.delta(width=9, order=1, 2)");
        SafeTensors.writer().metadata(meta).f32("mfcc", features, frames, Mfcc.FEATURES).write(file);
        return new Written(frames, x.length / (double) Mfcc.SAMPLE_RATE, w.sampleRate());
    }

    /** {@code --manifest}: every row into {@code out/<id>.safetensors}, in parallel; bad files reported and skipped. */
    private int many() throws Exception {
        if (threads != null && threads < 1) throw new InputException("--threads", threads + " is not a positive number of threads");
        if (Files.exists(out) && !Files.isDirectory(out)) throw new InputException("--out", out + " is a file; with --manifest it is a directory");
        long t0 = System.nanoTime();
        Dataset ds = Datasets.open("manifest:" + manifest, new DatasetOptions(strict, null, null));
        List<String> problems = new ArrayList<>();
        for (Dataset.Problem p : ds.skipped()) problems.add(p.toString());
        List<Utterance> todo = new ArrayList<>();
        Map<String, String> names = new HashMap<>();                  // output names, case-folded: one file per utterance
        for (Utterance u : ds.utterances()) {
            String name = u.id() + ".safetensors", taken = names.putIfAbsent(name.toLowerCase(Locale.ROOT), u.id());
            String bad = u.id().isEmpty() || u.id().equals(".") || u.id().equals("..") || u.id().matches(".*[/\\\\\\p{Cntrl}].*")
                    ? "its id '" + u.id() + "' cannot be a file name" : taken != null ? "its output " + name + " is also that of '" + taken + "'" : null;
            if (bad == null) todo.add(u);
            else if (strict) throw new InputException(u.audio().toString(), bad + " (--strict)");
            else problems.add(u.audio() + ": " + bad);
        }
        Files.createDirectories(out);
        int n = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        AtomicBoolean stop = new AtomicBoolean();
        List<Future<Written>> done = new ArrayList<>();
        int written = 0, resampled = 0;
        try (Progress.Task bar = ConsoleProgress.forTerminal().start("features", todo.size()); ExecutorService pool = Executors.newFixedThreadPool(n)) {
            for (Utterance u : todo)
                done.add(pool.submit(() -> {
                    if (stop.get()) return null;
                    try {
                        return write(u.audio(), out.resolve(u.id() + ".safetensors"));
                    } finally {
                        bar.step();
                    }
                }));
            for (int i = 0; i < todo.size(); i++) {
                try {
                    Written w = done.get(i).get();
                    written++;
                    if (w.resampled()) resampled++;
                } catch (ExecutionException e) {
                    Throwable why = e.getCause();
                    if (!(why instanceof InputException || why instanceof IOException)) throw e;
                    String problem = why instanceof InputException ? why.getMessage() : todo.get(i).audio() + ": " + why.getMessage();
                    if (strict) {
                        stop.set(true);
                        throw new InputException(todo.get(i).audio().toString(), "cannot be featurised (--strict): " + problem);
                    }
                    problems.add(problem);
                }
            }
        }
        PrintWriter err = spec.commandLine().getErr();
        for (String p : problems) err.println("ser4j: skipped " + p);
        if (resampled > 0) err.printf("ser4j: %d files were not 16 kHz and were resampled before the MFCC%n", resampled);
        int rows = ds.utterances().size() + ds.skipped().size();
        if (written == 0)
            throw new InputException(manifest.toString(), problems.isEmpty() ? "has no rows"
                    : "has no file whose features could be computed (first problem: " + problems.getFirst() + ")");
        spec.commandLine().getOut().printf(Locale.ROOT, "features: %d of %d files written to %s as <id>.safetensors (mfcc [frames, %d]) in %.1f s%s%n",
                written, rows, out, Mfcc.FEATURES, (System.nanoTime() - t0) / 1e9, problems.isEmpty() ? "" : "; " + problems.size() + " skipped");
        return 0;
    }
}
