package dev.ser4j.cli;

import dev.ser4j.audio.Mfcc;
import dev.ser4j.audio.Wav;
import dev.ser4j.io.SafeTensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ./ser4j features} through {@link Main#run}: output tensor, metadata, resampling, and bad input. */
class FeaturesCommandTest {
    @TempDir
    Path dir;

    record Result(int status, String out, String err) {}

    static Result ser4j(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int status = Main.run(args);
            return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    static Path golden(String name) {
        return Path.of(System.getProperty("ser4j.testdata"), "mfcc", name);
    }

    @Test
    void writesTheMfccTensorWithItsParameters() throws Exception {
        Path in = golden("f1_speech_yes.wav"), out = dir.resolve("f1.safetensors");
        Result r = ser4j("features", in.toString(), "--out", out.toString());
        assertEquals(0, r.status(), r.err());
        assertEquals("", r.err(), "a 16 kHz file needs no resampling note");
        try (SafeTensors st = SafeTensors.open(out)) {
            float[] mfcc = st.floats("mfcc", 193, 96);
            assertArrayEquals(new Mfcc().features("f1", Wav.read(in).samples()), mfcc);
            assertEquals("16000", st.metadata().get("sample_rate"));
            assertEquals("32", st.metadata().get("n_mfcc"));
            assertEquals("193", st.metadata().get("frames"));
            assertEquals("f1_speech_yes.wav", st.metadata().get("source"));
        }
        assertTrue(r.out().contains("mfcc [193, 96]"), r.out());
    }

    @Test
    void resamplesOtherRatesAndSaysSo() throws Exception {
        float[] x = new float[44100];                                         // 1 s of a 440 Hz tone at 44.1 kHz
        for (int i = 0; i < x.length; i++) x[i] = (float) (0.3 * Math.sin(2 * Math.PI * 440 * i / 44100.0));
        Path in = dir.resolve("cd.wav"), out = dir.resolve("cd.safetensors");
        Wav.writePcm16(in, x, 44100);
        Result r = ser4j("features", in.toString(), "--out", out.toString());
        assertEquals(0, r.status(), r.err());
        assertEquals("ser4j: " + in + " is 44100 Hz; resampling to 16000 Hz before the MFCC\n", r.err().replace("\r", ""));
        try (SafeTensors st = SafeTensors.open(out)) {
            assertEquals(101, st.entry("mfcc").shape()[0]);
            assertEquals("44100", st.metadata().get("source_sample_rate"));
            // the resampled tone's features are close to those of the same tone made at 16 kHz
            float[] direct = new float[16000];
            for (int i = 0; i < direct.length; i++) direct[i] = (float) (0.3 * Math.sin(2 * Math.PI * 440 * i / 16000.0));
            float[] expected = new Mfcc().features("16k", direct), got = st.floats("mfcc");
            for (int t = 5; t < 95; t++) assertEquals(expected[t * 96], got[t * 96], 0.05, "c0 of frame " + t);
        }
    }

    @Test
    void corruptWavExitsTwoAndWritesNothing() throws IOException {
        Path in = dir.resolve("corrupt.wav"), out = dir.resolve("never.safetensors");
        byte[] good = Files.readAllBytes(dir.resolve(write16k(dir, 2000)));
        Files.write(in, Arrays.copyOf(good, good.length - 100));                  // cut inside the data chunk
        Result r = ser4j("features", in.toString(), "--out", out.toString());
        assertEquals(2, r.status());
        assertEquals("ser4j: " + in + ": its data chunk declares 4000 bytes but only 3900 follow (truncated file?)\n",
                r.err().replace("\r", ""));
        assertFalse(Files.exists(out));
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().contains("never")), "no temporary file left");
        }
    }

    @Test
    void tooShortInputExitsTwoWithTheReason() throws IOException {
        Path in = dir.resolve(write16k(dir, 1000)), out = dir.resolve("short.safetensors");
        Result r = ser4j("features", in.toString(), "--out", out.toString());
        assertEquals(2, r.status());
        assertTrue(r.err().startsWith("ser4j: " + in + ": has 1000 samples (0.063 s); MFCC deltas need at least 1280"), r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void missingInputFileExitsTwo() {
        Path out = dir.resolve("x.safetensors");
        Result r = ser4j("features", dir.resolve("nope.wav").toString(), "--out", out.toString());
        assertEquals(2, r.status());
        assertTrue(r.err().endsWith("nope.wav: no such file\n"), r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void aManifestGivesOneFilePerUtteranceAsTheSingleFileFormWritesIt() throws Exception {
        Path corpus = dir.resolve("corpus");
        List<TestCorpus.Utt> utts = TestCorpus.make(2, 3, 8);
        Path manifest = TestCorpus.manifest(corpus, utts), out = dir.resolve("features");
        Result r = ser4j("features", "--manifest", manifest.toString(), "--out", out.toString(), "--threads", "3");
        assertEquals(0, r.status(), r.err());
        assertEquals("", r.err());
        assertTrue(r.out().contains("features: " + utts.size() + " of " + utts.size() + " files written to " + out), r.out());
        try (var files = Files.list(out)) {
            assertEquals(utts.stream().map(u -> u.id() + ".safetensors").sorted().toList(),
                    files.map(f -> f.getFileName().toString()).sorted().toList());
        }
        TestCorpus.Utt u = utts.get(4);
        Path single = dir.resolve("single.safetensors");
        assertEquals(0, ser4j("features", corpus.resolve("wav").resolve(u.id() + ".wav").toString(), "--out", single.toString()).status());
        try (SafeTensors bulk = SafeTensors.open(out.resolve(u.id() + ".safetensors")); SafeTensors one = SafeTensors.open(single)) {
            assertArrayEquals(one.floats("mfcc"), bulk.floats("mfcc"));
            assertArrayEquals(one.entry("mfcc").shape(), bulk.entry("mfcc").shape());
            assertEquals(one.metadata(), bulk.metadata());
        }
    }

    @Test
    void aManifestsBadFilesAreReportedAndSkippedOrFatalWhenStrict() throws Exception {
        Path corpus = dir.resolve("corpus");
        List<TestCorpus.Utt> utts = TestCorpus.make(2, 3, 9);
        Path manifest = TestCorpus.manifest(corpus, utts), out = dir.resolve("features");
        Path corrupt = corpus.resolve("wav").resolve(utts.get(2).id() + ".wav");
        Files.write(corrupt, new byte[]{'R', 'I', 'F', 'F', 1, 2});
        Files.delete(corpus.resolve("wav").resolve(utts.get(5).id() + ".wav"));
        Result r = ser4j("features", "--manifest", manifest.toString(), "--out", out.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("features: " + (utts.size() - 2) + " of " + utts.size() + " files written") && r.out().contains("2 skipped"), r.out());
        List<String> err = r.err().lines().toList();
        assertEquals(2, err.size(), r.err());
        assertTrue(err.stream().anyMatch(l -> l.startsWith("ser4j: skipped " + corrupt)), r.err());
        assertTrue(err.stream().anyMatch(l -> l.contains(utts.get(5).id() + ".wav, which does not exist")), r.err());
        assertFalse(Files.exists(out.resolve(utts.get(2).id() + ".safetensors")));
        assertTrue(Files.exists(out.resolve(utts.get(3).id() + ".safetensors")));

        Result strict = ser4j("features", "--manifest", manifest.toString(), "--out", dir.resolve("strict").toString(), "--strict");
        assertEquals(2, strict.status(), strict.out() + strict.err());
        assertTrue(strict.err().startsWith("ser4j: ") && strict.err().lines().count() == 1, strict.err());
        assertTrue(strict.err().contains(utts.get(5).id() + ".wav"), "the first bad row is fatal: " + strict.err());
    }

    @Test
    void oneFileOrAManifestNotBoth() throws Exception {
        Path in = dir.resolve(write16k(dir, 4000));
        Result r = ser4j("features", in.toString(), "--manifest", in.toString(), "--out", dir.resolve("o").toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("give either one WAV file or --manifest FILE"), r.err());
        Result threads = ser4j("features", in.toString(), "--out", dir.resolve("o.safetensors").toString(), "--threads", "2");
        assertEquals(2, threads.status());
        assertTrue(threads.err().contains("--threads: applies to --manifest"), threads.err());
    }

    /** A 16 kHz WAV of n samples of a quiet tone; returns its file name. */
    static String write16k(Path dir, int n) throws IOException {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (0.1 * Math.sin(i * 0.1));
        String name = "tone" + n + ".wav";
        Wav.writePcm16(dir.resolve(name), x, 16000);
        return name;
    }
}
