package dev.ser4j.data;

import dev.ser4j.core.InputException;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Opens a data set from a spec:
 * <ul>
 *   <li>{@code iemocap:DIR} — the IEMOCAP release in DIR ({@link Iemocap});</li>
 *   <li>{@code ravdess:DIR} — RAVDESS's speech set, {@code DIR/Actor_01 .. Actor_24} ({@link Ravdess});</li>
 *   <li>{@code cremad:DIR} — CREMA-D, {@code DIR/AudioWAV/AAAA_SSS_EEE_LL.wav} ({@link Cremad});</li>
 *   <li>{@code emodb:DIR} — the Berlin EmoDB, {@code DIR/wav/SSTTTEv.wav} ({@link Emodb});</li>
 *   <li>{@code tess:DIR} — the Toronto emotional speech set, {@code DIR/OAF_<emotion>/}, {@code DIR/YAF_<emotion>/}
 *       ({@link Tess});</li>
 *   <li>{@code savee:DIR} — SAVEE, {@code DIR/AudioData/<speaker>/<e><nn>.wav} ({@link Savee});</li>
 *   <li>{@code meld:DIR} — MELD's {@code DIR/<split>_sent_emo.csv} with WAVs extracted from its videos ({@link Meld});</li>
 *   <li>{@code manifest:FILE} — a TSV or CSV manifest ({@link Manifest});</li>
 *   <li>{@code synth:DIR} — the synthetic corpus made by {@code ./ser4j synth --out DIR}: its
 *       {@code DIR/manifest.tsv} (columns id, speaker, emotion, transcript, path; session from the speaker
 *       name {@code S<n><M|F>}).</li>
 * </ul>
 * With {@link DatasetOptions#asrTranscripts()} the transcripts are then replaced by an ASR system's
 * ({@code utterance-id<TAB>text} lines; an optional header line starting with {@code id<TAB>}).
 */
public final class Datasets {
    private Datasets() {}

    private static final String ACCEPTED = "expected iemocap:DIR, ravdess:DIR, cremad:DIR, emodb:DIR, tess:DIR, "
            + "savee:DIR, meld:DIR, manifest:FILE or synth:DIR";

    public static Dataset open(String spec, DatasetOptions options) {
        int colon = spec.indexOf(':');
        if (colon < 0) throw new InputException(spec, "is not a data set spec; " + ACCEPTED);
        String scheme = spec.substring(0, colon).toLowerCase(Locale.ROOT);
        if (spec.substring(colon + 1).isBlank()) throw new InputException(spec, "names no path; " + ACCEPTED);
        Path path;
        try {
            path = Path.of(spec.substring(colon + 1));
        } catch (InvalidPathException e) {
            throw new InputException(spec, "has an invalid path (" + e.getMessage() + ")");
        }
        Dataset d = switch (scheme) {
            case "iemocap" -> {
                requireDirectory(spec, path);
                yield Iemocap.read(path, spec, options);
            }
            case "manifest" -> {
                if (!Files.isRegularFile(path)) throw new InputException(spec, path + " is not a file; " + ACCEPTED);
                yield Manifest.read(path, spec, options);
            }
            case "ravdess" -> {
                requireDirectory(spec, path);
                yield Ravdess.read(path, spec, options);
            }
            case "cremad" -> {
                requireDirectory(spec, path);
                yield Cremad.read(path, spec, options);
            }
            case "emodb" -> {
                requireDirectory(spec, path);
                yield Emodb.read(path, spec, options);
            }
            case "tess" -> {
                requireDirectory(spec, path);
                yield Tess.read(path, spec, options);
            }
            case "savee" -> {
                requireDirectory(spec, path);
                yield Savee.read(path, spec, options);
            }
            case "meld" -> {
                requireDirectory(spec, path);
                yield Meld.read(path, spec, options);
            }
            case "synth" -> {
                requireDirectory(spec, path);
                Path manifest = path.resolve("manifest.tsv");
                if (!Files.isRegularFile(manifest))
                    throw new InputException(spec, path + " has no manifest.tsv; make the corpus with ./ser4j synth --out " + path);
                yield Manifest.read(manifest, spec, options);
            }
            default -> throw new InputException(spec, "has the unknown scheme '" + scheme + "'; " + ACCEPTED);
        };
        if (options.asrTranscripts() != null) d = withAsr(d, options.asrTranscripts());
        return options.classes() == null ? d : d.withClasses(options.classes());
    }

    private static void requireDirectory(String spec, Path dir) {
        if (!Files.isDirectory(dir)) throw new InputException(spec, dir + " is not a folder; " + ACCEPTED);
    }

    /** The data set with its transcripts replaced; an utterance the file lacks gets an empty one and a warning. */
    static Dataset withAsr(Dataset d, Path tsv) {
        Map<String, String> asr = parseAsr(tsv.toString(), TextFiles.lines(tsv));
        List<Utterance> out = new ArrayList<>(d.size());
        List<Dataset.Problem> warnings = new ArrayList<>(d.warnings());
        for (Utterance u : d.utterances()) {
            String text = asr.get(u.id());
            if (text == null) {
                warnings.add(new Dataset.Problem(u.id(), "has no ASR transcript in " + tsv + "; an empty one is used"));
                text = "";
            }
            out.add(u.withTranscript(text));
        }
        return d.withUtterances(out, warnings.subList(d.warnings().size(), warnings.size()));
    }

    /** {@link #parseAsr(String, List)} over an ASR transcript file's bytes, decoded as {@link #withAsr} decodes the file. */
    public static Map<String, String> parseAsr(String source, byte[] file) {
        return parseAsr(source, TextFiles.lines(file));
    }

    /** {@code id<TAB>text} lines; blank lines and a header line {@code id<TAB>...} are skipped. Pure. */
    static Map<String, String> parseAsr(String source, List<String> lines) {
        Map<String, String> out = new HashMap<>();
        boolean first = true;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) continue;
            int tab = line.indexOf('\t');
            String where = source + ":" + (i + 1);
            String id = tab < 0 ? "" : line.substring(0, tab).strip();
            if (id.isEmpty()) throw new InputException(where, "is not 'utterance-id<TAB>text'");
            boolean header = first && id.equalsIgnoreCase("id");
            first = false;
            if (header) continue;
            if (out.put(id, line.substring(tab + 1).strip()) != null)
                throw new InputException(where, "has a second transcript for utterance '" + id + "'");
        }
        return out;
    }
}
