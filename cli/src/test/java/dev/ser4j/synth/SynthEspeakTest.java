package dev.ser4j.synth;

import dev.ser4j.audio.Wav;
import dev.ser4j.core.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The espeak-ng 1.51 behaviours docs/corpus.md (A1, A9) builds on, pinned so that a different espeak-ng that
 * changes them fails here rather than silently changing the corpus. Skipped, with the reason, where espeak-ng
 * is not installed.
 */
class SynthEspeakTest {
    @TempDir
    Path dir;

    static boolean installed() {
        try {
            Espeak.version();
            return true;
        } catch (InputException e) {
            return false;
        }
    }

    static void needEspeak() {
        assumeTrue(installed(), "espeak-ng is not installed (apt-get install espeak-ng): espeak-ng tests skipped");
    }

    /** The WAV bytes espeak-ng writes for {@code args} followed by -w FILE and the text. */
    byte[] speak(String text, String... args) throws IOException {
        Path wav = Files.createTempFile(dir, "say", ".wav");
        List<String> cmd = new ArrayList<>(List.of(Espeak.PROGRAM));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("-w", wav.toString(), text));
        Espeak.run(cmd);
        return Files.readAllBytes(wav);
    }

    @Test
    void missingEspeakSaysHowToInstallIt() {
        InputException e = assertThrows(InputException.class, () -> Espeak.version("espeak-ng-that-is-not-installed"));
        assertTrue(e.getMessage().startsWith("espeak-ng-that-is-not-installed: is needed to synthesise the corpus"), e.getMessage());
        assertTrue(e.getMessage().endsWith("install it with: apt-get install espeak-ng"), e.getMessage());
    }

    @Test
    void enGbDropsTheVariantSoBritishVariantsUseEn() throws IOException {
        needEspeak();
        byte[] plain = speak("Hello there.", "-v", "en-gb");
        assertArrayEquals(plain, speak("Hello there.", "-v", "en-gb+f1"), "en-gb+f1 is plain en-gb");
        assertFalse(java.util.Arrays.equals(plain, speak("Hello there.", "-v", "en+f1")), "en+f1 has the variant");
        assertEquals("en+f1", Espeak.voice("en-gb+f1"));
        assertEquals("en-gb-scotland+m2", Espeak.voice("en-gb-scotland+m2"));
        assertTrue(CorpusSpec.SPEAKERS.stream().noneMatch(s -> Espeak.voice(s.voice()).startsWith("en-gb+")));
    }

    @Test
    void thereIsNoCapitalPOptionAndItsRejectionIsCaught() throws IOException, InterruptedException {
        needEspeak();
        // espeak-ng itself only complains and exits with status 0 ...
        Process p = new ProcessBuilder(Espeak.PROGRAM, "-P", "50", "-q", "x").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor());
        assertTrue(out.contains("invalid option -- 'P'"), out);
        // ... so Espeak.run treats that complaint as a failure
        IOException e = assertThrows(IOException.class, () -> Espeak.run(List.of(Espeak.PROGRAM, "-P", "50", "-q", "x")));
        assertTrue(e.getMessage().contains("invalid option"), e.getMessage());
    }

    @Test
    void ssmlRangeIsClampedAtPlus100Percent() throws IOException {
        needEspeak();
        String text = "Really? Are you sure about that?";
        byte[] plus100 = speak(Espeak.ssml(100, text), "-m");
        assertArrayEquals(plus100, speak(Espeak.ssml(200, text), "-m"));
        assertFalse(java.util.Arrays.equals(plus100, speak(Espeak.ssml(0, text), "-m")));
        assertEquals("<speak><prosody range=\"+0%\">Tom &amp; Jerry &lt;3</prosody></speak>", Espeak.ssml(0, "Tom & Jerry <3"));
        assertEquals("<speak><prosody range=\"-15%\">x</prosody></speak>", Espeak.ssml(-15, "x"));
    }

    @Test
    void stdoutHeadersCarryPlaceholderSizes() throws IOException, InterruptedException {
        needEspeak();
        Process p = new ProcessBuilder(Espeak.PROGRAM, "--stdout", "Hello there.").start();
        byte[] bytes = p.getInputStream().readAllBytes();
        assertEquals(0, p.waitFor());
        Path wav = dir.resolve("stdout.wav");
        Files.write(wav, bytes);
        InputException e = assertThrows(InputException.class, () -> Wav.read(wav));
        assertTrue(e.getMessage().contains("its data chunk declares 2147479552 bytes"), e.getMessage());
    }

    @Test
    void everySpeakersVoiceSpeaksAt22050Hz() throws IOException {
        needEspeak();
        for (CorpusSpec.Speaker s : CorpusSpec.SPEAKERS) {
            Path wav = dir.resolve(s.id() + ".wav");
            Files.write(wav, speak("Look at this.", "-v", Espeak.voice(s.voice()), "-a", Integer.toString(s.amp())));
            Wav w = Wav.read(wav);
            assertEquals(Espeak.SAMPLE_RATE, w.sampleRate(), s.id());
            double energy = 0;
            for (float v : w.samples()) energy += v * v;
            assertTrue(w.seconds() > 0.3 && energy / w.samples().length > 1e-5, s.id() + " (" + s.voice() + ") is silent");
        }
    }
}
