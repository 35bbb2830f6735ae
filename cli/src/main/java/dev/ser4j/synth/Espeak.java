package dev.ser4j.synth;

import dev.ser4j.audio.Wav;
import dev.ser4j.core.InputException;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * espeak-ng as docs/corpus.md (A1, A9) uses it: one process per utterance, run with an argument list (never a
 * shell), SSML input ({@code -m}) for the pitch range, and {@code -w FILE} output (22050 Hz, 16-bit mono), since
 * the headers of {@code --stdout} carry placeholder sizes. Its pitfalls are handled here: {@code en-gb+VARIANT}
 * silently drops the variant, so British variants go through {@code en+VARIANT}; there is no {@code -P} (an
 * unknown option is reported but the exit status is still 0, so the output is checked too), so the range is
 * SSML's {@code <prosody range>}, which espeak-ng clamps at +100%.
 */
final class Espeak {
    private Espeak() {}

    /** The program, found on the PATH. */
    static final String PROGRAM = "espeak-ng";
    /** espeak-ng's output rate. */
    static final int SAMPLE_RATE = 22050;

    private static final Pattern VERSION = Pattern.compile("text-to-speech:\\s*(\\S+)");

    /**
     * The installed espeak-ng's version (e.g. "1.51").
     *
     * @throws InputException if espeak-ng is not installed or does not run, saying how to install it
     */
    static String version() {
        return version(PROGRAM);
    }

    /** {@link #version()} of the program named {@code program} (tests name one that does not exist). */
    static String version(String program) {
        String out;
        try {
            out = run(List.of(program, "--version"));
        } catch (IOException e) {
            throw new InputException(program, "is needed to synthesise the corpus but cannot be run (" + e.getMessage()
                    + "); install it with: apt-get install espeak-ng");
        }
        Matcher m = VERSION.matcher(out);
        if (!m.find()) throw new InputException(program, "--version printed '" + out.strip() + "', not an espeak-ng version");
        return m.group(1);
    }

    /** espeak-ng's voice for a speaker's voice: {@code en-gb+X} becomes {@code en+X}, which honours the variant. */
    static String voice(String voice) {
        return voice.startsWith("en-gb+") ? "en+" + voice.substring("en-gb+".length()) : voice;
    }

    /** The SSML document: the range with its sign always written ({@code +0%}), the text XML-escaped. */
    static String ssml(int rangePercent, String text) {
        String escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        return "<speak><prosody range=\"" + (rangePercent >= 0 ? "+" : "") + rangePercent + "%\">" + escaped + "</prosody></speak>";
    }

    /** The command line for one utterance, writing {@code wav}. */
    static List<String> command(SynthUtterance u, Path wav) {
        return List.of(PROGRAM, "-m", "-v", u.voice(), "-p", Integer.toString(u.pitch()), "-s", Integer.toString(u.speed()),
                "-a", Integer.toString(u.speaker().amp()), "-g", Integer.toString(u.gap()), "-w", wav.toString(),
                ssml(u.range(), u.transcript()));
    }

    /** Synthesises one utterance through the scratch file {@code wav} (deleted afterwards); 22050 Hz samples. */
    static float[] synthesize(SynthUtterance u, Path wav) throws IOException {
        try {
            run(command(u, wav));
            Wav w = Wav.read(wav);
            if (w.sampleRate() != SAMPLE_RATE || w.channels() != 1)
                throw new IOException(PROGRAM + " wrote " + w.sampleRate() + " Hz with " + w.channels() + " channel(s) for "
                        + u.id() + ", not " + SAMPLE_RATE + " Hz mono");
            return w.samples();
        } finally {
            Files.deleteIfExists(wav);
        }
    }

    /** Runs a command to completion and returns its output (stdout and stderr together). */
    static String run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int status = p.waitFor();
            // espeak-ng 1.51 reports an unknown option ("invalid option -- 'P'") and still exits with status 0
            if (status != 0 || out.contains("invalid option"))
                throw new IOException(String.join(" ", command) + " failed (status " + status + "): " + out.strip());
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException(PROGRAM + " was interrupted");
        } finally {
            p.destroy();
        }
    }
}
