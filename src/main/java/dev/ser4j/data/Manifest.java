package dev.ser4j.data;

import dev.ser4j.core.InputException;
import dev.ser4j.core.Labels;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A data set described by a table with a header line, TSV or CSV: by the extension ({@code .tsv}, {@code .csv}),
 * otherwise by the header (a tab makes it TSV). TSV fields are split at tabs, without quoting (the synthetic
 * corpus's {@code manifest.tsv}); CSV follows RFC 4180 (quoted fields may hold commas, quotes and line breaks).
 *
 * <p>Columns, by name in any order and case; others are ignored:
 * <ul>
 *   <li>{@code path} (required): the audio file, relative to the manifest's folder unless absolute;</li>
 *   <li>{@code transcript}: the text (empty when the column is absent);</li>
 *   <li>{@code label} or {@code emotion}: angry, happy, sad or neutral (labels are null when the column is absent,
 *       as in a prediction manifest);</li>
 *   <li>{@code speaker}: {@code unknown} when absent;</li>
 *   <li>{@code id}: the audio file's name without its extension when absent;</li>
 *   <li>{@code session}: when absent, from the speaker: {@code S3F} → {@code 3} (synthetic corpus),
 *       {@code Ses01F} → {@code Ses01} (IEMOCAP), otherwise the speaker itself.</li>
 * </ul>
 * A missing column, a row with the wrong number of fields, an empty path or a bad label is an
 * {@link InputException} naming {@code file:line}. A row whose audio file does not exist, or that repeats an id,
 * is reported and skipped (fatal with {@code --strict}).
 */
public final class Manifest {
    private Manifest() {}

    /** The table syntax. */
    public enum Format { TSV, CSV }

    private static final Pattern SYNTH_SPEAKER = Pattern.compile("S(\\d+)[MF]");
    private static final Pattern IEMOCAP_SPEAKER = Pattern.compile("(Ses\\d+)[MF]");
    private static final List<String> COLUMNS = List.of("path", "transcript", "label", "speaker", "id", "session");

    /** One table row as read: its line and its fields by (canonical, lower-case) column name. Labels still text. */
    public record Row(String where, String path, String transcript, String label, String speaker, String id, String session) {}

    /** Reads a manifest file, checking that every audio file exists; {@code name} names the data set. */
    public static Dataset read(Path file, String name, DatasetOptions options) {
        ReaderLog report = new ReaderLog(options.strict());
        List<Utterance> utterances = new ArrayList<>();
        for (Entry e : entries(file)) {
            if (e.problem() != null) report.skip(e.where(), e.problem());
            else utterances.add(e.utterance());
        }
        return new Dataset(name, utterances, report.skipped, report.warnings, Map.of());
    }

    /**
     * One row of a manifest file: the utterance it names, and why it cannot be used, or null.
     *
     * @param where   {@code file:line}
     * @param problem a missing audio file or a repeated id ({@link #read} skips the row), else null
     */
    public record Entry(String where, Utterance utterance, String problem) {}

    /**
     * Every row of a manifest file in file order, as {@link #read} takes them, the rows it skips included (with their
     * problem): for a caller that answers each row (a batch prediction writes an error for a skipped one).
     *
     * @throws InputException for a malformed manifest (see the class comment)
     */
    public static List<Entry> entries(Path file) {
        String text = TextFiles.read(file);
        Path base = file.toAbsolutePath().getParent();
        List<Entry> out = new ArrayList<>();
        Map<String, String> ids = new HashMap<>();
        for (Row r : parse(file.toString(), text, format(file, text))) {
            String label = r.label() == null ? null : Labels.name(r.where(), r.label());
            Path audio;
            try {
                audio = base.resolve(r.path()).normalize();
            } catch (InvalidPathException e) {
                throw new InputException(r.where(), "has an invalid path '" + r.path() + "'");
            }
            String id = r.id() != null && !r.id().isEmpty() ? r.id() : audio.getFileName().toString().replaceFirst("\\.[^.]*$", "");
            String speaker = r.speaker() != null && !r.speaker().isBlank() ? r.speaker() : "unknown";
            String session = r.session() != null && !r.session().isBlank() ? r.session() : sessionOf(speaker);
            Utterance u = new Utterance(id, speaker, session, audio, r.transcript() == null ? "" : r.transcript(), label);
            String problem = null;
            if (ids.containsKey(id)) problem = "repeats the utterance id '" + id + "' of " + ids.get(id);
            else if (!Files.isRegularFile(audio)) problem = "names the audio file " + audio + ", which does not exist";
            else ids.put(id, r.where());
            out.add(new Entry(r.where(), u, problem));
        }
        return out;
    }

    /** TSV or CSV: by extension, otherwise by whether the first line has a tab. */
    static Format format(Path file, String text) {
        String n = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".tsv")) return Format.TSV;
        if (n.endsWith(".csv")) return Format.CSV;
        int eol = text.indexOf('\n');
        return (eol < 0 ? text : text.substring(0, eol)).indexOf('\t') >= 0 ? Format.TSV : Format.CSV;
    }

    /** The session a speaker name implies (see the class comment). */
    static String sessionOf(String speaker) {
        Matcher s = SYNTH_SPEAKER.matcher(speaker);
        if (s.matches()) return s.group(1);
        Matcher i = IEMOCAP_SPEAKER.matcher(speaker);
        return i.matches() ? i.group(1) : speaker;
    }

    /** {@link #parse(String, String, Format)} over a manifest file's bytes, decoded as {@link #read} decodes the file. */
    public static List<Row> parse(String source, byte[] file, Format format) {
        return parse(source, TextFiles.text(file), format);
    }

    /** The rows of a manifest's text, header checked, labels not yet parsed. Pure. */
    static List<Row> parse(String source, String text, Format format) {
        List<Csv.Row> table = format == Format.CSV ? Csv.parse(source, text) : tsv(text);
        if (table.isEmpty()) throw new InputException(source, "is empty; expected a header line naming the columns path, transcript, label, ...");
        Csv.Row header = table.getFirst();
        int[] col = new int[COLUMNS.size()];
        Arrays.fill(col, -1);
        for (int i = 0; i < header.fields().size(); i++) {
            String h = header.fields().get(i).strip().toLowerCase(Locale.ROOT);
            int k = COLUMNS.indexOf(h.equals("emotion") ? "label" : h);
            if (k < 0) continue;
            if (col[k] >= 0) throw new InputException(source + ":" + header.line(), "names the column '" + COLUMNS.get(k) + "' twice (label and emotion are one column)");
            col[k] = i;
        }
        if (col[0] < 0)
            throw new InputException(source + ":" + header.line(), "has no 'path' column; the header must name path, and may name transcript, "
                    + "label (or emotion), speaker, id, session (" + format + ")");
        int width = header.fields().size();
        List<Row> rows = new ArrayList<>();
        for (Csv.Row r : table.subList(1, table.size())) {
            String where = source + ":" + r.line();
            if (r.fields().size() != width)
                throw new InputException(where, "has " + r.fields().size() + " fields; the header has " + width);
            String path = r.fields().get(col[0]).strip();
            if (path.isEmpty()) throw new InputException(where, "has an empty path");
            rows.add(new Row(where, path, field(r, col[1]), field(r, col[2]), field(r, col[3]), field(r, col[4]), field(r, col[5])));
        }
        return rows;
    }

    private static String field(Csv.Row r, int col) {
        return col < 0 ? null : r.fields().get(col).strip();
    }

    /** Tab-separated lines, no quoting; blank lines skipped. */
    private static List<Csv.Row> tsv(String text) {
        List<Csv.Row> rows = new ArrayList<>();
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++)
            if (!lines.get(i).isBlank()) rows.add(new Csv.Row(i + 1, List.of(lines.get(i).split("\t", -1))));
        return rows;
    }
}
