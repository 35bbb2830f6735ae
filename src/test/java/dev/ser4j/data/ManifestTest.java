package dev.ser4j.data;

import dev.ser4j.core.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ManifestTest {
    @TempDir
    Path dir;

    private Dataset read(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return Manifest.read(f, "manifest:" + f, DatasetOptions.DEFAULT);
    }

    private InputException fails(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return assertThrows(InputException.class, () -> Manifest.read(f, "m", DatasetOptions.DEFAULT));
    }

    @Test
    void readsCsvWithQuotingAnyColumnOrderAndRelativePaths() throws IOException {
        TestWav.write(dir.resolve("audio/one.wav"), 100);
        TestWav.write(dir.resolve("audio/two.wav"), 100);
        Dataset d = read("data.csv", "Label,Path,Transcript,Speaker,ID\n"
                + "happy,audio/one.wav,\"Well, \"\"yes\"\", I'd say.\",spk1,u1\n"
                + "sad,audio/two.wav,\"two\nlines\",spk2,\n");
        assertEquals(2, d.size());
        Utterance a = d.utterances().get(0), b = d.utterances().get(1);
        assertEquals(new Utterance("u1", "spk1", "spk1", dir.resolve("audio/one.wav"), "Well, \"yes\", I'd say.", "happy"), a);
        assertEquals("two", b.id(), "id from the file name when the cell is empty");
        assertEquals("two\nlines", b.transcript());
        assertTrue(d.labeled());
    }

    @Test
    void defaultsForMissingOptionalColumns() throws IOException {
        TestWav.write(dir.resolve("x.wav"), 100);
        Dataset d = read("predict.tsv", "path\n" + dir.resolve("x.wav") + "\n");
        Utterance u = d.utterances().getFirst();
        assertEquals("x", u.id());
        assertEquals("unknown", u.speaker());
        assertEquals("unknown", u.session());
        assertEquals("", u.transcript());
        assertNull(u.label());
        assertTrue(!d.labeled());
    }

    @Test
    void sessionComesFromSyntheticOrIemocapSpeakerNames() {
        assertEquals("3", Manifest.sessionOf("S3F"));
        assertEquals("12", Manifest.sessionOf("S12M"));
        assertEquals("Ses01", Manifest.sessionOf("Ses01M"));
        assertEquals("alice", Manifest.sessionOf("alice"));
    }

    @Test
    void formatFromExtensionOrFromTheHeader() {
        assertEquals(Manifest.Format.TSV, Manifest.format(Path.of("m.txt"), "path\tlabel\n"));
        assertEquals(Manifest.Format.CSV, Manifest.format(Path.of("m.txt"), "path,label\n"));
        assertEquals(Manifest.Format.CSV, Manifest.format(Path.of("m.csv"), "path\tlabel\n"));
        assertEquals(Manifest.Format.TSV, Manifest.format(Path.of("M.TSV"), "path,label\n"));
    }

    @Test
    void missingAudioAndRepeatedIdsAreSkippedOrFatalWithStrict() throws IOException {
        TestWav.write(dir.resolve("a.wav"), 100);
        Path f = dir.resolve("m.tsv");
        Files.writeString(f, "id\tpath\temotion\nu1\ta.wav\tangry\nu2\tgone.wav\tsad\nu1\ta.wav\tsad\n");
        Dataset d = Manifest.read(f, "m", DatasetOptions.DEFAULT);
        assertEquals(1, d.size());
        assertEquals(List.of(f + ":3", f + ":4"), d.skipped().stream().map(Dataset.Problem::input).toList());
        assertTrue(d.skipped().get(0).reason().contains("gone.wav, which does not exist"));
        InputException e = assertThrows(InputException.class, () -> Manifest.read(f, "m", DatasetOptions.DEFAULT.withStrict(true)));
        assertTrue(e.getMessage().startsWith(f + ":3: "), e.getMessage());
    }

    @Test
    void badLabelMissingPathColumnAndRaggedRowsNameFileAndLine() throws IOException {
        TestWav.write(dir.resolve("a.wav"), 100);
        InputException label = fails("l.tsv", "path\tlabel\na.wav\tangry\na.wav\tvery angry\n");
        assertEquals(dir.resolve("l.tsv") + ":3: 'very angry' is not a class name (a word: letters, digits, _ or -, starting with a letter)",
                label.getMessage());
        InputException noPath = fails("n.csv", "file,label\na.wav,sad\n");
        assertTrue(noPath.getMessage().startsWith(dir.resolve("n.csv") + ":1: has no 'path' column"), noPath.getMessage());
        InputException ragged = fails("r.tsv", "path\tlabel\n\na.wav\n");
        assertTrue(ragged.getMessage().startsWith(dir.resolve("r.tsv") + ":3: has 1 fields; the header has 2"), ragged.getMessage());
        InputException twice = fails("t.csv", "path,label,emotion\n");
        assertTrue(twice.getMessage().contains("twice"), twice.getMessage());
        InputException empty = fails("e.csv", "\n\n");
        assertTrue(empty.getMessage().contains("is empty"), empty.getMessage());
        InputException emptyPath = fails("p.csv", "path,label\n ,sad\n");
        assertTrue(emptyPath.getMessage().startsWith(dir.resolve("p.csv") + ":2: has an empty path"), emptyPath.getMessage());
    }

    @Test
    void byteOrderMarkBeforeTheHeaderIsIgnored() throws IOException {
        TestWav.write(dir.resolve("a.wav"), 100);
        assertEquals(1, read("bom.csv", "\uFEFFpath,label\na.wav,neutral\n").size());
    }
}
